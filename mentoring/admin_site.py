from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.contenttypes.models import ContentType
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from cohorts import permissions
from cohorts.admin_scoping import ProgramScopedAdminMixin, program_path_of


def has_private_link(model) -> bool:
    """Models whose address holds a secret token (a survey invitation, a calendar feed): the
    link is its owner's alone, so the admin never shows it or redirects to it."""
    return bool(getattr(model, "PRIVATE_LINK", False))


def on_site(url: str) -> str:
    """An address on the public site, absolute with SITE_URL (never the Sites framework's)."""
    return f"{settings.SITE_URL}{url}" if url.startswith("/") else url


class ObjectsAnswerNotFoundMixin:
    """An object's admin page that the person may not see answers 404, exactly like a missing
    object (Django's default answers 403 for one and redirects to the index for the other, so
    that the difference tells whether an id exists). The site adds it to every admin."""

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise Http404
        return obj


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

        Every admin also answers 404 for an object the person may not see
        (ObjectsAnswerNotFoundMixin), and none links to an object whose address is a password
        (`PRIVATE_LINK`: no "View on site").
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
            if not issubclass(cls, ObjectsAnswerNotFoundMixin):
                cls = type(
                    cls.__name__,
                    (ObjectsAnswerNotFoundMixin, cls),
                    {"__module__": cls.__module__, "__doc__": cls.__doc__},
                )
            if has_private_link(model) and cls.view_on_site is not False:
                cls = type(
                    cls.__name__, (cls,), {"__module__": cls.__module__, "view_on_site": False}
                )
            super().register(model, cls, **options)

    def get_app_list(self, request, app_label=None):
        # The login page asks for the app list too; a visitor who may not use the admin gets
        # none (and the per-model permission checks never see an anonymous user).
        if not self.has_permission(request):
            return []
        return first_things_first(super().get_app_list(request, app_label))

    # --- one login: the site's -----------------------------------------------------------------

    def _next_url(self, request) -> str:
        """Where to go after logging in: a local address from ?next=, else the admin index."""
        candidate = request.GET.get(REDIRECT_FIELD_NAME) or request.POST.get(REDIRECT_FIELD_NAME)
        if candidate and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return candidate
        return reverse("admin:index", current_app=self.name)

    def login(self, request, extra_context=None):
        """Hand over to the site's login (allauth: its rate limits, two-factor step and
        enumeration-proof answers), which returns to the admin page that was asked for.

        Django's own admin login form is never shown, so there is one login to protect. A person
        who is logged in but on no committee is told so instead of being sent round in a loop.
        """
        next_url = self._next_url(request)
        if request.user.is_authenticated:
            if self.has_permission(request):
                return HttpResponseRedirect(next_url)
            return render(request, "admin/no_access.html", status=403)
        login_url = reverse("account_login")
        return HttpResponseRedirect(f"{login_url}?{urlencode({REDIRECT_FIELD_NAME: next_url})}")

    def password_change(self, request, extra_context=None):
        """Passwords change on the site's own page (rate-limited, and it emails the owner)."""
        return HttpResponseRedirect(reverse("account_change_password"))

    # --- "View on site", scoped ------------------------------------------------------------------

    def get_urls(self):
        """Django's shortcut (`r/<content type>/<id>/`) redirects to any object's page for anyone
        who may use the admin; ours asks the model's admin, like its change page does."""
        urls = []
        for pattern in super().get_urls():
            if isinstance(pattern, URLPattern) and pattern.name == "view_on_site":
                pattern = path(
                    "r/<path:content_type_id>/<path:object_id>/",
                    self.admin_view(self.view_on_site),
                    name="view_on_site",
                )
            urls.append(pattern)
        return urls

    def view_on_site(self, request, content_type_id, object_id):
        """Redirect to the object's page on the public site, at SITE_URL.

        404, exactly as for a missing object, when the model has no admin here, the person may
        not view this object in it (another program's, or a staff-only model), the model's link
        is private (a token), or its admin offers no link.
        """
        try:
            model = ContentType.objects.get_for_id(int(content_type_id)).model_class()
        except (ContentType.DoesNotExist, ValueError):
            raise Http404 from None
        model_admin = self._registry.get(model)
        if model_admin is None or has_private_link(model) or not model_admin.view_on_site:
            raise Http404
        obj = model_admin.get_object(request, unquote(object_id))  # 404 if not theirs
        if callable(model_admin.view_on_site):
            url = model_admin.view_on_site(obj)
        else:
            get_absolute_url = getattr(obj, "get_absolute_url", None)
            url = get_absolute_url() if get_absolute_url else None
        if not url:
            raise Http404
        return HttpResponseRedirect(on_site(url))


def first_things_first(app_list: list[dict]) -> list[dict]:
    """The committee's landing page (a model marked ADMIN_INDEX_FIRST: the cohort cockpit)
    comes first in the index and the sidebar, and so does its app."""

    def first(model_entry: dict) -> bool:
        return getattr(model_entry.get("model"), "ADMIN_INDEX_FIRST", False)

    for app in app_list:
        app["models"].sort(key=lambda entry: not first(entry))  # a stable sort
    app_list.sort(key=lambda app: not any(first(entry) for entry in app["models"]))
    return app_list
