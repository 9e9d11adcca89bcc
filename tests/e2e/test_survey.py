import re

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from assessment.models import Answer, Response
from tests.accounts.factories import PASSWORD
from tests.assessment.factories import active_pairing
from tests.cohorts.factories import CohortFactory
from tests.e2e.conftest import confirm_address

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def fill_every_question(page, likert_choice: int):
    """Answer the whole survey the way a person would: a click per question."""
    for group in page.locator("fieldset.question").all():
        if group.locator(".likert").count():
            group.locator("label").nth(likert_choice - 1).click()
        elif group.locator("input[type=checkbox]").count():
            group.locator("input[type=checkbox]").first.check()
        else:
            group.locator("input[type=radio]").first.check()
    page.get_by_label("In a few words, what did you talk about most?").fill("Job interviews")
    page.get_by_label("What was the most valuable part of the program for you?").fill(
        "Practicing for my first interview."
    )


def test_a_mentee_answers_from_the_emailed_link_on_a_phone_and_the_chair_reads_the_results(
    live_server, settings, phone, page, assert_accessible, program, chair
):
    settings.SITE_URL = live_server.url
    cohort = CohortFactory(program=program, name="2031 cohort", phase="assessment", surveys=True)
    pairing = active_pairing(
        cohort, mentee__full_name="Juniper Oyelaran", mentor__full_name="Rosalind Feathersby"
    )
    call_command("tick")

    message = next(m for m in mail.outbox if m.to == [pairing.mentee.email])
    link = re.search(r"(http://\S+/surveys/\S+/)", message.body).group(1)
    assert link.startswith(live_server.url)

    phone.goto(link)
    expect(phone.get_by_text("For Juniper, as a mentee")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390, "scrolls sideways"
    assert_accessible(phone)

    # Sending nothing shows what is missing, beside each question, accessibly.
    phone.get_by_role("button", name="Send my answers").click()
    expect(phone.get_by_role("alert").get_by_text("Some answers need another look")).to_be_visible()
    satisfaction = phone.get_by_role("group", name=re.compile("how satisfied are you"))
    expect(satisfaction.get_by_text("Please answer this question.")).to_be_visible()
    assert_accessible(phone)

    fill_every_question(phone, likert_choice=4)
    phone.get_by_role("button", name="Send my answers").click()
    expect(phone.get_by_text("Thank you: your answers are saved")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(phone)

    # Coming back, the answers are there to change; saving again edits the one response.
    satisfaction = phone.get_by_role("group", name=re.compile("how satisfied are you"))
    satisfaction.locator("label").nth(4).click()
    phone.get_by_role("button", name="Save my changes").click()
    expect(phone.get_by_text("Thank you: your answers are saved")).to_be_visible()
    assert Response.objects.count() == 1
    assert Answer.objects.get(question__code="satisfaction").value == 5

    # The chair reads the results in the admin.
    confirm_address(chair.email)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(chair.email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/admin/assessment/survey/results/{cohort.pk}/")
    expect(page.get_by_role("heading", name="Response rate")).to_be_visible()
    rates = page.get_by_role("table", name="Invitations sent and responses received").inner_text()
    assert "Mentees" in rates and "100%" in rates and "0%" in rates
    expect(page.get_by_text("Practicing for my first interview.")).to_be_visible()
    assert page.get_by_text("Juniper").count() == 0  # the mentee survey is anonymous
    assert_accessible(page)
