"""The review that scales: filters, sorting, pages, the CSV of proposals, and a mentor's
capacity changed from the review but never below their approved pairings."""

import csv
import io

import pytest
from django.urls import reverse

from matching.models import AuditEntry, Pairing
from tests.applications.factories import ApplicationFactory
from tests.cohorts.factories import AreaOfInterestFactory, CohortFactory
from tests.matching.bulk import bulk_cohort
from tests.matching.factories import PairingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(program):
    return CohortFactory(program=program, phase="matching", name="2031 cohort")


def review(client, cohort, **query) -> str:
    response = client.get(reverse("admin:matching_review", args=[cohort.pk]), query)
    assert response.status_code == 200
    return response.content.decode()


def pair(cohort, mentee, score, **kwargs):
    return PairingFactory(cohort=cohort, mentee__full_name=mentee, score=score, **kwargs)


def test_filters_show_locked_manual_low_and_unmatched(client, member, cohort):
    pair(cohort, "Ann Locked", 9.0, locked=True)
    pair(cohort, "Bea Manual", 8.0, source=Pairing.Source.MANUAL, locked=True)
    pair(cohort, "Cal Low", 1.0)
    pair(cohort, "Dee High", 12.0)
    pair(cohort, "Eve Approved", 7.0, status=Pairing.Status.APPROVED)
    ApplicationFactory(cohort=cohort, role="mentee", status="accepted", full_name="Fay Alone")
    client.force_login(member)
    everyone = review(client, cohort)
    assert all(name in everyone for name in ("Ann Locked", "Cal Low", "Dee High"))
    assert "Locked (2)" in everyone and "Unmatched mentees (1)" in everyone
    locked = review(client, cohort, show="locked")
    assert "Ann Locked" in locked and "Bea Manual" in locked and "Dee High" not in locked
    manual = review(client, cohort, show="manual")
    assert "Bea Manual" in manual and "Ann Locked" not in manual
    low = review(client, cohort, show="low")
    assert "Cal Low" in low and "Dee High" not in low
    assert "Low score: below 7.0, the lowest quarter" in low
    unmatched = review(client, cohort, show="unmatched")
    assert "Fay Alone" in unmatched and "Dee High" not in unmatched
    approved = review(client, cohort, show="approved")
    assert "Eve Approved" in approved and "Cal Low" not in approved
    assert "Dee High" in review(client, cohort, show="nonsense")  # an unknown filter: all


def test_sorting_by_score_and_name_and_the_headers_say_how(client, member, cohort):
    pair(cohort, "Zed Middle", 5.0)
    pair(cohort, "Amy Top", 9.0)
    pair(cohort, "Max Bottom", 1.0)
    client.force_login(member)
    page = review(client, cohort)
    assert page.index("Amy Top") < page.index("Zed Middle") < page.index("Max Bottom")
    assert 'aria-sort="descending"><a href="?show=current&amp;o=score">Score' in page
    page = review(client, cohort, o="score")
    assert page.index("Max Bottom") < page.index("Zed Middle") < page.index("Amy Top")
    page = review(client, cohort, o="mentee")
    assert page.index("Amy Top") < page.index("Max Bottom") < page.index("Zed Middle")
    assert 'aria-sort="ascending"' in page


def test_a_500_pair_review_comes_a_page_at_a_time_in_the_same_queries(
    client, chair, program, django_assert_max_num_queries
):
    areas = AreaOfInterestFactory.create_batch(4, program=program)
    counts = []
    for size, seed in ((5, 1), (500, 2)):
        cohort = CohortFactory(program=program, phase="matching")
        bulk_cohort(cohort, mentees=size, mentors=size, areas=areas, pairs=size, seed=seed)
        client.force_login(chair)
        with django_assert_max_num_queries(15) as captured:
            page = review(client, cohort)
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
    assert page.count('<tr id="pair-') == 50 and "Page 1 of 10" in page
    last = review(client, cohort, page=10)
    assert last.count('<tr id="pair-') == 50 and "Previous page" in last


def read_csv(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_csv_of_proposals_has_each_criterion_and_the_reasons(client, member, cohort):
    pair(
        cohort,
        "=HYPERLINK(evil)",
        8.5,
        breakdown={"areas": 6.0, "experience": 1.5, "demographics": 1.5, "proximity": 0.0},
        reasons=[
            "shared areas: Cataloging, Leadership",
            "8 years more experience",
            "matches a preference the applicant asked for",
        ],
    )
    pair(cohort, "Gone Away", 3.0, status=Pairing.Status.DISSOLVED)
    client.force_login(member)
    header, *rows = read_csv(client.get(reverse("admin:matching_review_csv", args=[cohort.pk])))
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert row["Score"] == "8.5" and row["Status"] == "Proposed"
    assert row["Shared areas of interest"] == "6" and row["Experience gap"] == "1.5"
    assert row["Region or time zone"] == "0"
    assert row["Reasons"] == "shared areas: Cataloging, Leadership; 8 years more experience"
    assert "Preferences the applicant asked for" not in header  # opt-in demographics stay home
    assert row["Mentee"] == "'=HYPERLINK(evil)"  # never a formula in a spreadsheet

    cohort.program.committee_sees_demographics = True
    cohort.program.save()
    header, *rows = read_csv(client.get(reverse("admin:matching_review_csv", args=[cohort.pk])))
    row = dict(zip(header, rows[0], strict=True))
    assert row["Preferences the applicant asked for"] == "1.5"
    assert "matches a preference" in row["Reasons"]


def test_another_programs_committee_gets_404_for_the_csv_and_capacity(client, other_chair, cohort):
    mentor = pair(cohort, "Hidden", 5.0).mentor
    client.force_login(other_chair)
    assert client.get(reverse("admin:matching_review_csv", args=[cohort.pk])).status_code == 404
    url = reverse("admin:matching_capacity", args=[cohort.pk, mentor.pk])
    assert client.post(url, {"capacity": "3"}).status_code == 404
    mentor.refresh_from_db()
    assert mentor.capacity == 1


def test_a_mentors_capacity_changes_from_the_review_and_is_audited(client, member, cohort):
    mentor = ApplicationFactory(
        cohort=cohort, role="mentor", status="accepted", full_name="Mo Mentor", capacity=1
    )
    client.force_login(member)
    url = reverse("admin:matching_capacity", args=[cohort.pk, mentor.pk])
    response = client.post(
        url,
        {
            "capacity": "3",
            "next": f"{reverse('admin:matching_review', args=[cohort.pk])}?show=mentors",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("?show=mentors")
    mentor.refresh_from_db()
    assert mentor.capacity == 3
    entry = AuditEntry.objects.get(action=AuditEntry.Action.CAPACITY)
    assert (
        entry.summary == "Changed the capacity of Mo Mentor from 1 to 3." and entry.actor == member
    )


def test_capacity_below_the_approved_pairings_is_refused_beside_the_field(client, member, cohort):
    mentor = ApplicationFactory(
        cohort=cohort, role="mentor", status="accepted", full_name="Mo Mentor", capacity=3
    )
    PairingFactory.create_batch(2, cohort=cohort, mentor=mentor, status=Pairing.Status.APPROVED)
    PairingFactory(cohort=cohort, mentor=mentor)  # proposed: does not hold a place yet
    client.force_login(member)
    url = reverse("admin:matching_capacity", args=[cohort.pk, mentor.pk])
    response = client.post(url, {"capacity": "1"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Mo Mentor already has 2 approved pairings: the capacity cannot go below them." in page
    assert 'aria-invalid="true"' in page and 'value="1"' in page
    mentor.refresh_from_db()
    assert mentor.capacity == 3
    assert client.post(url, {"capacity": "2"}).status_code == 302
    mentor.refresh_from_db()
    assert mentor.capacity == 2
    for bad in ("0", "4", "two", ""):
        response = client.post(url, {"capacity": bad})
        assert response.status_code == 400, bad
        assert "A mentor takes 1 to 3 mentees." in response.content.decode()
    assert not AuditEntry.objects.filter(summary__contains="to 1.").exists()
