"""Wagtail's admin pages API, with the quality gate checked before its actions change anything.

The admin API's actions call Wagtail's actions directly. Each action runs in one transaction and
is refused before it writes: a refusal is a 400 with the Dutch reasons, changes nothing, and stays
in the audit log. Publishing a page that waits for final approval records that approval as the
user's (or is refused); it never cancels the workflow.
"""

from django.db import transaction

from wagtail.admin.api.actions.convert_alias import ConvertAliasPageAPIAction
from wagtail.admin.api.actions.copy import CopyPageAPIAction
from wagtail.admin.api.actions.publish import PublishPageAPIAction
from wagtail.admin.api.views import PagesAdminAPIViewSet

from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from quality.gate import (
    ALIAS_CONVERSION_REFUSED,
    QualityGateRefused,
    approve_by_publishing,
    ensure_may_publish,
    is_governed,
    log_refusal,
)


def _refused(refusal: QualityGateRefused) -> ValidationError:
    return ValidationError({"kwaliteitskader": refusal.unmet})


class GatedPublishPageAPIAction(PublishPageAPIAction):
    def execute(self, instance, data):
        specific = instance.specific
        revision = specific.get_latest_revision()
        if is_governed(specific) and revision is not None:
            try:
                route = ensure_may_publish(revision=revision, user=self.request.user)
            except QualityGateRefused as refusal:
                raise _refused(refusal) from refusal
            if route.final_approval is not None:
                approve_by_publishing(route=route, user=self.request.user)
                page = instance.specific_class.objects.get(pk=instance.pk)
                return Response(self.view.get_serializer(page).data, status=status.HTTP_200_OK)
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
            raise _refused(refusal)
        return super().execute(instance, data)


class GatedConvertAliasPageAPIAction(ConvertAliasPageAPIAction):
    def execute(self, instance, data):
        specific = instance.specific
        if specific.alias_of_id and specific.live and is_governed(specific):
            refusal = QualityGateRefused(
                page_title=specific.title, unmet=[ALIAS_CONVERSION_REFUSED], page=specific
            )
            log_refusal(refusal=refusal, user=self.request.user)
            raise _refused(refusal)
        return super().execute(instance, data)


class GatedPagesAdminAPIViewSet(PagesAdminAPIViewSet):
    actions = {
        **PagesAdminAPIViewSet.actions,
        "publish": GatedPublishPageAPIAction,
        "copy": GatedCopyPageAPIAction,
        "convert_alias": GatedConvertAliasPageAPIAction,
    }

    def action_view(self, request, pk, action_name):
        """Run the action in one transaction: a refusal anywhere inside changes nothing."""
        try:
            with transaction.atomic():
                return super().action_view(request, pk, action_name)
        except QualityGateRefused as refusal:
            # Raised by a model-level guard; the rollback took its audit-log entry with it.
            log_refusal(refusal=refusal, user=request.user, persist_again=True)
            raise _refused(refusal) from refusal
        except ValidationError as error:
            if isinstance(error.__cause__, QualityGateRefused):
                log_refusal(refusal=error.__cause__, user=request.user, persist_again=True)
            raise
