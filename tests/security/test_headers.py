"""Finding 7: a strict Content-Security-Policy, a Permissions-Policy, no caching of personal
pages, and the proxy's https header believed only behind a proxy."""

import re

import pytest

from participants.services import calendar_feed_create
from tests.assessment.factories import InvitationFactory
from tests.cohorts.factories import CohortFactory
from tests.matching.factories import AnnouncedPairingFactory

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in policy.split(";")) if part
    }


def test_every_page_has_a_strict_content_security_policy_and_a_permissions_policy(client):
    response = client.get("/")
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    for kind in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in policy[kind]
        assert "'unsafe-eval'" not in policy[kind]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in permissions


def personal_pages(program) -> tuple:
    pairing = AnnouncedPairingFactory(cohort=CohortFactory(program=program, phase="in_progress"))
    mentee = pairing.mentee.applicant
    invitation = InvitationFactory(survey__cohort__program=program, application=pairing.mentee)
    feed = calendar_feed_create(user=mentee)
    cohort = pairing.cohort
    return (
        mentee,
        [
            "/my/mentoring/",
            "/my/applications/",
            f"/my/applications/{pairing.mentee.pk}/",
            f"/surveys/{invitation.token}/",
            feed.get_absolute_url(),
        ],
        [
            "/admin/",
            "/admin/applications/application/",
            f"/reports/programs/{program.slug}/",
            f"/reports/programs/{program.slug}/cohorts/{cohort.slug}/",
        ],
    )


def test_pages_with_personal_data_are_never_stored_by_a_cache(client, program, chair):
    mentee, own, committee = personal_pages(program)
    for person, urls in ((mentee, own), (chair, committee)):
        client.force_login(person)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            cache_control = {d.strip() for d in response["Cache-Control"].split(",")}
            assert {"private", "no-store"} <= cache_control, url


def test_a_client_cannot_claim_https_when_no_proxy_is_in_front(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_pages_carry_no_inline_script_or_style(client, program, chair):
    """What the policy would block; the browser test (tests/e2e/test_trust.py) watches for it."""
    mentee, own, committee = personal_pages(program)
    for person, urls in ((mentee, own[:3]), (chair, committee)):
        client.force_login(person)
        for url in urls:
            page = client.get(url).content.decode()
            assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", page), (
                url
            )
            assert not re.search(r"<style\b", page), url
            assert not re.search(r"\sstyle=", page), url
            assert not re.search(r"\son[a-z]+=", page), url


def test_static_files_keep_their_cache_lifetime(client, settings):
    """Only the pages the site builds are never stored: its CSS and JS are (WhiteNoise)."""
    settings.WHITENOISE_USE_FINDERS = True  # serve from the app folders, as `make run` does
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
