"""Wagtail's user and group screens with the separation-of-duties rules (core/security/duties.py).

Installed through `core.security.users_app.HubUsersAppConfig`, which takes the place of "wagtail.users" in INSTALLED_APPS
(Wagtail's documented way to customise these views)."""

from django.contrib import messages
from django.http import HttpResponseRedirect

from wagtail.users.forms import GroupForm, UserCreationForm, UserEditForm
from wagtail.users.views import groups, users

from .duties import (
    OWN_GROUP_MESSAGE,
    may_change_group_rights,
    may_grant_superuser,
    refused_self_groups,
    self_add_message,
)


class DutiesUserFormMixin:
    """No superuser field for a non-superuser; no adding oneself to a group."""

    def __init__(self, *args, acting_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.acting_user = acting_user
        if acting_user is not None and not may_grant_superuser(actor=acting_user):
            self.fields.pop("is_superuser", None)

    def clean(self):
        cleaned = super().clean()
        names = refused_self_groups(
            actor=self.acting_user, target=self.instance, groups=cleaned.get("groups") or []
        )
        if names:
            self.add_error("groups", self_add_message(names))
        return cleaned


class HubUserCreationForm(DutiesUserFormMixin, UserCreationForm):
    pass


class HubUserEditForm(DutiesUserFormMixin, UserEditForm):
    pass


class ActingUserFormKwargsMixin:
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "acting_user": self.request.user}


class HubUserCreateView(ActingUserFormKwargsMixin, users.CreateView):
    pass


class HubUserEditView(ActingUserFormKwargsMixin, users.EditView):
    pass


class HubUserViewSet(users.UserViewSet):
    add_view_class = HubUserCreateView
    edit_view_class = HubUserEditView

    def get_form_class(self, for_update=False):
        return HubUserEditForm if for_update else HubUserCreationForm


class HubGroupForm(DutiesUserFormMixin, GroupForm):
    """The group form without its superuser switch for a non-superuser."""

    def clean(self):
        return GroupForm.clean(self)


class HubGroupEditView(ActingUserFormKwargsMixin, groups.EditView):
    """A non-superuser does not change the rights of a group they belong to."""

    def post(self, request, *args, **kwargs):
        if not may_change_group_rights(actor=request.user, group=self.get_object()):
            messages.error(request, OWN_GROUP_MESSAGE)
            return HttpResponseRedirect(request.get_full_path())
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not may_change_group_rights(actor=self.request.user, group=self.object):
            messages.warning(self.request, OWN_GROUP_MESSAGE)
        return context


class HubGroupCreateView(ActingUserFormKwargsMixin, groups.CreateView):
    pass


class HubGroupViewSet(groups.GroupViewSet):
    add_view_class = HubGroupCreateView
    edit_view_class = HubGroupEditView

    def get_form_class(self, for_update=False):
        return HubGroupForm
