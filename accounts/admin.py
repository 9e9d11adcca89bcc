from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from . import privileges, services
from .models import PrivilegeChange, User

PERMISSION_SETS = {
    "groups": lambda user: {group.name for group in user.groups.all()},
    "user_permissions": lambda user: {
        f"{p.content_type.app_label}.{p.codename}"
        for p in user.user_permissions.select_related("content_type")
    },
}


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Users are managed by association staff and superusers; privilege only goes down the
    ladder (accounts.privileges) and every change of it is in the privilege trail."""

    ordering = ["email"]
    list_display = ["email", "full_name", "employer", "is_staff", "is_association_staff"]
    list_filter = ["is_staff", "is_association_staff", "is_superuser", "is_active"]
    search_fields = ["email", "full_name", "employer"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["full_name", "pronouns", "job_title", "employer", "time_zone"]}),
        (
            _("Access"),
            {
                "fields": [
                    "is_active",
                    "is_staff",
                    "is_association_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ]
            },
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]}),
    ]

    def has_module_permission(self, request):
        return privileges.may_manage_users(request.user)

    def has_view_permission(self, request, obj=None):
        return privileges.may_manage_users(request.user)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return privileges.may_manage_users(request.user)
        return privileges.may_edit_user(request.user, obj)

    def has_add_permission(self, request):
        return privileges.may_manage_users(request.user)

    def has_delete_permission(self, request, obj=None):
        return privileges.is_superuser(request.user)

    def get_readonly_fields(self, request, obj=None):
        readonly = ["last_login", "date_joined"]
        if not privileges.may_grant_privileges(request.user):
            readonly += list(privileges.PRIVILEGE_FIELDS)
        return readonly

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        concrete = {f.name for f in User._meta.concrete_fields} - {"password"}
        fields = {name: getattr(obj, name) for name in form.changed_data if name in concrete}
        saved = services.user_update(user=obj, changed_by=request.user, **fields)
        obj.__dict__.update({name: getattr(saved, name) for name in fields})

    def save_related(self, request, form, formsets, change):
        user = form.instance
        before = {name: read(user) for name, read in PERMISSION_SETS.items()} if change else {}
        super().save_related(request, form, formsets, change)
        if change:
            after = {name: read(user) for name, read in PERMISSION_SETS.items()}
            if before != after:
                services.user_permission_sets_record(
                    user=user, changed_by=request.user, before=before, after=after
                )

    def user_change_password(self, request, id, form_url=""):
        """Only as the ladder allows: staff for people without privileges, superusers for the
        rest; never one's own here. A password set here is in the privilege trail."""
        user = self.get_object(request, unquote(id))
        if user is not None and not privileges.may_set_password(request.user, user):
            raise PermissionDenied
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if user is not None and request.method == "POST" and response.status_code == 302:
                services.privilege_change_record(
                    user=user,
                    changed_by=request.user,
                    what="password",
                    before="",
                    after="set by staff",
                )
        return response


@admin.register(PrivilegeChange)
class PrivilegeChangeAdmin(admin.ModelAdmin):
    """The privilege trail, read-only: who gave or took which privilege from whom, and when."""

    list_display = ["at", "user_email", "what", "before", "after", "changed_by_email"]
    list_filter = ["what"]
    search_fields = ["user_email", "changed_by_email", "what"]
    date_hierarchy = "at"
    fields = [
        "at",
        "user",
        "user_email",
        "what",
        "before",
        "after",
        "changed_by",
        "changed_by_email",
    ]
    readonly_fields = fields

    def has_module_permission(self, request):
        return privileges.may_manage_users(request.user)

    def has_view_permission(self, request, obj=None):
        return privileges.may_manage_users(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
