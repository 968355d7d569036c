"""Reviewing with the content in view, and workflow messages that are true (issue 15, item 2)."""

from django.urls import reverse

from wagtail.models import WorkflowState

import pytest

from hubcms.testing.publishing import publish
from quality.admin_messages import REVIEW_LOCK_MESSAGE
from quality.models import QualityAssessment
from quality.tests.test_gate_paths import line_form
from quality.tests.test_workflow import current_state, judgement_form, review_url, submit

pytestmark = pytest.mark.django_db

WAGTAIL_SUBMITTED = "is ter goedkeuring ingediend"
WAGTAIL_REVIEWERS_MAY_EDIT = "kan alleen bewerkt worden door reviewers van deze taak"


def awaiting_review_panel(html: str) -> str:
    """The dashboard's 'In afwachting van jouw beoordeling' panel, or '' when it is not shown."""
    if 'id="awaiting-review-section"' not in html:
        return ""
    return html.split('id="awaiting-review-section"', 1)[1].split("</section>", 1)[0]


def test_the_review_form_shows_the_content_and_its_difference_from_live(
    client, line, editor, reviewer
):
    live_summary = "De oude samenvatting die live staat."
    line.summary = live_summary
    publish(line)
    submit(client, editor, line)  # the form changes the summary and the goal
    state = current_state(line)
    client.force_login(reviewer)
    html = client.get(review_url(state)).content.decode()
    changes = html.split("Wijzigingen ten opzichte van de live versie", 1)[1].split(
        "Inhoud van deze revisie", 1
    )[0]
    assert live_summary in changes  # what was live, marked as removed
    assert "Een lijn van producten rond één opgave." in changes  # what is new
    content = html.split("Inhoud van deze revisie", 1)[1].split("Handmatige criteria", 1)[0]
    assert "Gemeenten en SOB&#x27;s werken met dezelfde taal." in content
    assert "Actueel met wet en beleid" in html  # beside the criteria
    # The content stays in view after a form error.
    response = client.post(review_url(state), judgement_form(line, fail={"taalniveau_b1": ""}))
    assert "Inhoud van deze revisie" in response.content.decode()


def test_a_new_page_under_review_is_shown_whole(client, line, editor, reviewer):
    submit(client, editor, line)
    client.force_login(reviewer)
    html = client.get(review_url(current_state(line))).content.decode()
    assert "nog niets live" in html
    assert "Een lijn van producten rond één opgave." in html


def test_authors_never_see_their_own_work_awaiting_their_review(
    client, line, editor_reviewer, reviewer
):
    submit(client, editor_reviewer, line)
    client.force_login(editor_reviewer)
    own = awaiting_review_panel(client.get(reverse("wagtailadmin_home")).content.decode())
    assert line.title not in own
    # A Kwaliteitsbewaker who did not make it sees it (positive control).
    client.force_login(reviewer)
    other = awaiting_review_panel(client.get(reverse("wagtailadmin_home")).content.decode())
    assert line.title in other


def test_a_submission_the_automatic_check_sends_back_is_not_called_submitted(client, line, editor):
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:edit", args=(line.pk,))
    response = client.post(url, {**line_form(line, summary=""), "action-submit": "1"})
    assert response.status_code == 302 and response.url == url
    html = client.get(url).content.decode()
    assert WAGTAIL_SUBMITTED not in html
    assert "is niet ingediend: de automatische controle stuurde de indiening terug" in html
    assert "Samenvatting aanwezig en kort" in html and "Vul de samenvatting in" in html
    # Later visits of the edit page still show why, as long as the changes are awaited.
    again = client.get(url).content.decode()
    assert "De automatische controle stuurde de laatste indiening terug" in again
    assert "Vul de samenvatting in" in again
    assert WorkflowState.objects.get(object_id=str(line.pk)).status == "needs_changes"


def test_a_submission_that_passes_the_check_is_called_submitted(client, line, editor):
    response = submit(client, editor, line)
    html = client.get(response.url).content.decode()
    assert WAGTAIL_SUBMITTED in html
    assert "is niet ingediend" not in html


def test_a_revision_sent_back_by_the_reviewer_shows_the_reasons(client, line, editor, reviewer):
    submit(client, editor, line)
    client.force_login(reviewer)
    fail = {"taalniveau_b1": "Te veel jargon in het doel."}
    client.post(review_url(current_state(line)), judgement_form(line, fail=fail))
    assert not QualityAssessment.objects.get().passed
    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_pages:edit", args=(line.pk,))).content.decode()
    assert "zijn wijzigingen gevraagd" in html and "Te veel jargon in het doel." in html


@pytest.mark.parametrize("role", ["editor", "reviewer"])
def test_the_lock_banner_does_not_say_reviewers_may_edit(request, client, line, editor, role):
    submit(client, editor, line)
    client.force_login(request.getfixturevalue(role))
    html = client.get(reverse("wagtailadmin_pages:edit", args=(line.pk,))).content.decode()
    assert WAGTAIL_REVIEWERS_MAY_EDIT not in html
    assert REVIEW_LOCK_MESSAGE.split(":")[0] in html


def test_an_invalid_general_note_is_explained_and_nothing_is_recorded(
    client, line, editor, reviewer
):
    submit(client, editor, line)
    state = current_state(line)
    client.force_login(reviewer)
    response = client.post(review_url(state), judgement_form(line, note="Prima product.\x00"))
    assert response.status_code == 200
    html = response.content.decode()
    note_field = html.split('for="id_note"', 1)[1].split("</textarea>", 1)[0]
    assert 'class="error-message" role="alert"' in note_field
    assert not QualityAssessment.objects.filter(page_id=line.pk).exists()
