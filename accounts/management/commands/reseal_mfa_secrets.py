from allauth.mfa.models import Authenticator
from django.core.management.base import BaseCommand, CommandError

from accounts.mfa import reseal_all


class Command(BaseCommand):
    help = (
        "Encrypt every stored two-factor secret under the current DJANGO_SECRET_KEY. Run it "
        "after changing the key, with the old one in DJANGO_SECRET_KEY_FALLBACKS; once it "
        "reports none unreadable, the old key can be removed."
    )

    def handle(self, *args, **options):
        changed, unreadable = reseal_all(Authenticator.objects.all(), rekey=True)
        self.stdout.write(f"{changed} authenticator(s) encrypted under the current key.")
        if unreadable:
            raise CommandError(
                f"{unreadable} authenticator(s) could not be decrypted with DJANGO_SECRET_KEY "
                "or DJANGO_SECRET_KEY_FALLBACKS; their owners must set them up again."
            )
