"""Every email template's links are absolute, checked here on the templates, never at run time.

A mail client has no site to resolve `/cohorts/...` against, so every link must start with
SITE_URL. The check used to run inside render_email, on the rendered HTML, where it also read
the text people typed: an application's goals saying "learn how href=links work" made the
submission answer 500, and the announcement of a whole cohort fail. Now it runs on the
templates: each is read (every `{% url %}` and every `..._url` variable must follow
`{{ SITE_URL }}`) and rendered with sample context (no `href` or `src` in its HTML may be
relative).
"""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings

from matching.models import Pairing
from notifications.models import PlanningFailure
from notifications.services import render_email
from participants.health.models import PulseCheck
from participants.models import ProblemReport
from tests.matching.factories import PairingFactory
from tests.notifications.factories import NotificationFactory

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
EMAIL_TEMPLATES = sorted(
    p for p in TEMPLATES.glob("*/emails/*.txt") if p.name != "footer.txt"
) + sorted(TEMPLATES.glob("account/email/*.txt"))

# An href or src that is not absolute (http, https, mailto, tel, an in-page anchor or cid).
RELATIVE_LINK = re.compile(
    r"""\b(?:href|src)\s*=\s*["']?+(?!https?://|mailto:|tel:|#|cid:|data:)""", re.IGNORECASE
)
# A link made in the template: {% url ... %}, or a variable named like a URL.
LINK_IN_SOURCE = re.compile(r"{%\s*url\b[^%]*%}|{{\s*[\w.]*_url\s*}}")
SITE = "{{ SITE_URL }}"


def relative_links_in_source(source: str) -> list[str]:
    """Links in a template's source that do not follow {{ SITE_URL }} (allauth's templates
    get absolute URLs from allauth, named *_url too, which are fine: they hold a scheme)."""
    found = []
    for match in LINK_IN_SOURCE.finditer(source):
        if source[: match.start()].endswith(SITE):
            continue
        if re.search(r"{{\s*(activate_url|password_reset_url|signup_url)\s*}}", match.group()):
            continue  # allauth builds these with the scheme and host
        found.append(match.group())
    return found


@pytest.fixture
def sample_context():
    """One context with every name the emails use, from real rows (a cohort, an application,
    a pairing, a problem report, a failed message)."""
    pairing = PairingFactory(cohort__phase="matching", status=Pairing.Status.APPROVED)
    cohort, application = pairing.cohort, pairing.mentee
    program = cohort.program
    report = ProblemReport.objects.create(
        pairing=pairing, reported_by=application.applicant, message="We have not met."
    )
    failed = NotificationFactory(cohort=cohort, status="failed", last_error="550 No such user")
    today = dt.date(2031, 6, 2)
    return {
        "program": program,
        "program_name": program.name,
        "program_url": program.get_absolute_url(),
        "cohort": cohort,
        "cohort_name": str(cohort),
        "cohort_url": cohort.get_absolute_url(),
        "application": application,
        "summary": [("About you", [("Name", application.full_name)])],
        "deadline": cohort.application_deadline,
        "earlier_deadline": cohort.application_deadline - dt.timedelta(days=7),
        "tell_deadline": True,
        "tell_outcome": True,
        "days_left": 7,
        "recipient_name": application.full_name,
        "first_name": "Ann",
        "name": "Ann",
        "after_earlier_news": True,
        "partner": {
            "name": pairing.mentor.full_name,
            "pronouns": "she/her",
            "job_title": "Head of Cataloging",
            "employer": "Example Library",
            "email": "mentor@example.org",
            "goals": "Lead a team.",
            "offer": "Twenty years of cataloging.",
        },
        "partner_name": pairing.mentor.full_name,
        "partner_role": "mentor",
        "shared_areas": ["Cataloging and metadata"],
        "orientation_date": cohort.orientation_date,
        "orientation_time": dt.time(13, 0),
        "orientation_starts_at": dt.datetime.combine(
            cohort.orientation_date, dt.time(13, 0), cohort.tz
        ),
        "orientation_link": "https://meet.example.org/orientation",
        "orientation_required": True,
        "mentoring_starts": cohort.mentoring_starts,
        "mentoring_ends": cohort.mentoring_ends,
        "goal_sheet_due_days": 30,
        "mentor_places_left": 1,
        "contact_email": "committee@example.org",
        "token": "a-survey-token",
        "pulse": PulseCheck(pairing=pairing, application=application, token="a-pulse-token"),
        "closes": "Monday, June 30, 2031",
        "anonymous": True,
        "survey": None,
        "due": today,
        "days": 30,
        "max_goals": 3,
        "when": "Tuesday, June 3, 2031, 1:00 PM CDT",
        "short_day": "Tuesday, June 3",
        "report": report,
        "pairing": pairing,
        "reporter": application,
        "day": today,
        "failed": [failed],
        "failed_total": 1,
        "problems": [
            PlanningFailure(key="deadline-reminder:1:2:7d", error="ValueError: x", cohort=cohort)
        ],
        "problems_total": 1,
    }


@pytest.mark.parametrize(
    "path", EMAIL_TEMPLATES, ids=[str(p.relative_to(TEMPLATES)) for p in EMAIL_TEMPLATES]
)
def test_every_email_template_writes_its_links_after_site_url(path, settings):
    source = path.read_text()
    html_path = path.with_suffix(".html")
    if html_path.exists():
        source += html_path.read_text()
    assert relative_links_in_source(source) == []


@pytest.mark.parametrize(
    "path",
    [p for p in EMAIL_TEMPLATES if p.parts[-3] != "account"],
    ids=[str(p.relative_to(TEMPLATES)) for p in EMAIL_TEMPLATES if p.parts[-3] != "account"],
)
def test_every_email_template_renders_with_sample_context_and_only_absolute_links(
    path, settings, sample_context
):
    settings.SITE_URL = "https://mentoring.example.org"
    name = str(path.relative_to(TEMPLATES).with_suffix(""))
    for role in ("mentor", "mentee", "both"):
        subject, text, html = render_email(template=name, context={**sample_context, "role": role})
        assert subject and text.strip()
        assert "https://mentoring.example.org/" in text
        relative = RELATIVE_LINK.search(html)
        assert relative is None, html[relative.start() :][:80]


def test_the_template_check_catches_a_relative_link():
    bad = "Subject\n\nSee {% url 'applications:mine' %} or {{ cohort_url }}.\n"
    good = "See {{ SITE_URL }}{% url 'applications:mine' %} and {{ SITE_URL }}{{ cohort_url }}."
    assert relative_links_in_source(bad) == ["{% url 'applications:mine' %}", "{{ cohort_url }}"]
    assert relative_links_in_source(good) == []
    assert RELATIVE_LINK.search('<a href="/cohorts/">x</a>')
    assert not RELATIVE_LINK.search('<a href="https://mentoring.example.org/cohorts/">x</a>')


def test_each_email_keeps_its_own_programs_footer_and_reason_when_many_are_rendered(
    settings, sample_context
):
    """The footer is rendered once per program and reason and remembered: each email still
    gets its own program's name and its own reason, and the site's address as it is now."""
    settings.SITE_URL = "https://mentoring.example.org"
    name = "matching/emails/pairing_announced"
    footers = {}
    for program, reason in (("Core", ""), ("ALSC", ""), ("Core", "You asked to be told.")):
        context = {**sample_context, "role": "mentee", "program_name": program}
        if reason:
            context["footer_reason"] = reason
        _subject, text, _html = render_email(template=name, context=context)
        footers[(program, reason)] = text.rpartition("\n-- \n")[2]
    assert footers[("Core", "")].startswith("Core\nhttps://mentoring.example.org/")
    assert footers[("ALSC", "")].startswith("ALSC\nhttps://mentoring.example.org/")
    assert footers[("Core", "You asked to be told.")].strip().endswith("You asked to be told.")
    settings.SITE_URL = "https://elsewhere.example.org"
    _subject, text, _html = render_email(
        template=name, context={**sample_context, "role": "mentee", "program_name": "Core"}
    )
    assert "https://elsewhere.example.org/" in text.rpartition("\n-- \n")[2]
