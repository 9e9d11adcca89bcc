"""Trust in a real browser: a chair logs in at /admin/ through the site's login, sets up an
authenticator app and logs in again with its code; the main pages of every role raise no
Content-Security-Policy violation and pass axe-core."""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import expect

from applications.models import Application
from assessment.models import Invitation
from cohorts.demo import DEMO_NOTE, DEMO_PASSWORD
from cohorts.models import Cohort
from matching.models import Pairing
from tests.accounts.factories import PASSWORD
from tests.accounts.helpers import emailed_login_code
from tests.e2e.conftest import confirm_address
from tests.notifications.factories import NotificationFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Collects every policy violation of the page and its frames, before any of the page's own
# scripts run (an init script is the browser's, not the page's: the policy does not apply).
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`
  );
});
"""


# axe-core (the accessibility check, served as /__axe__.js) copies the page's and its frames'
# styles to read them, which the policy refuses: the tool's own violations, not the site's.
TOOL = "/__axe__.js"


@pytest.fixture
def csp_clean(page):
    """`csp_clean(page)` fails on any CSP violation the page (or a frame) reported so far."""
    console = []

    def on_console(message):
        if "Content Security Policy" in message.text and not message.location.get(
            "url", ""
        ).endswith(TOOL):
            console.append(message.text)

    page.on("console", on_console)
    page.add_init_script(WATCH_CSP)

    def check(page_now):
        events = page_now.evaluate("window.__cspViolations || []")
        violations = [v for v in events if TOOL not in v] + console
        assert not violations, f"CSP violations on {page_now.url}:\n" + "\n".join(violations)

    return check


def totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def log_in_as(page, live_server, email, password=DEMO_PASSWORD):
    """Log in with a test client and hand its session to the browser (faster than the form)."""
    client = Client()
    assert client.login(email=email, password=password)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_a_chair_logs_in_at_the_admin_sets_up_two_factor_and_logs_in_with_a_code(
    live_server, page, phone, assert_accessible, csp_clean, chair, settings
):
    settings.ADMIN_REQUIRES_MFA = True
    confirm_address(chair.email)

    # The address README gives committees: /admin/. It hands over to the site's login.
    page.goto(live_server.url + "/admin/")
    expect(page).to_have_url(re.compile(r".*/accounts/login/\?next=%2Fadmin%2F$"))
    assert_accessible(page)
    page.get_by_label("Email").fill(chair.email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    # With no second factor yet, the password alone is not enough: a code sent to their email.
    expect(page.get_by_role("heading", name="Enter the code we emailed you")).to_be_visible()
    expect(page.get_by_text(f"We emailed a login code to {chair.email}.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Code").fill(emailed_login_code(chair.email))
    page.get_by_role("button", name="Confirm").click()

    # Straight on to setting up a second factor, which the admin asks for.
    expect(page.get_by_text("Set up two-factor authentication")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Activate").first.click()
    # Changing how one logs in asks for the password again.
    expect(page.get_by_role("heading", name="Confirm it is you")).to_be_visible()
    assert_accessible(page)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    secret = page.locator("#authenticator_secret").input_value()
    assert_accessible(page)
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Activate").click()
    expect(page.get_by_role("heading", name="Recovery codes")).to_be_visible()
    assert page.locator("#recovery_codes").input_value().strip()
    assert_accessible(page)

    page.goto(live_server.url + "/admin/")
    expect(page.get_by_role("heading", name="Programs, cohorts and committees")).to_be_visible()
    csp_clean(page)
    page.get_by_role("button", name="Log out").click()

    # Next time: the password, then the code.
    page.goto(live_server.url + "/admin/")
    page.get_by_label("Email").fill(chair.email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r".*/accounts/2fa/authenticate/"))
    assert_accessible(page)
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Incorrect code")).to_be_visible()
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Programs, cohorts and committees")).to_be_visible()
    csp_clean(page)

    # The set-up pages fit a phone.
    log_in_as(phone, live_server, chair.email, PASSWORD)
    phone.goto(live_server.url + "/accounts/2fa/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(phone)


def test_the_main_pages_of_every_role_raise_no_csp_violation_and_pass_axe(
    live_server, page, assert_accessible, csp_clean, settings
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo")
    core = Cohort.objects.get(program__slug="core", notes=DEMO_NOTE)  # under way
    alsc = Cohort.objects.get(program__slug="alsc", notes=DEMO_NOTE)  # the open call
    pairing = Pairing.objects.filter(cohort=core, status__in=Pairing.ANNOUNCED_STATUSES).first()
    application = Application.objects.filter(applicant__email="applicant@example.org").first()
    invitation = Invitation.objects.select_related("survey").first()
    # An email as the outbox keeps it: its HTML styled inline, as email clients need.
    message = NotificationFactory(
        cohort=core,
        body_html='<div style="max-width:600px"><p style="color:#1d3557">Hi</p></div>',
    )

    def visit(path):
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
        csp_clean(page)
        assert_accessible(page)

    # Anyone.
    for path in ["/", core.program.get_absolute_url(), core.get_absolute_url(), "/accounts/login/"]:
        visit(path)
    visit(f"/surveys/{invitation.token}/")

    # An applicant.
    log_in_as(page, live_server, "applicant@example.org")
    visit("/my/applications/")
    visit(application.get_absolute_url())
    visit(f"/programs/alsc/cohorts/{alsc.slug}/apply/")
    visit("/admin/")  # no committee: the admin says so, and how to get access
    expect(page.get_by_role("heading", name="no access to the committee admin")).to_be_visible()

    # A participant.
    log_in_as(page, live_server, pairing.mentee.applicant.email)
    visit("/my/mentoring/")
    visit("/my/mentoring/calendar/")

    # Staff: reports and the admin, the committee's review page, the outbox's preview frame.
    log_in_as(page, live_server, "staff@example.org")
    visit("/reports/")
    visit(f"/reports/programs/core/cohorts/{core.slug}/")
    visit("/admin/")
    visit(f"/admin/matching/pairing/cohort/{core.pk}/review/")
    visit(f"/admin/participants/pairingprogress/{pairing.pk}/change/")
    visit(f"/admin/notifications/notification/{message.pk}/change/")
    assert page.frame_locator("iframe.email-frame").locator("body").inner_text()
    csp_clean(page)


def test_a_chair_adds_a_passkey_and_signs_in_with_it(
    live_server, page, assert_accessible, csp_clean, chair, settings
):
    """WebAuthn with Chromium's virtual authenticator (the DevTools protocol stands in for a
    security key or a phone): the same pages and scripts a person's browser runs."""
    settings.ADMIN_REQUIRES_MFA = True
    confirm_address(chair.email)
    devtools = page.context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )

    page.goto(live_server.url + "/admin/")
    page.get_by_label("Email").fill(chair.email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_label("Code").fill(emailed_login_code(chair.email))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Set up two-factor authentication")).to_be_visible()
    page.get_by_role("link", name="Add").click()
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Add a security key")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Name").fill("My laptop")
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_role("heading", name="Recovery codes")).to_be_visible()
    csp_clean(page)

    page.goto(live_server.url + "/admin/")
    expect(page.get_by_role("heading", name="Programs, cohorts and committees")).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    page.goto(live_server.url + "/admin/")
    page.get_by_label("Email").fill(chair.email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r".*/accounts/2fa/authenticate/"))
    # The button works once allauth's deferred script has run: a click before that does
    # nothing (CI saw it once, on a loaded machine).
    page.wait_for_load_state("load")
    page.get_by_role("button", name="Use a security key").click()
    expect(page.get_by_role("heading", name="Programs, cohorts and committees")).to_be_visible()
    csp_clean(page)
