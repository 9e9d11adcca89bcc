"""The Site row allauth reads (its emails say "Hello from <site name>"), kept equal to the
settings: SITE_NAME and the host of SITE_URL. Run after every migrate."""

from urllib.parse import urlsplit

from django.conf import settings


def site_sync_from_settings(**_kwargs) -> None:
    from django.contrib.sites.models import Site

    domain = urlsplit(settings.SITE_URL).netloc or "localhost"
    Site.objects.update_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain[:100], "name": settings.SITE_NAME[:50]}
    )
    Site.objects.clear_cache()
