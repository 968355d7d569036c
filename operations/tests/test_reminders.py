"""Re-review reminders: the owner of a live product is mailed once per review date."""

import datetime

from django.core import mail

import pytest

from conftest import make_user
from hubcms.testing.factories import add_operational_evidence
from hubcms.testing.publishing import publish
from operations.models import ReviewReminder
from operations.reminders import send_review_reminders

TODAY = datetime.date.today()


@pytest.fixture
def owner(hub):
    return make_user("eigenaar")


def _live(product, owner, review_date):
    product.product_owner = owner
    product.next_review_date = review_date
    product.save()
    add_operational_evidence(product)  # framework 1.1 for 'beschikbaar'
    return publish(product)


def test_owner_is_reminded_once_of_a_review_date_within_two_weeks(product, owner):
    _live(product, owner, TODAY + datetime.timedelta(days=10))

    assert send_review_reminders(today=TODAY) == 1
    assert send_review_reminders(today=TODAY) == 0  # the next run does not mail again

    (message,) = mail.outbox
    assert message.to == ["eigenaar@example.org"]
    assert message.subject == "Herziening nadert: Werkfit-scan"
    assert f"{TODAY + datetime.timedelta(days=10):%d-%m-%Y}" in message.body
    assert f"/admin/pages/{product.pk}/edit/" in message.body
    assert ReviewReminder.objects.get().review_date == TODAY + datetime.timedelta(days=10)


def test_overdue_review_says_so_and_far_reviews_wait(product, owner):
    _live(product, owner, TODAY + datetime.timedelta(days=1))  # the gate wants a future date
    later = TODAY + datetime.timedelta(days=2)
    assert send_review_reminders(today=later) == 1
    assert mail.outbox[0].subject.startswith("Herziening is verstreken")

    mail.outbox.clear()
    product.refresh_from_db()
    product.next_review_date = TODAY + datetime.timedelta(days=400)
    product.save_revision()  # a draft with a later date: the live date was already reminded of
    assert send_review_reminders(today=later) == 0


def test_a_new_review_date_gets_its_own_reminder(product, owner):
    page = _live(product, owner, TODAY + datetime.timedelta(days=3))
    send_review_reminders(today=TODAY)
    page.next_review_date = TODAY + datetime.timedelta(days=5)
    publish(page)
    assert send_review_reminders(today=TODAY) == 1
    assert len(mail.outbox) == 2


def test_drafts_are_not_reminded(product, owner):
    product.product_owner = owner
    product.next_review_date = TODAY + datetime.timedelta(days=1)
    product.save_revision()
    assert send_review_reminders(today=TODAY) == 0
