"""What was assessed is exactly what goes live (issue 14, items 1 and 2).

Each finding of the issue is tried the way an attacker did, through the real admin views and the
admin API: overwriting an assessed revision, replacing a document or image in place, a maker who
assesses or approves their own work, a publication that cancels the workflow, and an alias
conversion that is refused only after it changed the page. A positive control per rule shows that
the honest path still works.
"""

import importlib
import io

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, Revision, TaskState, Workflow, WorkflowState

import pytest
from PIL import Image as PILImage

from conftest import make_user
from core import roles
from hubcms.testing.publishing import publish
from products.models import ProductImage
from quality.gate import CONTENT_CHANGED, RevisionLocked, gate_decision
from quality.labels import quality_label
from quality.models import QualityAssessment
from quality.tests.conftest import make_complete_product
from quality.tests.test_gate_paths import line_form
from quality.tests.test_workflow import current_state, judgement_form, review_url, submit

ORIGINAL = "Een lijn van producten rond één opgave."
TAMPERED = "Ongetoetste tekst, na de toets ingevoegd."


def pass_review(client, reviewer, page) -> WorkflowState:
    """The Kwaliteitsbewaker passes the submitted revision through the review form."""
    state = current_state(page)
    client.force_login(reviewer)
    response = client.post(review_url(state), judgement_form(page))
    assert response.status_code == 302
    state.refresh_from_db()
    assert state.current_task_state.task.name == "Eindgoedkeuring"
    return state


def approve(client, user, page, state):
    client.force_login(user)
    url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=(page.pk, "approve", state.current_task_state_id),
    )
    return client.post(url)


def edit(client, user, line, extra: dict | None = None, **fields):
    """Save the line through the admin's edit form, with `extra` raw POST fields."""
    client.force_login(user)
    return client.post(
        reverse("wagtailadmin_pages:edit", args=(line.pk,)),
        {**line_form(line, **fields), **(extra or {})},
        follow=True,
    )


def live_summary(page) -> str:
    page = Page.objects.get(pk=page.pk).specific
    assert page.live
    return page.summary


# --- Item 1: a submitted or assessed revision is never overwritten ----------------------------------


@pytest.mark.django_db
def test_the_editor_cannot_overwrite_an_assessed_revision_after_changes_were_asked(
    client, line, editor, reviewer, coordinator
):
    submit(client, editor, line)
    state = pass_review(client, reviewer, line)
    assessed = state.current_task_state.revision
    state.current_task_state.reject(user=coordinator, comment="Wijzigingen vragen")

    response = edit(
        client, editor, line, summary=TAMPERED, extra={"overwrite_revision_id": str(assessed.pk)}
    )

    assert "wordt daarom niet overschreven" in response.content.decode()
    assert Revision.objects.get(pk=assessed.pk).content["summary"] == ORIGINAL
    assert TAMPERED not in str(Revision.objects.get(pk=assessed.pk).content)


@pytest.mark.django_db
def test_the_coordinator_cannot_overwrite_a_revision_waiting_for_final_approval(
    client, line, reviewer, coordinator, coordinator2
):
    submit(client, coordinator2, line)
    state = pass_review(client, reviewer, line)
    assessed = state.current_task_state.revision

    response = edit(
        client,
        coordinator2,
        line,
        summary=TAMPERED,
        extra={"overwrite_revision_id": str(assessed.pk)},
    )
    assert "wordt daarom niet overschreven" in response.content.decode()

    # The final approval publishes exactly what the Kwaliteitsbewaker judged.
    assert approve(client, coordinator, line, state).status_code == 302
    assert live_summary(line) == ORIGINAL
    assert quality_label(Page.objects.get(pk=line.pk))


@pytest.mark.django_db
def test_a_locked_revision_is_not_overwritten_in_code_either(client, line, editor, reviewer):
    submit(client, editor, line)
    revision = current_state(line).current_task_state.revision
    page = revision.as_object()
    page.summary = TAMPERED
    with pytest.raises(RevisionLocked):
        page.save_revision(user=editor, overwrite_revision=revision)
    assert Revision.objects.get(pk=revision.pk).content["summary"] == ORIGINAL


@pytest.mark.django_db
def test_autosave_over_an_assessed_revision_gets_a_dutch_error(
    client, line, reviewer, coordinator2
):
    submit(client, coordinator2, line)
    revision = pass_review(client, reviewer, line).current_task_state.revision
    client.force_login(coordinator2)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=(line.pk,)),
        {**line_form(line, summary=TAMPERED), "overwrite_revision_id": str(revision.pk)},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    assert "wordt daarom niet overschreven" in response.json()["error_message"]
    assert Revision.objects.get(pk=revision.pk).content["summary"] == ORIGINAL


@pytest.mark.django_db
def test_an_unsubmitted_draft_is_still_overwritten_by_autosave(client, line, editor):
    """Positive control: Wagtail's overwrite of one's own unsubmitted draft keeps working."""
    draft = line.save_revision(user=editor)
    edit(
        client,
        editor,
        line,
        summary="Nog een concept.",
        extra={"overwrite_revision_id": str(draft.pk)},
    )
    assert Revision.objects.get(pk=draft.pk).content["summary"] == "Nog een concept."


@pytest.mark.django_db
def test_an_assessment_does_not_count_for_content_changed_after_it(
    client, line, editor, reviewer, coordinator
):
    submit(client, editor, line)
    state = pass_review(client, reviewer, line)
    revision = state.current_task_state.revision
    # Any way the stored revision changes afterwards (here straight in the database).
    content = {**revision.content, "summary": TAMPERED}
    Revision.objects.filter(pk=revision.pk).update(content=content)

    response = approve(client, coordinator, line, state)

    assert response.url == reverse("quality_gate_status", args=(line.pk,))
    assert not Page.objects.get(pk=line.pk).live
    assert CONTENT_CHANGED in gate_decision(Revision.objects.get(pk=revision.pk)).message
    assert CONTENT_CHANGED in client.get(response.url).content.decode()


# --- Item 1: documents and images under governed pages are not replaced in place ---------------------


def png_bytes(colour=(200, 80, 40)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 48), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def read(field_file) -> bytes:
    with field_file.storage.open(field_file.name, "rb") as handle:
        return handle.read()


@pytest.fixture
def live_product(library, line, editor):
    product = make_complete_product(library, line, editor, title="Scan met handleiding")
    image = get_image_model().objects.create(
        title="Werkplaats", file=ContentFile(png_bytes(), name="werkplaats.png")
    )
    product.images.add(ProductImage(image=image, alt_text="Een werkplaats van een SOB"))
    product.save()
    return publish(product)


def document_form(document, content: bytes) -> dict:
    return {
        "title": document.title,
        "file": SimpleUploadedFile("handleiding-v2.txt", content, content_type="text/plain"),
        "collection": document.collection_id,
        "tags": "",
    }


@pytest.mark.django_db
def test_a_document_under_a_live_product_is_not_replaced_in_place(client, live_product, editor):
    document = live_product.downloads.first().document
    before = read(document.file)
    client.force_login(editor)
    url = reverse("wagtaildocs:edit", args=(document.pk,))
    assert "nieuwe versie uploadt u als nieuw bestand" in client.get(url).content.decode()

    response = client.post(url, document_form(document, b"Vervalste handleiding"))

    assert response.status_code == 200
    assert "wordt niet vervangen" in response.content.decode()
    assert "Scan met handleiding" in response.content.decode()
    document.refresh_from_db()
    assert read(document.file) == before


@pytest.mark.django_db
def test_a_document_under_a_live_product_is_not_replaced_in_code_either(live_product):
    from quality.gate import MediaInUse

    document = live_product.downloads.first().document
    before = read(document.file)
    document.file = ContentFile(b"Vervalste handleiding", name="handleiding.txt")
    with pytest.raises(MediaInUse):
        document.save()
    document = get_document_model().objects.get(pk=document.pk)
    assert read(document.file) == before
    document.title = "Handleiding (nieuwe titel)"
    document.save()  # everything but the file may still change


@pytest.mark.django_db
def test_a_document_no_governed_page_shows_can_be_replaced(client, hub, editor):
    """Positive control: the rule is about governed use, not every document."""
    document = get_document_model().objects.create(
        title="Los bestand", file=ContentFile(b"Eerste versie", name="los.txt")
    )
    client.force_login(editor)
    response = client.post(
        reverse("wagtaildocs:edit", args=(document.pk,)),
        document_form(document, b"Tweede versie"),
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert read(document.file) == b"Tweede versie"


@pytest.mark.django_db
def test_an_image_under_a_live_product_is_not_replaced_in_place(client, live_product, editor):
    image = live_product.images.first().image
    before = read(image.file)
    client.force_login(editor)
    response = client.post(
        reverse("wagtailimages:edit", args=(image.pk,)),
        {
            "title": image.title,
            "file": SimpleUploadedFile("ander.png", png_bytes((0, 0, 255)), "image/png"),
            "description": "",
            "collection": Collection.get_first_root_node().pk,
            "tags": "",
        },
    )
    assert response.status_code == 200
    assert "wordt niet vervangen" in response.content.decode()
    image.refresh_from_db()
    assert read(image.file) == before


@pytest.mark.django_db
def test_a_document_changed_under_a_submitted_revision_fails_the_gate(
    client, library, line, editor, reviewer, coordinator
):
    product = make_complete_product(library, line, editor, title="Scan in de workflow")
    Workflow.objects.get(name="Kwaliteitsborging").start(product, editor)
    state = pass_review(client, reviewer, product)
    document = product.downloads.first().document
    # The bytes change behind Wagtail's back (storage, a restore, another tool).
    with document.file.storage.open(document.file.name, "wb") as handle:
        handle.write(b"Andere handleiding")

    response = approve(client, coordinator, product, state)

    assert response.url == reverse("quality_gate_status", args=(product.pk,))
    assert not Page.objects.get(pk=product.pk).live
    assert CONTENT_CHANGED in client.get(response.url).content.decode()


# --- Item 2: makers are everyone who changed the content ------------------------------------------


@pytest.mark.django_db
def test_a_reviewer_who_edited_the_content_cannot_assess_it_when_someone_else_submits(
    client, line, editor, second_reviewer
):
    edit(client, second_reviewer, line, summary="Door de kwaliteitsbewaker herschreven.")
    submit(client, editor, line)  # unchanged: a new revision by the editor
    state = current_state(line)
    client.force_login(second_reviewer)
    response = client.post(review_url(state), judgement_form(line), follow=True)
    assert "niet zelf maakte of indiende" in response.content.decode()
    assert not QualityAssessment.objects.exists()


@pytest.mark.django_db
def test_a_coordinator_who_edited_the_content_cannot_give_final_approval(
    client, line, editor, reviewer, coordinator, coordinator2
):
    edit(client, coordinator, line, summary="Door de coördinator herschreven.")
    submit(client, editor, line)
    state = pass_review(client, reviewer, line)

    approve(client, coordinator, line, state)
    assert not Page.objects.get(pk=line.pk).live
    assert TaskState.objects.get(pk=state.current_task_state_id).status == "in_progress"

    # Positive control: a Coördinator who did not touch it approves.
    approve(client, coordinator2, line, state)
    assert Page.objects.get(pk=line.pk).live


# --- Item 2: publishing an assessed revision is the final approval, never a silent cancel -----------


def api_publish(client, user, page):
    client.force_login(user)
    return client.post(reverse("wagtailadmin_api:pages:action", args=(page.pk, "publish")))


@pytest.mark.django_db
def test_admin_api_publish_records_the_final_approval(client, line, editor, reviewer, coordinator):
    submit(client, editor, line)
    state = pass_review(client, reviewer, line)
    task_state_id = state.current_task_state_id

    response = api_publish(client, coordinator, line)

    assert response.status_code == 200
    assert live_summary(line) == ORIGINAL
    task_state = TaskState.objects.get(pk=task_state_id)
    assert task_state.status == "approved" and task_state.finished_by == coordinator
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED  # not cancelled


@pytest.mark.django_db
def test_admin_api_publish_by_a_maker_is_refused_and_keeps_the_workflow(
    client, line, reviewer, coordinator
):
    submit(client, coordinator, line)
    state = pass_review(client, reviewer, line)

    response = api_publish(client, coordinator, line)

    assert response.status_code == 400
    assert "eindgoedkeuring" in response.content.decode()
    assert not Page.objects.get(pk=line.pk).live
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert TaskState.objects.get(pk=state.current_task_state_id).status == "in_progress"


@pytest.mark.django_db
def test_admin_api_publish_during_the_review_step_is_refused(client, line, editor, coordinator):
    submit(client, editor, line)
    state = current_state(line)
    response = api_publish(client, coordinator, line)
    assert response.status_code == 400
    assert "Kwaliteitstoets" in response.content.decode()
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS


@pytest.mark.django_db
def test_bulk_publish_records_the_final_approval(client, line, editor, reviewer, coordinator):
    submit(client, editor, line)
    state = pass_review(client, reviewer, line)
    task_state_id = state.current_task_state_id
    client.force_login(coordinator)
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))

    response = client.post(f"{url}?id={line.pk}", {"include_descendants": ""})

    assert response.status_code == 302
    assert live_summary(line) == ORIGINAL
    task_state = TaskState.objects.get(pk=task_state_id)
    assert task_state.status == "approved" and task_state.finished_by == coordinator
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED


@pytest.mark.django_db
def test_bulk_publish_by_a_maker_is_refused_and_keeps_the_workflow(
    client, line, reviewer, coordinator
):
    submit(client, coordinator, line)
    state = pass_review(client, reviewer, line)
    client.force_login(coordinator)
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
    response = client.post(f"{url}?id={line.pk}", {"include_descendants": ""}, follow=True)
    assert "Er is niets gepubliceerd" in response.content.decode()
    assert not Page.objects.get(pk=line.pk).live
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS


# --- Item 2: a refused alias conversion changes nothing ----------------------------------------------


@pytest.mark.django_db
def test_admin_api_convert_alias_of_a_live_alias_changes_nothing(client, library, line, editor):
    live = publish(make_complete_product(library, line, editor, title="Scan met alias"))
    alias = live.create_alias(update_slug="alias-van-de-scan")
    revisions = Revision.objects.filter(object_id=str(alias.pk)).count()
    admin = make_user("coordinator_api", roles.COORDINATOR)
    client.force_login(admin)

    response = client.post(
        reverse("wagtailadmin_api:pages:action", args=(alias.pk, "convert_alias"))
    )

    assert response.status_code == 400
    assert Page.objects.get(pk=alias.pk).alias_of_id == live.pk
    assert Revision.objects.filter(object_id=str(alias.pk)).count() == revisions
    assert "Een gepubliceerde alias wordt bij omzetten" in response.content.decode()


@pytest.mark.django_db
def test_converting_a_live_alias_in_code_changes_nothing(library, line, editor):
    from wagtail.actions.convert_alias import ConvertAliasPageAction

    from quality.gate import QualityGateRefused

    live = publish(make_complete_product(library, line, editor, title="Scan met alias"))
    alias = live.create_alias(update_slug="alias-in-code")
    with pytest.raises(QualityGateRefused):
        ConvertAliasPageAction(Page.objects.get(pk=alias.pk).specific).execute()
    assert Page.objects.get(pk=alias.pk).alias_of_id == live.pk
    assert not Revision.objects.filter(object_id=str(alias.pk)).exists()


# --- The migration binds assessments made before the fingerprint ---------------------------------------


@pytest.mark.django_db
def test_existing_assessments_are_bound_to_their_revision_on_migration(
    library, line, editor, reviewer
):
    from quality.gate import framework_in_force

    product = make_complete_product(library, line, editor, title="Van voor de binding")
    revision = product.get_latest_revision()
    QualityAssessment.objects.create(
        page_id=product.pk,
        page_title=product.title,
        revision=revision,
        framework_version=framework_in_force(),
        reviewer=reviewer,
        reviewer_name="kwaliteit",
        passed=True,
    )
    assert CONTENT_CHANGED in gate_decision(revision).message  # unbound: counts for nothing

    migration = importlib.import_module("quality.migrations.0002_assessment_fingerprint")
    migration.bind_existing_assessments(apps, None)

    assert QualityAssessment.objects.get().fingerprint
    assert gate_decision(revision).allowed
