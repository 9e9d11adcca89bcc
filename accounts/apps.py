from urllib.parse import urlsplit

from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def site_from_site_url(sender, using="default", **kwargs):
    """Name the Sites framework's site after SITE_URL on every migrate.

    allauth's emails and anything else that asks `get_current_site` then say the site's real
    address instead of Django's placeholder, example.com, and stay right when SITE_URL changes
    (every deployment migrates).
    """
    if sender.name != "django.contrib.sites":
        return
    from django.contrib.sites.models import Site

    domain = urlsplit(settings.SITE_URL).netloc or "localhost"
    Site.objects.using(using).update_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain, "name": "Mentoring programs"}
    )
    Site.objects.clear_cache()


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        post_migrate.connect(site_from_site_url, dispatch_uid="accounts.site_from_site_url")
