"""Background tasks of the hub's operations: the e-mail about a new knowledge signal."""

from django_tasks import task

from operations.models import KnowledgeSignal
from operations.services import send_signal_notification


@task()
def notify_coordinators_task(signal_id: int) -> bool:
    """Mail the coordinators about signal `signal_id` once; a failure raises and is retried."""
    signal = KnowledgeSignal.objects.select_related("region").filter(pk=signal_id).first()
    if signal is None or signal.notification_sent_at is not None:
        return False
    send_signal_notification(signal)
    return True
