from django.conf import settings

from cohorts import permissions


def site(request):
    """The site's name and address, and what the menu offers this person (asked lazily, and
    answered from the one committee-roles query permissions makes per request)."""
    user = getattr(request, "user", None)
    return {
        "SITE_URL": settings.SITE_URL,
        "SITE_NAME": settings.SITE_NAME,
        "may_use_admin": lambda: permissions.may_use_admin(user),
        "may_see_reports": lambda: permissions.is_member(user),
    }
