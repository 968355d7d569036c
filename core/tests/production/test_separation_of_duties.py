"""Separation of duties (issue 14, item 4): a Beheerder manages users but cannot make themselves
Coördinator or Kwaliteitsbewaker, nor anyone a superuser, nor widen their own group's rights; every
change to those groups is in the audit log and mailed to the other Beheerders. Wagtail's leftover
groups and root workflow are gone."""

import importlib

from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.test import Client
from django.urls import reverse

from wagtail.models import GroupPagePermission, ModelLogEntry, Page, Workflow, WorkflowPage

import pytest

from conftest import make_user
from core import roles
from core.bootstrap import bootstrap_hub
from core.security.duties import MEMBERSHIP_ACTION, PASSWORD_SET_ACTION
from products.models import InformationPage

pytestmark = pytest.mark.django_db
User = get_user_model()


def group(name: str) -> Group:
    return Group.objects.get(name=name)


def user_form(user, *, groups: list[Group], **extra) -> dict:
    data = {
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name or "Voornaam",
        "last_name": user.last_name or "Achternaam",
        "is_active": "on",
        "groups": [g.pk for g in groups],
        "password1": "",
        "password2": "",
    }
    data.update(extra)
    return data


@pytest.fixture
def beheer(administrator) -> Client:
    client = Client()
    client.force_login(administrator)
    return client


@pytest.fixture
def second_administrator(hub):
    return make_user("beheerder2", roles.ADMINISTRATOR)


@pytest.mark.parametrize("role", [roles.COORDINATOR, roles.REVIEWER])
def test_a_beheerder_cannot_add_themselves_to_coordinator_or_reviewer(beheer, administrator, role):
    url = reverse("wagtailusers_users:edit", args=[administrator.pk])
    response = beheer.post(
        url, user_form(administrator, groups=[group(roles.ADMINISTRATOR), group(role)])
    )
    assert response.status_code == 200
    assert "U kunt uzelf niet aan een groep toevoegen" in response.content.decode()
    assert not administrator.groups.filter(name=role).exists()


def test_the_bulk_assign_role_action_is_refused_too(beheer, administrator):
    url = (
        reverse("wagtail_bulk_action", args=["auth", "user", "assign_role"])
        + f"?id={administrator.pk}"
    )
    beheer.post(url, {"role": group(roles.COORDINATOR).pk, "id": [administrator.pk]})
    assert not administrator.groups.filter(name=roles.COORDINATOR).exists()


def test_a_beheerder_cannot_make_anyone_a_superuser(beheer, administrator, editor):
    edit = beheer.post(
        reverse("wagtailusers_users:edit", args=[editor.pk]),
        user_form(editor, groups=[group(roles.EDITOR)], is_superuser="on"),
    )
    assert edit.status_code == 302  # saved, without the field a Beheerder does not have
    editor.refresh_from_db()
    assert not editor.is_superuser
    create = beheer.post(
        reverse("wagtailusers_users:add"),
        {
            **user_form(
                User(username="nieuw", email="nieuw@example.org"), groups=[group(roles.EDITOR)]
            ),
            "password1": "een-Sterk-wachtwoord-2026",
            "password2": "een-Sterk-wachtwoord-2026",
            "is_superuser": "on",
        },
    )
    assert create.status_code == 302
    assert not User.objects.get(username="nieuw").is_superuser
    assert "is_superuser" not in beheer.get(reverse("wagtailusers_users:add")).content.decode()


def test_a_beheerder_cannot_widen_the_rights_of_their_own_group(beheer, administrator):
    own = group(roles.ADMINISTRATOR)
    url = reverse("wagtailusers_groups:edit", args=[own.pk])
    page = beheer.get(url)
    assert "waarvan u zelf lid bent" in page.content.decode()
    root = Page.objects.get(depth=2)
    before = GroupPagePermission.objects.filter(group=own).count()
    beheer.post(
        url,
        {
            "name": own.name,
            "permissions": list(own.permissions.values_list("pk", flat=True)),
            "page_permissions-TOTAL_FORMS": "1",
            "page_permissions-INITIAL_FORMS": "0",
            "page_permissions-MIN_NUM_FORMS": "0",
            "page_permissions-MAX_NUM_FORMS": "1000",
            "page_permissions-0-page": root.pk,
            "page_permissions-0-permissions": ["publish_page"],
        },
    )
    assert not GroupPagePermission.objects.filter(
        group=own, permission__codename="publish_page"
    ).exists()
    assert GroupPagePermission.objects.filter(group=own).count() == before


def test_coordinator_membership_changes_are_logged_and_mailed_to_the_other_beheerders(
    beheer, administrator, second_administrator, editor
):
    mail.outbox.clear()
    response = beheer.post(
        reverse("wagtailusers_users:edit", args=[editor.pk]),
        user_form(editor, groups=[group(roles.EDITOR), group(roles.COORDINATOR)]),
    )
    assert response.status_code == 302
    assert editor.groups.filter(name=roles.COORDINATOR).exists()  # other people: allowed

    entry = ModelLogEntry.objects.get(action=MEMBERSHIP_ACTION, object_id=str(editor.pk))
    assert entry.user == administrator
    assert entry.data == {"group": roles.COORDINATOR, "change": "added"}
    history = beheer.get(reverse("wagtailadmin_reports:site_history")).content.decode()
    assert "Toegevoegd aan de groep Coördinator" in history

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [second_administrator.email]  # the others, not the one who did it
    assert roles.COORDINATOR in message.subject and "\n" not in message.subject

    mail.outbox.clear()
    beheer.post(
        reverse("wagtailusers_users:edit", args=[editor.pk]),
        user_form(editor, groups=[group(roles.EDITOR)]),
    )
    assert ModelLogEntry.objects.filter(
        action=MEMBERSHIP_ACTION, object_id=str(editor.pk), data__change="removed"
    ).exists()
    assert len(mail.outbox) == 1 and "verwijderd" in mail.outbox[0].subject


def test_an_ordinary_group_change_is_not_mailed(beheer, second_administrator, editor):
    mail.outbox.clear()
    beheer.post(
        reverse("wagtailusers_users:edit", args=[editor.pk]),
        user_form(editor, groups=[group(roles.EDITOR)], first_name="Ander"),
    )
    assert mail.outbox == []


def test_wagtails_leftover_groups_and_root_workflow_are_gone(hub):
    assert not Group.objects.filter(name__in=["Moderators", "Editors"]).exists()
    assert not WorkflowPage.objects.filter(page__depth=1).exists()
    assert not Workflow.objects.filter(name="Moderators approval", active=True).exists()
    # Information pages have no Wagtail workflow: the Coördinator publishes them (docs).
    info = InformationPage.objects.get(slug="toegankelijkheid")
    assert info.get_workflow() is None
    assert not bootstrap_hub()  # idempotent: a second run changes nothing


def wagtails_defaults_back() -> None:
    """A database as Wagtail's own migrations leave it, before the hub's migration."""
    root = Page.objects.get(depth=1)
    for name in ("Moderators", "Editors"):
        GroupPagePermission.objects.create(
            group=Group.objects.create(name=name),
            page=root,
            permission=Permission.objects.get(codename="change_page"),
        )
    workflow = Workflow.objects.create(name="Moderators approval", active=True)
    WorkflowPage.objects.create(page=root, workflow=workflow)


def assert_defaults_gone() -> None:
    assert not Group.objects.filter(name__in=["Moderators", "Editors"]).exists()
    assert not WorkflowPage.objects.filter(page__depth=1).exists()
    assert not Workflow.objects.filter(name="Moderators approval").exists()


def test_the_data_migration_and_bootstrap_remove_them_from_an_existing_database(hub):
    migration = importlib.import_module(
        "core.security.migrations.0001_remove_wagtail_default_groups_and_workflow"
    )
    wagtails_defaults_back()
    migration.remove_defaults(django_apps, None)
    assert_defaults_gone()

    wagtails_defaults_back()
    changes = bootstrap_hub()
    assert any("Moderators" in change for change in changes)
    assert_defaults_gone()
    assert not bootstrap_hub()


def test_taking_over_a_coordinator_is_reported_to_the_other_beheerders(
    beheer, administrator, second_administrator, coordinator
):
    """A Beheerder who sets a Coördinator's password and wipes their 2FA could sign in as them:
    both steps are in the audit log and mailed to the other Beheerders."""
    mail.outbox.clear()
    beheer.post(
        reverse("wagtailusers_users:edit", args=[coordinator.pk]),
        user_form(
            coordinator,
            groups=[group(roles.COORDINATOR)],
            password1="Nieuw-Wachtwoord-2026!",
            password2="Nieuw-Wachtwoord-2026!",
        ),
    )
    assert ModelLogEntry.objects.filter(
        action=PASSWORD_SET_ACTION, object_id=str(coordinator.pk), user=administrator
    ).exists()
    beheer.post(reverse("security_2fa_reset", args=[coordinator.pk]))
    subjects = [message.subject for message in mail.outbox]
    assert any("Wachtwoord van" in subject for subject in subjects)
    assert any("Tweestapsverificatie van" in subject for subject in subjects)
    assert all(message.to == [second_administrator.email] for message in mail.outbox)
