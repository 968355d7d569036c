"""Wagtail's `publish_scheduled`, with the quality gate checked again at go-live.

A scheduled revision of a governed page that no longer passes the gate (for example because a new
framework version came into force, or a linked page was unpublished) is not published: its schedule
is cleared, the refusal goes to the audit log, and the other revisions of the run still go live.
"""

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from wagtail.management.commands.publish_scheduled import Command as WagtailCommand
from wagtail.models import Page, Revision

from quality.gate import QualityGateRefused, gate_decision, is_governed, log_refusal


class Command(WagtailCommand):
    help = (
        "Publiceer ingeplande revisies en depubliceer verlopen pagina's; het kwaliteitskader "
        "wordt bij het live gaan opnieuw gecontroleerd."
    )

    def handle(self, *args, **options):
        if not options.get("dryrun"):
            self.refuse_revisions_failing_the_gate()
        super().handle(*args, **options)

    def refuse_revisions_failing_the_gate(self) -> None:
        due = Revision.objects.filter(approved_go_live_at__lt=timezone.now()).order_by(
            "approved_go_live_at"
        )
        for revision in due:
            model = ContentType.objects.get_for_id(revision.content_type_id).model_class()
            if model is None or not issubclass(model, Page) or not is_governed(model):
                continue
            decision = gate_decision(revision)
            if decision.allowed:
                continue
            # A queryset update: clearing a schedule must not itself pass through the gate.
            Revision.objects.filter(pk=revision.pk).update(approved_go_live_at=None)
            refusal = QualityGateRefused(
                page_title=revision.object_str,
                unmet=["Ingeplande publicatie niet uitgevoerd", *decision.unmet],
                page=revision.content_object,
                revision=revision,
            )
            log_refusal(refusal=refusal)
            self.stderr.write(refusal.summary)
