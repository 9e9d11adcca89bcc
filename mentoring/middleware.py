"""Middleware the project adds around the apps: bad addresses, privacy headers, two factors.

- `RejectInvalidURLMiddleware` (first in the stack): an address whose path or query string
  holds a NUL byte or another control character answers 404, before a view (and the database,
  which refuses NUL in text) sees it.
- `PrivacyHeadersMiddleware`: `Cache-Control: private, no-store` on every page the site builds
  (personal data must not stay in a shared cache or the browser's disk cache), and a
  Permissions-Policy from settings.PERMISSIONS_POLICY.
- `RequireMFAMiddleware`: staff and committee members open the admin and the reports only once
  they have a second factor, when settings.ADMIN_REQUIRES_MFA is on.
"""

import re
from urllib.parse import unquote_to_bytes

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from cohorts import permissions

# C0 control characters and DEL. A path has no use for any of them; a query string may carry a
# tab or a line break typed into a search box, but never a NUL or the other controls.
_PATH_FORBIDDEN = re.compile(rb"[\x00-\x1f\x7f]")
_QUERY_FORBIDDEN = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def invalid_url(path_info: str, query_string: str) -> bool:
    """Does the address hold a character no page of this site can answer for?"""
    try:
        raw_path = path_info.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates from undecodable bytes
        return True
    if _PATH_FORBIDDEN.search(raw_path):
        return True
    query = unquote_to_bytes(query_string.replace("+", " "))
    return bool(_QUERY_FORBIDDEN.search(query))


class RejectInvalidURLMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if invalid_url(request.path_info, request.META.get("QUERY_STRING", "")):
            raise Http404
        return self.get_response(request)


def permissions_policy_header(policy: dict[str, list[str]]) -> str:
    """`{"camera": [], "clipboard-write": ["self"]}` -> `camera=(), clipboard-write=(self)`."""
    return ", ".join(f"{feature}=({' '.join(allowed)})" for feature, allowed in policy.items())


class PrivacyHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions_policy = permissions_policy_header(settings.PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        patch_cache_control(response, private=True, no_store=True)
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        return response


def requires_second_factor(user) -> bool:
    """Those who read every applicant's data (staff, committees) need a second factor."""
    return permissions.may_use_admin(user) and not is_mfa_enabled(user, ["totp", "webauthn"])


class RequireMFAMiddleware:
    """With settings.ADMIN_REQUIRES_MFA, the admin and the reports open for staff and committee
    members only once they have set up a second factor (an authenticator app or a passkey);
    until then they are sent to the page that sets one up. The admin's login and logout
    addresses stay open, and everyone else is untouched (they reach a 404 or the login)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.ADMIN_REQUIRES_MFA
            and self._guarded(request.path_info)
            and request.user.is_authenticated
            and requires_second_factor(request.user)
        ):
            messages.warning(
                request,
                _(
                    "Set up two-factor authentication to open the committee admin and the "
                    "reports: an authenticator app on your phone, or a passkey."
                ),
            )
            return redirect("mfa_index")
        return self.get_response(request)

    @staticmethod
    def _guarded(path: str) -> bool:
        admin, reports = reverse("admin:index"), reverse("reports:index")
        if path in (reverse("admin:login"), reverse("admin:logout")):
            return False
        return path.startswith(admin) or path.startswith(reports)
