"""The application's questions are defined once (applications.fields): every view of them
follows that definition."""

import csv
import io
import re

import pytest
from django.urls import reverse

from applications.admin import SHOWN_AS, ApplicationAdmin
from applications.fields import ANSWERED_FIELDS, DEMOGRAPHIC_FIELDS, SECTIONS
from applications.forms import ApplicationForm
from applications.models import Application
from applications.summary import ROWS
from reports.datasets import ANSWER_HEADERS, APPLICATION_HEADERS
from tests.applications.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def test_every_question_is_an_application_field_asked_once():
    assert len(ANSWERED_FIELDS) == len(set(ANSWERED_FIELDS))
    for name in ANSWERED_FIELDS:
        Application._meta.get_field(name)  # raises for a name that is not a field
    assert [s.key for s in SECTIONS] == list(dict.fromkeys(s.key for s in SECTIONS))


def test_the_form_asks_every_question_in_the_sections_order(alsc_cohort):
    form = ApplicationForm(cohort=alsc_cohort)  # ALSC asks every question
    assert list(form.fields) == list(ANSWERED_FIELDS)


def test_the_committees_review_shows_every_answer_read_only():
    admin = ApplicationAdmin(Application, None)
    shown = [name for _heading, options in admin.fieldsets for name in options["fields"]]
    for name in ANSWERED_FIELDS:
        assert SHOWN_AS.get(name, name) in shown, name
        assert SHOWN_AS.get(name, name) in admin.readonly_fields, name
    assert "committee_notes" not in admin.readonly_fields


def test_the_summary_and_the_export_know_every_question():
    assert set(ROWS) == set(ANSWERED_FIELDS)
    assert set(ANSWER_HEADERS) == set(ANSWERED_FIELDS) - set(DEMOGRAPHIC_FIELDS)


def test_the_error_list_follows_the_order_of_the_page(client, applicant, cohort):
    client.force_login(applicant)
    url = reverse("applications:apply", args=[cohort.program.slug, cohort.slug])
    page = client.post(url, {"action": "submit", "role": "mentee"}).content.decode()
    errors = page.split('id="form-errors"', 1)[1].split("</ul>", 1)[0]
    # A group of radio buttons or checkboxes links to its first control (#id_areas_0).
    linked = [re.sub(r"_0$", "", name) for name in re.findall(r'href="#id_(\w+)"', errors)]
    assert (
        linked.index("areas") < linked.index("meeting_modes") < linked.index("commits_assessment")
    )
    assert linked == [name for name in ANSWERED_FIELDS if name in linked]


def test_the_export_has_every_answer_the_committee_reads_but_no_demographics(
    client, staff_user, alsc_cohort
):
    ApplicationFactory(
        cohort=alsc_cohort,
        is_adult=True,
        children_service_connection="Storytime at a branch library",
        demographics=["bipoc"],
        demographic_preference=["bipoc"],
    )
    client.force_login(staff_user)
    response = client.get(
        reverse("reports:export_csv", args=[alsc_cohort.program.slug, "applications"])
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(text, newline="")))
    assert header == APPLICATION_HEADERS
    record = dict(zip(header, row, strict=True))
    assert record["18 or older"] == "yes"
    assert record["Connection to library service to children"] == "Storytime at a branch library"
    assert record["Membership confirmed by applicant"] == "yes"
    assert "bipoc" not in text.lower() and "Person of Color" not in text
