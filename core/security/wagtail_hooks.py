"""Admin wiring: the 2FA pages, and a Beheerder's reset of a user's authenticator app."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse

from wagtail import hooks
from wagtail.admin.widgets import ListingButton
from wagtail.log_actions import LogFormatter
from wagtail.permissions import register_permission_policy

from axes.models import AccessAttempt

from . import views
from .admin_views import AccessAttemptViewSet, AttemptPermissionPolicy
from .duties import MEMBERSHIP_ACTION, PASSWORD_SET_ACTION
from .editing_conflicts import overwrite_warning, overwritten_revision
from .twofactor import ENROLLED_ACTION, RECOVERY_USED_ACTION, RESET_ACTION, reset_two_factor


def reset_user_two_factor(request: HttpRequest, user_id: int) -> HttpResponse:
    """Ask, then remove a user's authenticator app so they enrol again (lost or new phone)."""
    if not request.user.has_perm("auth.change_user"):
        raise PermissionDenied
    user = get_object_or_404(get_user_model(), pk=user_id)
    if request.method != "POST":
        return render(request, "security/reset_confirm.html", {"target_user": user})
    reset_two_factor(user=user, by=request.user)
    messages.success(
        request,
        f"Tweestapsverificatie van {user.get_username()} is gewist; bij de volgende keer "
        "inloggen stelt deze gebruiker een nieuwe authenticator-app in.",
    )
    return HttpResponseRedirect(reverse("wagtailusers_users:index"))


@hooks.register("register_admin_urls")
def register_security_urls():
    return [
        path("tweestapsverificatie/", views.verify, name="security_2fa_verify"),
        path("tweestapsverificatie/instellen/", views.enrol, name="security_2fa_enrol"),
        path(
            "tweestapsverificatie/wissen/<int:user_id>/",
            reset_user_two_factor,
            name="security_2fa_reset",
        ),
        path(
            "tweestapsverificatie/herstelcodes/",
            views.recovery_codes,
            name="security_2fa_recovery_codes",
        ),
    ]


register_permission_policy(AccessAttempt, AttemptPermissionPolicy(AccessAttempt))


@hooks.register("register_admin_viewset")
def register_access_attempts():
    return AccessAttemptViewSet()


@hooks.register("register_log_actions")
def register_two_factor_log_actions(actions):
    @actions.register_action(MEMBERSHIP_ACTION)
    class MembershipFormatter(LogFormatter):
        label = "Groepslidmaatschap gewijzigd"

        def format_message(self, log_entry):
            data = log_entry.data
            verb = "Toegevoegd aan" if data.get("change") == "added" else "Verwijderd uit"
            return f"{verb} de groep {data.get('group')}"

    actions.register_action(
        PASSWORD_SET_ACTION,
        "Wachtwoord gewijzigd door een ander",
        "Wachtwoord gewijzigd door een andere gebruiker",
    )
    actions.register_action(
        ENROLLED_ACTION,
        "Tweestapsverificatie ingesteld",
        "Tweestapsverificatie ingesteld (authenticator-app en herstelcodes)",
    )
    actions.register_action(
        RESET_ACTION,
        "Tweestapsverificatie gewist",
        "Tweestapsverificatie gewist door een beheerder",
    )
    actions.register_action(
        RECOVERY_USED_ACTION, "Herstelcode gebruikt", "Ingelogd met een herstelcode"
    )


@hooks.register("register_account_menu_item")
def add_authenticator_menu_item(request):
    """A new phone: add an authenticator app (the enrolment page asks for the current code)."""
    return {
        "url": reverse("security_2fa_enrol"),
        "label": "Nieuwe authenticator-app toevoegen",
        "help_text": "Voor een nieuwe telefoon; daarna werken de oude en de nieuwe app allebei.",
    }


@hooks.register("register_user_listing_buttons")
def two_factor_reset_button(user, request_user):
    if request_user.has_perm("auth.change_user"):
        yield ListingButton(
            "Tweestapsverificatie wissen",
            reverse("security_2fa_reset", args=[user.pk]),
            priority=60,
        )


@hooks.register("after_edit_page")
def warn_about_overwritten_work(request, page):
    """A save based on an older version than someone else's newer one gets a visible warning."""
    overwritten = overwritten_revision(
        page=page, loaded_revision_id=request.POST.get("loaded_revision_id"), user=request.user
    )
    if overwritten is not None:
        messages.warning(request, overwrite_warning(page=page, overwritten=overwritten))
