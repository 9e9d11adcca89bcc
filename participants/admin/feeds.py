"""Calendar feeds: association staff turn off a leaked address."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import services
from ..models import (
    CalendarFeed,
)


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    """Association staff can turn off a person's leaked calendar address. Tokens stay hidden.

    Not program-scoped: a feed belongs to a person, across programs, so committees never see it.
    No "view on site": the address is the person's password to their calendar.
    """

    view_on_site = False

    list_display = ["user", "created_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__email", "user__full_name"]
    list_select_related = ["user"]
    fields = ["user", "created_at", "revoked_at"]
    readonly_fields = fields
    actions = ["revoke"]

    def _staff(self, request) -> bool:
        return request.user.is_active and request.user.sees_all_programs

    def has_module_permission(self, request):
        return self._staff(request)

    def has_view_permission(self, request, obj=None):
        return self._staff(request)

    def has_change_permission(self, request, obj=None):
        return self._staff(request)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Turn off the selected calendar addresses"), permissions=["change"])
    def revoke(self, request, queryset):
        count = services.calendar_feeds_revoke(feeds=queryset)
        self.message_user(
            request,
            ngettext("Turned off %(n)d address.", "Turned off %(n)d addresses.", count)
            % {"n": count},
            messages.SUCCESS,
        )
