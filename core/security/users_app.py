"""`wagtail.users` with the hub's user and group screens (core/security/user_admin.py).

Kept apart from the views: an AppConfig module is imported before the models are ready."""

from wagtail.users.apps import WagtailUsersAppConfig


class HubUsersAppConfig(WagtailUsersAppConfig):
    user_viewset = "core.security.user_admin.HubUserViewSet"
    group_viewset = "core.security.user_admin.HubGroupViewSet"
