"""The admin site scopes every model that belongs to a program, even one whose admin forgot."""

from django.contrib import admin

from cohorts.admin_scoping import ProgramScopedAdminMixin
from mentoring.admin_site import MentoringAdminSite
from notifications.models import Notification


class ReadOnlyOutbox(admin.ModelAdmin):
    committee_can_add = False

    def has_add_permission(self, request, *args):
        return False


def test_registering_a_program_model_adds_the_scoping_and_keeps_the_admins_own_rules():
    site = MentoringAdminSite(name="probe")
    site.register(Notification, ReadOnlyOutbox)
    model_admin = site.get_model_admin(Notification)
    assert isinstance(model_admin, ProgramScopedAdminMixin)
    mro = type(model_admin).__mro__
    assert (
        mro.index(ReadOnlyOutbox) < mro.index(ProgramScopedAdminMixin) < mro.index(admin.ModelAdmin)
    )
    assert model_admin.committee_can_add is False
    assert model_admin.has_add_permission(None) is False


def test_the_registered_outbox_admin_is_scoped():
    assert isinstance(admin.site.get_model_admin(Notification), ProgramScopedAdminMixin)
