"""Real-browser tests: Playwright drives Debian's Chromium against the live test server.

Every page a test visits is checked with axe-core (`assert_accessible`): zero violations.
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from playwright.sync_api import expect

from tests.conftest import require_service

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = pytest.mark.e2e

# A page that needs a second on a loaded 2-core machine is not a failure: wait up to 15 s for
# what a test expects to see (Playwright's default is 5 s).
expect.set_options(timeout=15_000)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    require_service(
        Path(CHROMIUM).exists(), f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    )
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
            "--disable-dev-shm-usage",
        ],
    }


@pytest.fixture
def assert_accessible():
    """Run axe-core on the page as it is now; fail listing every violation."""
    require_service(AXE.exists(), f"axe-core not installed at {AXE} (npm install)")

    def check(page):
        # Served as a script of the page's own origin: an inline copy would break the site's
        # Content-Security-Policy (script-src 'self'), which the browser tests keep on.
        origin = page.evaluate("location.origin")
        page.route(
            f"{origin}/__axe__.js",
            lambda route: route.fulfill(path=str(AXE), content_type="application/javascript"),
        )
        page.add_script_tag(url=f"{origin}/__axe__.js")
        result = page.evaluate("async () => await axe.run(document)")
        problems = [
            f"{v['id']} ({v['impact']}): {v['help']} -> "
            + "; ".join(node["target"][0] if node["target"] else "?" for node in v["nodes"][:5])
            for v in result["violations"]
        ]
        assert not problems, f"axe-core violations on {page.url}:\n" + "\n".join(problems)

    return check


@pytest.fixture
def phone(browser):
    """A page the size of a phone, to check the layout people see on the bus."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    yield page
    context.close()


def confirm_address(email: str) -> None:
    """The person has confirmed their address (the site asks for that before a first login)."""
    user = get_user_model().objects.get(email__iexact=email)
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


def confirm_from_email(page, live_server) -> None:
    """Open the confirmation link of the last email and confirm, as a new account does."""
    body = mail.outbox[-1].body
    path = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", body).group(1)
    page.goto(live_server.url + path)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state()
