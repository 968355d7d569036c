"""Wagtail's admin pages API, publishing through the governed page's own `publish`.

Wagtail's API publish action runs its publish action directly; for a governed page it runs
`revision.publish()` instead, so that the gate and the final approval of `GovernedPage.publish`
apply (quality/pages.py). Every action runs in one transaction: a refusal (by the gate,
or by the backstop on the live revision for a copy kept live or a live alias converted) is a 400
with the Dutch reasons, changes nothing, and stays in the audit log.
"""

from typing import Any

from django.db import transaction

from wagtail.admin.api.actions.publish import PublishPageAPIAction
from wagtail.admin.api.views import PagesAdminAPIViewSet

from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from quality.gate import QualityGateRefused, is_governed, log_refusal


class GatedPublishPageAPIAction(PublishPageAPIAction):
    def execute(self, instance: Any, data: dict[str, Any]) -> Any:
        specific = instance.specific
        if not is_governed(specific):
            return super().execute(instance, data)
        user = self.request.user
        revision = specific.get_latest_revision() or specific.save_revision(user=user)
        revision.publish(user=user)
        page = instance.specific_class.objects.get(pk=instance.pk)
        return Response(self.view.get_serializer(page).data, status=status.HTTP_200_OK)


class GatedPagesAdminAPIViewSet(PagesAdminAPIViewSet):
    actions = {**PagesAdminAPIViewSet.actions, "publish": GatedPublishPageAPIAction}

    def action_view(self, request: Any, pk: int, action_name: str) -> Any:
        """Run the action in one transaction: a refusal anywhere inside changes nothing."""
        try:
            with transaction.atomic():
                return super().action_view(request, pk, action_name)
        except QualityGateRefused as refusal:
            # The rollback may have taken its audit-log entry with it.
            log_refusal(refusal=refusal, user=request.user, persist_again=True)
            raise ValidationError({"kwaliteitskader": refusal.unmet}) from refusal
        except ValidationError as error:
            if isinstance(error.__cause__, QualityGateRefused):
                log_refusal(refusal=error.__cause__, user=request.user, persist_again=True)
            raise
