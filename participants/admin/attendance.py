"""Orientation and event attendance, recorded through the service's check."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cohorts.admin_scoping import ProgramScopedAdminMixin

from .. import services
from ..models import (
    Attendance,
)


class EventFilter(admin.SimpleListFilter):
    title = _("event")
    parameter_name = "event"

    def lookups(self, request, model_admin):
        return [("orientation", _("Orientation")), ("milestone", _("Other events"))]

    def queryset(self, request, queryset):
        if self.value() == "orientation":
            return queryset.filter(milestone__isnull=True)
        if self.value() == "milestone":
            return queryset.filter(milestone__isnull=False)
        return queryset


def checked_attendance_form(form_class):
    """The admin's attendance form with the service's own check, shown beside the field."""

    class CheckedAttendanceForm(form_class):
        def clean(self):
            cleaned = super().clean()
            application = cleaned.get("application") or (
                self.instance.application if self.instance.application_id else None
            )
            milestone = cleaned.get("milestone", self.instance.milestone)
            if application is not None:
                try:
                    services.attendance_check(application=application, milestone=milestone)
                except ValidationError as error:
                    field = "milestone" if "milestone" in self.fields else None
                    self.add_error(field, error.messages)
            return cleaned

    return CheckedAttendanceForm


@admin.register(Attendance)
class AttendanceAdmin(ProgramScopedAdminMixin, admin.ModelAdmin):
    """The committee records who attended the orientation and the networking sessions."""

    list_display = ["application", "event", "attended", "recorded_by", "recorded_at"]
    list_editable = ["attended"]
    list_filter = [EventFilter, "attended", "application__cohort__program", "application__cohort"]
    search_fields = ["application__full_name", "application__email", "milestone__title"]
    list_select_related = ["application__cohort__program", "milestone", "recorded_by"]
    fields = ["application", "milestone", "attended", "recorded_by", "recorded_at"]
    readonly_fields = ["recorded_by", "recorded_at"]
    actions = ["mark_attended", "mark_absent"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "application" and formfield is not None:
            formfield.queryset = formfield.queryset.filter(status="accepted").select_related(
                "cohort__program"
            )
        if db_field.name == "milestone" and formfield is not None:
            formfield.queryset = formfield.queryset.select_related("cohort__program")
        return formfield

    @admin.display(description=_("event"), ordering="milestone__date")
    def event(self, obj):
        return obj.event_name

    def get_readonly_fields(self, request, obj=None):
        # Who and which event are chosen once; a correction changes only "attended".
        if obj is not None:
            return ["application", "milestone", *self.readonly_fields]
        return self.readonly_fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        return checked_attendance_form(super().get_form(request, obj, change, **kwargs))

    def get_changelist_form(self, request, **kwargs):
        return checked_attendance_form(super().get_changelist_form(request, **kwargs))

    def save_model(self, request, obj, form, change):
        # The add form, the change form and the list's "attended" column all record through
        # the service (and its cohort check).
        saved = services.attendance_record(
            application=obj.application,
            milestone=obj.milestone,
            attended=obj.attended,
            recorded_by=request.user,
        )
        obj.pk, obj.recorded_by, obj.recorded_at = saved.pk, saved.recorded_by, saved.recorded_at

    def _mark(self, request, queryset, attended: bool):
        count, refused = 0, []
        for row in queryset.select_related("application__cohort", "milestone"):
            try:
                services.attendance_record(
                    application=row.application,
                    milestone=row.milestone,
                    attended=attended,
                    recorded_by=request.user,
                )
            except ValidationError as error:
                refused.append(f"{row}: {' '.join(error.messages)}")
            else:
                count += 1
        self.message_user(
            request,
            ngettext("Updated %(n)d row.", "Updated %(n)d rows.", count) % {"n": count},
            messages.SUCCESS,
        )
        if refused:
            self.message_user(
                request, _("Not changed: %(rows)s") % {"rows": "; ".join(refused)}, messages.ERROR
            )

    @admin.action(description=_("Mark as attended"), permissions=["change"])
    def mark_attended(self, request, queryset):
        self._mark(request, queryset, True)

    @admin.action(description=_("Mark as absent"), permissions=["change"])
    def mark_absent(self, request, queryset):
        self._mark(request, queryset, False)
