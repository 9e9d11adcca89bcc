from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from .sites import site_sync_from_settings

        # After django.contrib.sites has created its table (its own post_migrate runs first).
        post_migrate.connect(site_sync_from_settings, sender=self, dispatch_uid="accounts_site")
