from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cohorts import permissions
from cohorts.admin_scoping import ProgramScopedAdminMixin, program_path_of


class MentoringAdminSite(admin.AdminSite):
    site_header = _("Mentoring programs administration")
    site_title = _("Mentoring admin")
    index_title = _("Programs, cohorts and committees")

    def has_permission(self, request):
        """Staff, and every active committee member, may use the admin.

        What each of them sees inside is scoped by ProgramScopedAdminMixin.
        """
        # Asked several times a page (the view, the context, the sidebar): once per request.
        if not hasattr(request, "_may_use_admin"):
            request._may_use_admin = permissions.may_use_admin(request.user)
        return request._may_use_admin

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every model that belongs to a program is scoped to the person's programs.

        A ModelAdmin for a model that declares PROGRAM_PATH gets ProgramScopedAdminMixin even
        if its app may not import it (notifications imports no other app), so no admin can
        forget the scoping. The mixin goes between the class and ModelAdmin, exactly where
        `class X(ProgramScopedAdminMixin, admin.ModelAdmin)` would put it: the class's own
        attributes and overrides still win, and its super() calls reach the scoping.
        """
        models = [model_or_iterable] if isinstance(model_or_iterable, type) else model_or_iterable
        for model in models:
            cls = admin_class or admin.ModelAdmin
            if program_path_of(model) is not None and not issubclass(cls, ProgramScopedAdminMixin):
                cls = type(
                    cls.__name__,
                    (cls, ProgramScopedAdminMixin, admin.ModelAdmin),
                    {"__module__": cls.__module__, "__doc__": cls.__doc__},
                )
            super().register(model, cls, **options)

    def get_app_list(self, request, app_label=None):
        # The login page asks for the app list too; a visitor who may not use the admin gets
        # none (and the per-model permission checks never see an anonymous user).
        if not self.has_permission(request):
            return []
        return first_things_first(super().get_app_list(request, app_label))


def first_things_first(app_list: list[dict]) -> list[dict]:
    """The committee's landing page (a model marked ADMIN_INDEX_FIRST: the cohort cockpit)
    comes first in the index and the sidebar, and so does its app."""

    def first(model_entry: dict) -> bool:
        return getattr(model_entry.get("model"), "ADMIN_INDEX_FIRST", False)

    for app in app_list:
        app["models"].sort(key=lambda entry: not first(entry))  # a stable sort
    app_list.sort(key=lambda app: not any(first(entry) for entry in app["models"]))
    return app_list
