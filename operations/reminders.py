"""Re-review reminders: the owner of a live product hears, once per review date, that it is due.

The scheduler (`manage.py run_scheduler`, started by `make run` and by docker-compose's
scheduler) calls `send_review_reminders` every day; a reminder is recorded so it goes only once.
"""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from operations.models import ReviewReminder
from products.models import ProductPage

# How long before the review date the owner hears of it.
REMIND_DAYS_AHEAD = 14


def products_due_for_review(*, today: datetime.date):
    """Live products whose review date falls within the reminder window or has passed."""

    return (
        ProductPage.objects.live()
        .filter(next_review_date__lte=today + datetime.timedelta(days=REMIND_DAYS_AHEAD))
        .exclude(product_owner__isnull=True)
        .exclude(product_owner__email="")
        .select_related("product_owner")
        .order_by("next_review_date", "pk")
    )


def _message(product, *, today: datetime.date) -> tuple[str, str]:
    due = product.next_review_date
    when = "is verstreken" if due < today else "nadert"
    subject = f"Herziening {when}: {product.title}"[:200].replace("\n", " ").replace("\r", " ")
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    body = (
        f"Beste {product.product_owner.get_full_name() or product.product_owner.get_username()},\n\n"
        f"De geplande herziening van '{product.title}' staat op {due:%d-%m-%Y}.\n"
        "Bekijk of de inhoud nog klopt, pas zo nodig aan en dien het product opnieuw in "
        "ter beoordeling, of zet een nieuwe herzieningsdatum.\n\n"
        f"{base}/admin/pages/{product.pk}/edit/\n"
    )
    return subject, body


def send_review_reminders(*, today: datetime.date | None = None) -> int:
    """Mail each due product's owner once for its review date; return how many were sent."""
    today = today or timezone.localdate()
    sent = 0
    for product in products_due_for_review(today=today):
        if ReviewReminder.objects.filter(
            product=product, review_date=product.next_review_date
        ).exists():
            continue
        subject, body = _message(product, today=today)
        try:
            with transaction.atomic():
                ReviewReminder.objects.create(
                    product=product,
                    review_date=product.next_review_date,
                    sent_to=product.product_owner.email,
                )
                send_mail(subject, body, None, [product.product_owner.email])
        except IntegrityError:  # another scheduler run recorded it first
            continue
        sent += 1
    return sent
