import pytest
from django.urls import reverse
from django.utils.timezone import now

from assessment.models import Answer, Invitation, Response, Survey
from cohorts.models import CommitteeMembership
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicationFactory
from tests.cohorts.factories import CohortFactory, CommitteeMembershipFactory
from tests.matching.factories import PairingFactory
from tests.participants.factories import CheckInFactory, GoalFactory

from .factories import seed_report_cohort

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(program):
    return seed_report_cohort(program)


def cohort_url(cohort):
    return reverse("reports:cohort", args=[cohort.program.slug, cohort.slug])


def program_urls(program, cohort):
    return [
        reverse("reports:program", args=[program.slug]),
        cohort_url(cohort),
        reverse("reports:export_csv", args=[program.slug, "applications"]),
        reverse("reports:export_csv", args=[program.slug, "pairings"]),
        reverse("reports:export_xlsx", args=[program.slug]),
    ]


def test_staff_read_every_program_and_committees_their_own(
    client, seeded, staff_user, chair, member, other_chair
):
    for user in (staff_user, chair, member):
        client.force_login(user)
        for url in program_urls(seeded.cohort.program, seeded.cohort):
            assert client.get(url).status_code == 200, (user, url)
    client.force_login(other_chair)
    for url in program_urls(seeded.cohort.program, seeded.cohort):
        assert client.get(url).status_code == 404, url


def test_a_plain_user_gets_404_everywhere(client, seeded):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse("reports:index")).status_code == 404
    for url in program_urls(seeded.cohort.program, seeded.cohort):
        assert client.get(url).status_code == 404, url


def test_visitors_are_asked_to_log_in(client, seeded):
    response = client.get(cohort_url(seeded.cohort))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_an_export_of_another_programs_cohort_or_an_unknown_dataset_is_404(
    client, seeded, chair, other_program
):
    client.force_login(chair)
    program = seeded.cohort.program
    elsewhere = CohortFactory(program=other_program)
    csv_url = reverse("reports:export_csv", args=[program.slug, "applications"])
    assert client.get(csv_url, {"cohort": elsewhere.slug}).status_code == 404
    assert client.get(csv_url, {"cohort": "no-such-cohort"}).status_code == 404
    xlsx_url = reverse("reports:export_xlsx", args=[program.slug])
    assert client.get(xlsx_url, {"cohort": elsewhere.slug}).status_code == 404
    assert (
        client.get(reverse("reports:export_csv", args=[program.slug, "secrets"])).status_code == 404
    )
    other = reverse("reports:cohort", args=[other_program.slug, elsewhere.slug])
    assert client.get(other).status_code == 404


def test_the_index_lists_only_the_committees_own_programs(client, seeded, member, other_program):
    CohortFactory(program=other_program)
    client.force_login(member)
    response = client.get(reverse("reports:index"))
    assert response.status_code == 200
    assert seeded.cohort.program.name in response.text
    assert other_program.name not in response.text


def test_the_cohort_report_shows_figures_charts_and_tables(client, seeded, chair):
    client.force_login(chair)
    response = client.get(cohort_url(seeded.cohort))
    text = response.text

    assert "28.6%" in text
    assert "Recruit mentors for:" in text
    assert "Preservation (3 places short)" in text
    assert text.count('role="img"') >= 5
    assert 'aria-describedby="chart-supply-demand-desc"' in text
    assert "Preservation: Mentees wanting 3, Mentor places offered 0" in text
    assert "<caption" in text
    # Drawn on the server: no chart library, nothing fetched from elsewhere.
    assert text.count("<script") == text.count('<script src="/static/')
    assert 'src="http' not in text
    assert 'href="http' not in text


def test_demographics_are_shown_to_staff_and_never_to_committee_members(
    client, seeded, staff_user, chair, member
):
    for user in (chair, member):
        client.force_login(user)
        response = client.get(cohort_url(seeded.cohort))
        assert "Demographics (staff only)" not in response.text
        assert "LGBTQ+" not in response.text
    client.force_login(staff_user)
    response = client.get(cohort_url(seeded.cohort))
    assert "Demographics (staff only)" in response.text
    assert "3 of 9 applicants" in response.text


def _grow(cohort, n):
    """Add n announced pairs with goals, check-ins and survey answers, and n waitlisted
    mentees, in new states and library types."""
    survey = Survey.objects.get(cohort=cohort, audience="mentee")
    satisfaction = survey.questions.get(code="satisfaction")
    for i in range(n):
        mentor = ApplicationFactory(cohort=cohort, role="mentor", status="accepted", state="NY")
        mentee = ApplicationFactory(
            cohort=cohort, role="mentee", status="accepted", state="TX", library_type="vendor"
        )
        pairing = PairingFactory(
            cohort=cohort, mentor=mentor, mentee=mentee, status="active", announced_at=now()
        )
        GoalFactory(pairing=pairing)
        CheckInFactory(pairing=pairing)
        invitation = Invitation.objects.create(
            survey=survey, application=mentee, user=mentee.applicant, sent_at=now()
        )
        response = Response.objects.create(invitation=invitation, survey=survey)
        Answer.objects.create(response=response, question=satisfaction, value=1 + i % 5)
        ApplicationFactory(cohort=cohort, role="mentee", status="waitlisted", state=f"W{i}"[:2])


def test_the_cohort_report_costs_a_fixed_number_of_queries(
    client, seeded, staff_user, django_assert_max_num_queries
):
    client.force_login(staff_user)
    url = cohort_url(seeded.cohort)
    # 18: one of them reads the program's own questions for their charts.
    with django_assert_max_num_queries(18):
        assert client.get(url).status_code == 200
    _grow(seeded.cohort, 25)
    with django_assert_max_num_queries(18):
        response = client.get(url)
    assert response.status_code == 200
    assert "Texas" in response.text


def test_the_program_report_costs_a_fixed_number_of_queries(
    client, seeded, chair, django_assert_max_num_queries
):
    client.force_login(chair)
    url = reverse("reports:program", args=[seeded.cohort.program.slug])
    with django_assert_max_num_queries(11):
        assert client.get(url).status_code == 200
    for _i in range(4):
        _grow(CohortFactory(program=seeded.cohort.program, phase="closed", surveys=True), 3)
    with django_assert_max_num_queries(11):
        response = client.get(url)
    assert response.status_code == 200


def test_the_nav_offers_reports_to_committees_and_staff_only(client, program, member):
    client.force_login(member)
    assert 'href="/reports/"' in client.get("/").text
    client.force_login(UserFactory())
    assert 'href="/reports/"' not in client.get("/").text


def test_a_staff_liaison_counts_as_committee(client, seeded):
    liaison = UserFactory()
    CommitteeMembershipFactory(
        user=liaison, program=seeded.cohort.program, role=CommitteeMembership.Role.STAFF
    )
    client.force_login(liaison)
    assert client.get(cohort_url(seeded.cohort)).status_code == 200


def test_the_cohort_admin_page_links_to_the_report(client, seeded, chair):
    client.force_login(chair)
    response = client.get(reverse("admin:cohorts_cohort_change", args=[seeded.cohort.pk]))
    assert response.status_code == 200
    assert f'href="{cohort_url(seeded.cohort)}"' in response.text
