"""Wagtail's `publish_scheduled`, with a refused revision unscheduled instead of stopping the run.

`GovernedPage.publish` asks the gate again at go-live. A scheduled revision of a governed page that
no longer passes (for example because a new framework version came into force, or a linked page
was unpublished) would raise in the middle of Wagtail's loop; so each due revision is asked first,
by the same check: a refused one has its schedule cleared and its refusal in the audit log, and
the other revisions of the run still go live.
"""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from wagtail.management.commands.publish_scheduled import Command as WagtailCommand
from wagtail.models import Revision

from quality.gate import QualityGateRefused, ensure_may_publish, is_governed


class Command(WagtailCommand):
    help = (
        "Publiceer ingeplande revisies en depubliceer verlopen pagina's; het kwaliteitskader "
        "wordt bij het live gaan opnieuw gecontroleerd."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options.get("dryrun"):
            self.unschedule_revisions_the_gate_refuses()
        super().handle(*args, **options)

    def unschedule_revisions_the_gate_refuses(self) -> None:
        due = Revision.objects.filter(approved_go_live_at__lt=timezone.now()).order_by(
            "approved_go_live_at"
        )
        for revision in due:
            model = ContentType.objects.get_for_id(revision.content_type_id).model_class()
            if model is None or not is_governed(model):
                continue
            try:
                ensure_may_publish(revision=revision, user=None)
            except QualityGateRefused as refusal:
                # A queryset update: clearing a schedule changes nothing that is live.
                Revision.objects.filter(pk=revision.pk).update(approved_go_live_at=None)
                self.stderr.write(f"Ingeplande publicatie niet uitgevoerd: {refusal.summary}")
