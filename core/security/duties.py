"""Separation of duties in user management (issue 14, item 4).

Rules, in plain functions and enforced twice: in the admin's forms (a Dutch message) and at the
model level (`m2m_changed`/`pre_save`, for every other path such as the bulk "assign role" action):

- nobody but a superuser adds themselves to a group (so no Beheerder makes themselves Coördinator or
  Kwaliteitsbewaker, nor joins a group they just gave more rights);
- nobody but a superuser makes anyone a superuser;
- nobody but a superuser changes the rights of a group they belong to;
- every change to the membership of Coördinator or Kwaliteitsbewaker is in the audit log and mailed
  to the other Beheerders.

The acting user is Wagtail's log context: the admin sets it for every admin request.
"""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail

from wagtail.log_actions import get_active_log_context, log

from core import roles

PROTECTED_GROUPS = (roles.COORDINATOR, roles.REVIEWER)
MEMBERSHIP_ACTION = "hubcms.group_membership"
PASSWORD_SET_ACTION = "hubcms.password_set_by_other"

SELF_ADD_MESSAGE = (
    "U kunt uzelf niet aan een groep toevoegen (%(groups)s). Vraag een andere beheerder; zo "
    "blijven beheer, toetsing en publicatie in verschillende handen."
)
SUPERUSER_MESSAGE = "Alleen een superuser kan iemand superuser maken."
OWN_GROUP_MESSAGE = (
    "U kunt de rechten van een groep waarvan u zelf lid bent niet wijzigen. Vraag een andere "
    "beheerder."
)


def acting_user():
    """The user on whose behalf the current request runs (Wagtail's log context), or None."""
    return get_active_log_context().user


def _exempt(actor) -> bool:
    return actor is None or not actor.is_authenticated or actor.is_superuser


def refused_self_groups(*, actor, target, groups: Iterable[Group]) -> list[str]:
    """Names of the groups `actor` would add themselves to; empty when allowed."""
    if _exempt(actor) or target is None or target.pk is None or target.pk != actor.pk:
        return []
    current = set(target.groups.values_list("pk", flat=True))
    return sorted(group.name for group in groups if group.pk not in current)


def may_grant_superuser(*, actor) -> bool:
    return actor is None or actor.is_superuser


def may_change_group_rights(*, actor, group: Group) -> bool:
    if _exempt(actor) or group.pk is None:
        return True
    return not actor.groups.filter(pk=group.pk).exists()


def self_add_message(names: list[str]) -> str:
    return SELF_ADD_MESSAGE % {"groups": ", ".join(names)}


# --- Model-level guards and the audit trail ------------------------------------------------------


def guard_membership(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    """`m2m_changed` on User.groups: refuse self-additions, log and mail protected changes."""
    if action == "pre_add":
        actor = acting_user()
        if _exempt(actor):
            return
        if not reverse and instance.pk == actor.pk:
            names = refused_self_groups(
                actor=actor, target=instance, groups=Group.objects.filter(pk__in=pk_set)
            )
            if names:
                raise PermissionDenied(self_add_message(names))
        if reverse and actor.pk in pk_set and not actor.groups.filter(pk=instance.pk).exists():
            raise PermissionDenied(self_add_message([instance.name]))
    elif action == "pre_clear":
        instance._hubcms_cleared = _protected_pairs(instance, reverse, pk_set=None)
    elif action in ("post_add", "post_remove"):
        change = "added" if action == "post_add" else "removed"
        for user, group in _protected_pairs(instance, reverse, pk_set=pk_set):
            record_membership_change(user=user, group=group, change=change)
    elif action == "post_clear":
        for user, group in getattr(instance, "_hubcms_cleared", []):
            record_membership_change(user=user, group=group, change="removed")


def _protected_pairs(instance, reverse: bool, *, pk_set) -> list[tuple]:
    User = get_user_model()
    if reverse:  # instance is a Group
        if instance.name not in PROTECTED_GROUPS:
            return []
        users = (
            User.objects.filter(pk__in=pk_set) if pk_set is not None else instance.user_set.all()
        )
        return [(user, instance) for user in users]
    groups = Group.objects.filter(name__in=PROTECTED_GROUPS)
    groups = (
        groups.filter(pk__in=pk_set)
        if pk_set is not None
        else instance.groups.filter(name__in=PROTECTED_GROUPS)
    )
    return [(instance, group) for group in groups]


def guard_user_save(sender, instance, raw=False, **kwargs) -> None:
    """`pre_save` on User: only a superuser makes someone a superuser; a password set by someone
    else for a Coördinator or Kwaliteitsbewaker is logged and mailed (a takeover needs it)."""
    if raw:
        return
    actor = acting_user()
    if instance.pk is None:
        if instance.is_superuser and not may_grant_superuser(actor=actor):
            raise PermissionDenied(SUPERUSER_MESSAGE)
        return
    before = sender.objects.filter(pk=instance.pk).values("is_superuser", "password").first()
    if before is None or actor is None:
        return
    if (
        instance.is_superuser
        and not before["is_superuser"]
        and not may_grant_superuser(actor=actor)
    ):
        raise PermissionDenied(SUPERUSER_MESSAGE)
    if (
        before["password"] != instance.password
        and actor.pk != instance.pk
        and instance.groups.filter(name__in=PROTECTED_GROUPS).exists()
    ):
        log(instance=instance, action=PASSWORD_SET_ACTION, user=actor)
        who = instance.get_full_name() or instance.get_username()
        notify_other_administrators(
            actor=actor,
            subject=f"Wachtwoord van {who} gewijzigd door een ander",
            body=(
                f"Het wachtwoord van {who} ({instance.get_username()}) is gewijzigd door "
                f"{_name(actor)}. {who} is lid van een groep die toetst of publiceert; klopt "
                "dit niet, blokkeer het account dan in het beheer (Gebruikers)."
            ),
        )


def record_membership_change(*, user, group: Group, change: str) -> None:
    """Write the change to the audit log (on the user) and mail the other Beheerders."""
    actor = acting_user()
    log(
        instance=user,
        action=MEMBERSHIP_ACTION,
        user=actor,
        data={"group": group.name, "change": change},
    )
    verb = "toegevoegd aan" if change == "added" else "verwijderd uit"
    who = user.get_full_name() or user.get_username()
    notify_other_administrators(
        actor=actor,
        subject=f"{who} {verb} de groep {group.name}",
        body=(
            f"{who} ({user.get_username()}) is {verb} de groep {group.name}, door {_name(actor)}."
            "\n\nU krijgt dit bericht omdat u beheerder bent: wijzigingen in de groepen "
            "Coördinator en Kwaliteitsbewaker worden altijd aan de andere beheerders gemeld. "
            "Klopt dit niet, herstel het dan in het beheer (Gebruikers) en kijk in de "
            "sitegeschiedenis wie wat deed."
        ),
    )


def _name(actor) -> str:
    if actor is None:
        return "het systeem"
    return actor.get_full_name() or actor.get_username()


def notify_other_administrators(*, actor, subject: str, body: str) -> None:
    """Mail every active Beheerder except the one who acted."""
    User = get_user_model()
    recipients = User.objects.filter(groups__name=roles.ADMINISTRATOR, is_active=True).exclude(
        email=""
    )
    if actor is not None and actor.pk is not None:
        recipients = recipients.exclude(pk=actor.pk)
    addresses = sorted(set(recipients.values_list("email", flat=True)))
    if addresses:
        subject = " ".join(subject.split())  # no line breaks: no header injection, always sent
        send_mail(subject, body, None, addresses)
