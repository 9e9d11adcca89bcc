"""Query budgets: every page at most 15 queries, and the same number whatever the data.

Each page is read on a small program (3 pairs a cohort) and on a larger one (40 pairs a cohort,
each pair of the cohort under way with goals and check-ins; tests/scale.py): a query per row
shows as a difference between the two, a page past the budget as a count over 15.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.accounts.factories import UserFactory
from tests.applications.helpers import complete_answers
from tests.scale import site_of_size

pytestmark = pytest.mark.django_db

BUDGET = 15
SMALL, LARGE = 3, 40

# Who reads each page: the chair of the program unless said here.
READERS = {
    "home": "participant",
    "program": "participant",
    "cohort": "participant",
    "apply": "participant",
    "my-applications": "participant",
    "my-mentoring": "participant",
    "reports-cohort": "staff",
    "reports-program": "staff",
}
PAGES = [
    "home",
    "program",
    "cohort",
    "apply",
    "my-applications",
    "my-mentoring",
    "admin-index",
    "admin-applications",
    "admin-pairings",
    "review",
    "run-form",
    "reports-cohort",
    "reports-program",
]


# Each page as its reader, and the reports as the program's chair too (a committee member's
# roles are one more query than staff's).
CASES = [(page, READERS.get(page, "chair")) for page in PAGES] + [
    ("reports-cohort", "chair"),
    ("reports-program", "chair"),
]


def page_queries(client, site, page: str, reader: str) -> int:
    client.force_login(getattr(site, reader))
    url = site.url(page)
    assert client.get(url).status_code == 200  # once first: what a first visit sets up
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(("page", "reader"), CASES)
def test_a_page_takes_the_same_queries_at_both_sizes_within_the_budget(client, page, reader):
    small, large = site_of_size(SMALL), site_of_size(LARGE)
    counts = [page_queries(client, site, page, reader) for site in (small, large)]
    assert counts[0] == counts[1], f"{page}: {counts[0]} queries, then {counts[1]}"
    assert counts[1] <= BUDGET, f"{page}: {counts[1]} queries"


def submission_queries(client, site) -> int:
    applicant = UserFactory()
    client.force_login(applicant)
    data = {**complete_answers(site.open_cohort), "email": applicant.email, "action": "submit"}
    with CaptureQueriesContext(connection) as captured:
        response = client.post(site.url("apply"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return len(captured)


def test_one_complete_submission_takes_the_same_queries_at_both_sizes_within_the_budget(client):
    counts = []
    for site in (site_of_size(SMALL), site_of_size(LARGE)):
        submission_queries(client, site)  # the first submission takes the cohort's questions
        counts.append(submission_queries(client, site))
    assert counts[0] == counts[1], f"{counts[0]} queries, then {counts[1]}"
    assert counts[1] <= BUDGET, f"{counts[1]} queries"
