"""In a real browser: a chair adds a question in the admin and an applicant answers it; the
error summary's links put the focus on the question they name. Every page passes axe-core."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from applications.models import Application
from cohorts.models import CommitteeMembership
from tests.accounts.factories import UserFactory
from tests.cohorts.factories import (
    AreaOfInterestFactory,
    CohortFactory,
    CommitteeMembershipFactory,
    ProgramFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-Str0ng-test-password"


@pytest.fixture
def cohort():
    program = ProgramFactory(name="Core Mentoring Program", short_name="Core", slug="core")
    AreaOfInterestFactory(program=program, name="Cataloging and metadata", slug="cataloging")
    return CohortFactory(program=program, phase="accepting", name="2031 cohort", slug="2031")


def log_in(page, live_server, user) -> None:
    """The person's session in the browser (the login pages have tests of their own)."""
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def fill_the_rest(page) -> None:
    page.get_by_label("Mentee", exact=True).check()
    page.locator("#id_full_name").fill("Robin Reader")
    page.locator("#id_job_title").fill("Metadata Librarian")
    page.locator("#id_employer").fill("Lakeshore State University")
    page.locator("#id_library_type").select_option("academic")
    page.locator("#id_state").select_option("GU")
    page.locator("#id_time_zone").select_option("Pacific/Guam")
    page.locator("#id_years_experience").fill("3")
    page.get_by_label("Current member").check()
    page.locator("#id_membership_number").fill("1234567")
    page.locator("#id_membership_attested").check()
    page.locator("#id_mentee_goals").fill("Lead a metadata team.")
    page.get_by_label("Cataloging and metadata").check()
    page.get_by_label("Video call").check()
    page.locator("#id_hours_per_month").fill("4")
    page.locator("#id_commits_orientation").check()
    page.locator("#id_commits_assessment").check()


def test_a_chair_adds_a_question_and_an_applicant_answers_it(
    live_server, page, phone, assert_accessible, cohort
):
    chair = UserFactory(email="chair@example.org")
    CommitteeMembershipFactory(
        user=chair, program=cohort.program, role=CommitteeMembership.Role.CHAIR
    )
    log_in(page, live_server, chair)
    page.goto(live_server.url + "/admin/applications/programquestion/add/")
    assert_accessible(page)
    page.locator("#id_program").select_option(str(cohort.program.pk))
    page.locator("#id_label").fill("Language you would like to mentor in")
    page.locator("#id_short_label").fill("Language")
    page.locator("#id_kind").select_option("choice")
    page.locator("#id_section").select_option("working")
    page.locator("#id_required").check()
    page.locator("#id_choices").fill("English\nSpanish\nFrench")
    page.locator("#id_shown_to_partner").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was added successfully")).to_be_visible()
    expect(
        page.locator("#result_list").get_by_role(
            "link", name="Language you would like to mentor in"
        )
    ).to_be_visible()
    assert_accessible(page)

    applicant = UserFactory(email="reader@example.org", full_name="Robin Reader")
    log_in(page, live_server, applicant)
    url = live_server.url + f"/programs/core/cohorts/{cohort.slug}/apply/"
    page.goto(url)
    working = page.locator("#section-working")
    question = working.get_by_role("group", name="Language you would like to mentor in")
    expect(question).to_be_visible()  # in its section, among the built-in questions
    expect(question.locator(".required-mark")).to_be_visible()
    assert_accessible(page)

    fill_the_rest(page)
    page.get_by_role("button", name="Review your answers").click()
    summary = page.locator("#form-errors")
    expect(summary.get_by_role("link", name="Language you would like to mentor in")).to_be_visible()
    assert page.locator("#id_full_name").input_value() == "Robin Reader"  # nothing lost
    assert_accessible(page)

    page.get_by_label("Spanish").check()
    page.get_by_role("button", name="Review your answers").click()
    expect(page.get_by_role("heading", name="Check your answers before you submit")).to_be_visible()
    review = page.locator("dl.answer-summary")
    expect(review.get_by_text("Language you would like to mentor in")).to_be_visible()
    expect(review.get_by_text("Spanish", exact=True)).to_be_visible()
    assert_accessible(page)

    phone.context.add_cookies(page.context.cookies())
    phone.goto(url)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(phone)

    page.get_by_role("button", name="Submit application").click()
    expect(page.get_by_text("Your application is submitted")).to_be_visible()
    expect(page.locator("dl.answer-summary").get_by_text("Spanish", exact=True)).to_be_visible()
    assert_accessible(page)


def test_each_error_summary_link_moves_the_focus_to_its_question(
    live_server, page, assert_accessible, cohort
):
    log_in(page, live_server, UserFactory(email="hasty@example.org"))
    page.goto(live_server.url + f"/programs/core/cohorts/{cohort.slug}/apply/")
    page.get_by_role("button", name="Review your answers").click()

    summary = page.locator("#form-errors")
    expect(summary).to_be_visible()
    assert page.evaluate("document.activeElement.id") == "form-errors"  # read first
    assert_accessible(page)
    links = summary.locator("a[data-focus-target]")
    targets = links.evaluate_all("links => links.map(a => a.dataset.focusTarget)")
    assert len(targets) == len(set(targets)) >= 8
    assert {"id_role_0", "id_library_type", "id_areas_0", "id_meeting_modes_0"} <= set(targets)
    for index, target in enumerate(targets):
        links.nth(index).click()
        assert page.evaluate("document.activeElement.id") == target, target
        box = page.locator(f"#{target}").bounding_box()
        assert box is not None and 0 <= box["y"] < page.viewport_size["height"], target


def test_the_draft_is_saved_as_the_applicant_types(live_server, page, cohort):
    user = UserFactory(email="typist@example.org")
    log_in(page, live_server, user)
    page.goto(live_server.url + f"/programs/core/cohorts/{cohort.slug}/apply/")
    page.locator("#id_job_title").fill("Typed, never saved by hand")

    expect(page.locator("[data-autosave-status]")).to_contain_text("Draft saved at", timeout=15000)
    draft = Application.objects.get(applicant=user)
    assert (draft.status, draft.job_title) == ("draft", "Typed, never saved by hand")
