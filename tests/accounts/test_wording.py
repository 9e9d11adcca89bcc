"""One vocabulary (Log in, Log out, Sign up) on every account page, and the site's own name in
its emails."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sites.models import Site
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext

from accounts.sites import site_sync_from_settings
from notifications.delivery import deliver_due
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

WRONG = re.compile(r"Sign In|Sign Up|Sign Out|Remember Me|sign in|Signup|example\.com")


@pytest.mark.parametrize(
    "url", ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
)
def test_account_pages_say_log_in_and_sign_up(client, url):
    page = client.get(url).content.decode()
    assert not WRONG.findall(page), WRONG.findall(page)
    assert "Log in" in page and "Sign up" in page


def test_the_login_form_and_its_messages(client):
    page = client.get("/accounts/login/").content.decode()
    assert "Keep me logged in" in page
    user = UserFactory(verified_email=True)
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    page = client.get("/").content.decode()
    assert f"You are logged in as {user.email}." in page or "You are logged in as" in page
    assert "Log out" in page
    assert "Log out" in client.get("/accounts/logout/").content.decode()


def test_the_sign_up_email_names_the_site_not_example_com(client, settings):
    client.post(
        "/accounts/signup/",
        {"email": "new@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    deliver_due()  # allauth's emails travel through the outbox like every other message
    message = mail.outbox[0]
    assert "example.com" not in message.subject + message.body
    assert settings.SITE_NAME in message.body
    assert message.subject.startswith(f"[{settings.SITE_NAME}] ")


def test_the_site_row_follows_the_settings(settings):
    settings.SITE_URL = "http://127.0.0.1:8042"
    settings.SITE_NAME = "ALA Mentoring"
    site_sync_from_settings()
    site = Site.objects.get_current()
    assert (site.domain, site.name) == ("127.0.0.1:8042", "ALA Mentoring")


def test_every_reworded_phrase_of_the_locale_file_is_compiled_and_in_use():
    """locale/en rewords allauth's Title Case and British phrases; the .mo must match the .po."""
    source = (Path(settings.BASE_DIR) / "locale/en/LC_MESSAGES/django.po").read_text()
    pairs = re.findall(r'^msgid "(.+)"\nmsgstr "(.+)"$', source, flags=re.M)
    assert len(pairs) > 20
    with translation.override("en-us"):
        stale = [(msgid, msgstr) for msgid, msgstr in pairs if gettext(msgid) != msgstr]
    assert not stale, f"recompile with: msgfmt -o locale/en/LC_MESSAGES/django.mo ...: {stale}"
