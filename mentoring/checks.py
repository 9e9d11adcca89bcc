"""Deployment checks of our own (`manage.py check --deploy`).

Django's W008 (no HTTPS redirect) is silenced only for a trial on this machine (settings:
SITE_IS_LOCAL), so these warn instead where it matters: a public address without https, or a
public site whose emails would still link to this machine.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register

LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}


@register(Tags.security, deploy=True)
def site_url_check(app_configs, **kwargs):
    warnings = []
    site = urlsplit(settings.SITE_URL)
    if not settings.SITE_IS_LOCAL and site.scheme != "https":
        warnings.append(
            Warning(
                "SITE_URL is a public address without https: logins and personal links "
                "would travel in clear text.",
                hint="Serve the site over HTTPS and set SITE_URL=https://...",
                id="mentoring.W001",
            )
        )
    public_hosts = [h for h in settings.ALLOWED_HOSTS if h.lstrip(".") not in LOCAL_HOSTS]
    if settings.SITE_IS_LOCAL and public_hosts:
        warnings.append(
            Warning(
                f"SITE_URL ({settings.SITE_URL}) points at this machine, but the site answers "
                f"at {', '.join(public_hosts)}: every email link would be wrong.",
                hint="Set SITE_URL to the address people open, e.g. https://"
                f"{public_hosts[0].lstrip('.')}",
                id="mentoring.W002",
            )
        )
    return warnings
