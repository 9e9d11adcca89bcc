"""A form that says what it needs: required answers marked, every error on the first submit in
the page's order, a review before the final submit, only "Save draft" makes a draft, the draft
saved as you go, and programs that take separate mentor and mentee applications."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from applications import services
from applications.eligibility import COMMON_REQUIRED
from applications.models import Application
from notifications.models import Notification
from tests.applications.factories import ApplicationFactory
from tests.applications.helpers import apply_url, complete_answers

pytestmark = pytest.mark.django_db


def _summary_links(page: str) -> list[str]:
    summary = page.split('id="form-errors"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'href="#(id_\w+)"', summary)


@pytest.mark.parametrize("action", ["review", "submit"])
def test_an_empty_first_submit_lists_every_missing_answer_and_creates_no_draft(
    client, cohort, applicant, action
):
    client.force_login(applicant)
    response = client.post(apply_url(cohort), {"action": action})

    assert response.status_code == 200
    errors = response.context["form"].errors
    expected = {"role", *COMMON_REQUIRED, "commits_orientation", "commits_assessment"}
    assert expected <= set(errors)
    links = _summary_links(response.content.decode())
    # Every missing answer in the summary, once, in the page's order; a group of radio
    # buttons or checkboxes links to its first control.
    assert links[0] == "id_role_0"
    assert "id_areas_0" in links and "id_meeting_modes_0" in links
    assert (
        links.index("id_full_name") < links.index("id_areas_0") < links.index("id_hours_per_month")
    )
    assert links.index("id_meeting_modes_0") < links.index("id_commits_assessment")
    assert len(links) == len(set(links)) == len(errors)
    assert f"Please check {len(errors)} answers:" in response.content.decode()
    for anchor in links:
        assert f'id="{anchor}"' in response.content.decode(), anchor
    assert not Application.objects.exists()


def test_required_answers_are_marked_and_explained_at_the_top(client, cohort, applicant):
    client.force_login(applicant)
    page = client.get(apply_url(cohort)).content.decode()

    assert "Questions marked with an asterisk" in page
    full_name = re.search(r"<input[^>]*id=\"id_full_name\"[^>]*>", page).group(0)
    assert 'aria-required="true"' in full_name
    for radio in re.findall(r"<input[^>]*name=\"role\"[^>]*>", page):
        assert " required" in radio  # a required group of radio buttons
    pronouns = re.search(r"<input[^>]*id=\"id_pronouns\"[^>]*>", page).group(0)
    assert "aria-required" not in pronouns  # optional stays unmarked
    label = re.search(r'<label\s+for="id_full_name"[^>]*>(.*?)</label>', page, re.S).group(1)
    assert 'class="required-mark"' in label
    # A checkbox group's legend carries the mark, with words for screen readers.
    assert re.search(r"Areas of interest<span class=\"required-mark\"[^>]*>\*</span>", page)


def test_only_save_draft_makes_a_draft(client, cohort, applicant):
    client.force_login(applicant)
    incomplete = complete_answers(cohort, job_title="")
    client.post(apply_url(cohort), {**incomplete, "action": "review"})
    assert not Application.objects.exists()

    response = client.post(apply_url(cohort), {**incomplete, "action": "draft"})
    assert response.status_code == 302
    draft = Application.objects.get(applicant=applicant)
    assert draft.status == Application.Status.DRAFT


def test_the_review_shows_the_answers_and_submits_only_when_confirmed(client, cohort, applicant):
    client.force_login(applicant)
    data = complete_answers(cohort, mentee_goals="Lead a metadata team.\nSecond line.")

    review = client.post(apply_url(cohort), {**data, "action": "review"})

    assert review.status_code == 200
    assert review.templates[0].name == "applications/application_review.html"
    page = review.content.decode()
    assert "Check your answers before you submit" in page
    assert "Lead a metadata team.<br>Second line." in page
    assert "Cataloging and metadata" in page  # the area chosen, by name
    assert not Application.objects.exists()  # nothing saved yet
    carried = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))
    assert carried["employer"] == "Riverbend Public Library"

    back = client.post(apply_url(cohort), {**data, "action": "edit"})
    assert back.templates[0].name == "applications/application_form.html"
    assert 'value="Riverbend Public Library"' in back.content.decode()
    assert not Application.objects.exists()

    submitted = client.post(apply_url(cohort), {**data, "action": "submit"})
    assert submitted.status_code == 302
    application = Application.objects.get(applicant=applicant)
    assert application.status == Application.Status.SUBMITTED
    assert application.mentee_goals == "Lead a metadata team.\nSecond line."
    assert Notification.objects.filter(kind="application_submitted").count() == 1


def test_a_submitted_application_can_be_reviewed_without_being_changed(client, cohort):
    submitted = ApplicationFactory(cohort=cohort, job_title="Archivist")
    client.force_login(submitted.applicant)
    data = {**complete_answers(cohort), "job_title": "Head Archivist", "action": "review"}
    review = client.post(apply_url(cohort), data)
    assert review.templates[0].name == "applications/application_review.html"
    assert ">Save changes</button>" in review.content.decode()
    submitted.refresh_from_db()
    assert submitted.job_title == "Archivist"  # only the final button saves


def test_the_progress_list_follows_the_answers(client, cohort, applicant):
    client.force_login(applicant)
    empty = client.get(apply_url(cohort)).context["form"].progress()
    by_key = {s.key: s for s in empty.sections}
    assert by_key["about"].status == "to_do"
    assert by_key["demographics"].status == "optional"
    assert empty.done == 0

    response = client.post(apply_url(cohort), {**complete_answers(cohort), "action": "draft"})
    assert response.status_code == 302
    page = client.get(apply_url(cohort))
    progress = page.context["form"].progress()
    states = {s.key: s.status for s in progress.sections}
    assert states["about"] == "done" and states["commitments"] == "done"
    assert states["mentor"] == "skipped"  # a mentee's page: the mentor's section is not theirs
    assert progress.done == progress.total
    html = page.content.decode()
    assert f"<span data-progress-done>{progress.done}</span> of" in html
    assert 'data-section="mentor" data-for-role="mentor"' in html


def test_the_draft_is_saved_as_you_go_and_never_over_a_submitted_application(
    client, cohort, applicant
):
    client.force_login(applicant)
    url = reverse("applications:autosave", args=[cohort.program.slug, cohort.slug])

    response = client.post(url, {"full_name": "Robin Typist", "hours_per_month": "99"})

    assert response.status_code == 200
    body = response.json()
    assert body["saved"] is True and "Draft saved at" in body["message"]
    assert "need attention" in body["message"]  # 99 hours was not saved
    draft = Application.objects.get(applicant=applicant)
    assert (draft.status, draft.full_name, draft.hours_per_month) == ("draft", "Robin Typist", None)

    submitted = ApplicationFactory(cohort=cohort, job_title="Archivist")
    client.force_login(submitted.applicant)
    refused = client.post(url, {**complete_answers(cohort), "job_title": "Changed"})
    assert refused.status_code == 409
    assert refused.json()["saved"] is False
    submitted.refresh_from_db()
    assert submitted.job_title == "Archivist"
    assert client.get(url).status_code == 405


def test_the_page_offers_autosave_only_to_a_draft(client, cohort, applicant):
    client.force_login(applicant)
    assert "data-autosave-url=" in client.get(apply_url(cohort)).content.decode()
    submitted = ApplicationFactory(cohort=cohort)
    client.force_login(submitted.applicant)
    assert "data-autosave-url=" not in client.get(apply_url(cohort)).content.decode()


# --- one application may take both roles (a program option) -------------------------------


def test_both_roles_are_offered_only_where_the_program_allows(client, cohort, alsc_cohort):
    alsc_cohort.program.allows_both_roles = False
    alsc_cohort.program.save()
    user = ApplicationFactory.build().applicant
    user.save()
    client.force_login(user)

    assert "Both mentor and mentee" in client.get(apply_url(cohort)).content.decode()
    assert "Both mentor and mentee" not in client.get(apply_url(alsc_cohort)).content.decode()


def test_both_is_refused_for_alsc_by_the_form_and_the_services(client, alsc_cohort, applicant):
    alsc_cohort.program.allows_both_roles = False
    alsc_cohort.program.save()
    client.force_login(applicant)
    data = complete_answers(alsc_cohort, role="both", mentor_offer="Ten years of storytime.")

    response = client.post(apply_url(alsc_cohort), {**data, "action": "submit"})
    assert "role" in response.context["form"].errors
    assert not Application.objects.exists()
    draft = client.post(apply_url(alsc_cohort), {**data, "action": "draft"})
    assert "role" in draft.context["form"].errors  # saved without the role it refuses
    assert Application.objects.get(applicant=applicant).role == ""
    Application.objects.all().delete()

    answers = {**data, "role": "both", "areas": list(alsc_cohort.program.areas.all())}
    with pytest.raises(ValidationError, match="separate applications"):
        services.application_submit(cohort=alsc_cohort, applicant=applicant, answers=answers)
    with pytest.raises(ValidationError, match="separate applications"):
        services.application_save_draft(cohort=alsc_cohort, applicant=applicant, answers=answers)
    assert not Application.objects.exists()
