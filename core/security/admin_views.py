"""Admin screen of the sign-in attempts that django-axes records (Instellingen > Inlogpogingen).

The Beheerder reads who failed to sign in from where, and lifts a lock by deleting its row
(`manage.py axes_reset` lifts every lock). Nobody adds or changes an attempt."""

from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from axes.models import AccessAttempt

from core.admin_columns import ExactDateColumn


class AttemptPermissionPolicy(ModelPermissionPolicy):
    """View and delete (to lift a lock); never add or change."""

    READ_ONLY_REFUSED = {"add", "change"}

    def user_has_permission(self, user, action):
        if action in self.READ_ONLY_REFUSED:
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class AccessAttemptViewSet(ModelViewSet):
    model = AccessAttempt
    icon = "warning"
    menu_label = "Inlogpogingen"
    add_to_settings_menu = True
    url_prefix = "inlogpogingen"
    name = "axes_accessattempt"
    form_fields = ["username"]  # never shown: attempts are not edited
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = [
        "username",
        "ip_address",
        "failures_since_start",
        ExactDateColumn("attempt_time", label="Laatste poging"),
        "path_info",
    ]
    list_filter = ["attempt_time"]
    search_fields = ["username", "ip_address"]
    inspect_view_fields = [
        "username",
        "ip_address",
        "user_agent",
        "path_info",
        "failures_since_start",
        "attempt_time",
    ]
