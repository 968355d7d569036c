"""Wagtail's admin pages API, with the quality gate checked before its publish and copy actions.

The admin API's actions call Wagtail's publish and copy actions directly; checking the gate first
gives a 400 with the Dutch reasons, changes nothing, and keeps the refusal in the audit log.
"""

from wagtail.admin.api.actions.copy import CopyPageAPIAction
from wagtail.admin.api.actions.publish import PublishPageAPIAction
from wagtail.admin.api.views import PagesAdminAPIViewSet

from rest_framework.exceptions import ValidationError

from content.quality.gate import QualityGateRefused, ensure_may_go_live, is_governed, log_refusal


class GatedPublishPageAPIAction(PublishPageAPIAction):
    def execute(self, instance, data):
        specific = instance.specific
        revision = specific.get_latest_revision()
        if is_governed(specific) and revision is not None:
            try:
                ensure_may_go_live(revision=revision, user=self.request.user)
            except QualityGateRefused as refusal:
                raise ValidationError({"kwaliteitskader": refusal.unmet}) from refusal
        return super().execute(instance, data)


class GatedCopyPageAPIAction(CopyPageAPIAction):
    def execute(self, instance, data):
        if data.get("keep_live", True) and instance.live and is_governed(instance.specific):
            refusal = QualityGateRefused(
                page_title=instance.title,
                unmet=["Een kopie gaat niet live mee: zij heeft nog geen kwaliteitstoets"],
                page=instance.specific,
            )
            log_refusal(refusal=refusal, user=self.request.user)
            raise ValidationError({"kwaliteitskader": refusal.unmet})
        return super().execute(instance, data)


class GatedPagesAdminAPIViewSet(PagesAdminAPIViewSet):
    actions = {
        **PagesAdminAPIViewSet.actions,
        "publish": GatedPublishPageAPIAction,
        "copy": GatedCopyPageAPIAction,
    }
