"""After the introduction, a partner sees the answers to the program's questions marked so."""

import pytest
from django.urls import reverse

from tests.applications.factories import CohortQuestionFactory, answer
from tests.cohorts.factories import CohortFactory
from tests.matching.factories import AnnouncedPairingFactory, PairingFactory

pytestmark = pytest.mark.django_db

HOME = reverse("participants:home")


def test_the_partner_sees_only_the_answers_marked_for_partners(client):
    cohort = CohortFactory(phase="in_progress")
    shown = CohortQuestionFactory(
        cohort=cohort,
        label="What type of mentoring relationship are you seeking?",
        shown_to_partner=True,
    )
    private = CohortQuestionFactory(
        cohort=cohort, label="Anything the committee should know?", kind="long_text"
    )
    pairing = AnnouncedPairingFactory(cohort=cohort)
    answer(pairing.mentee, shown, "Spanish")
    answer(pairing.mentee, private, "Only for the committee")
    answer(pairing.mentor, shown, "French")

    client.force_login(pairing.mentor.applicant)
    page = client.get(HOME).content.decode()
    assert "What type of mentoring relationship are you seeking?" in page
    assert "Spanish" in page  # the mentee's answer...
    assert "French" not in page  # ...not the mentor's own
    assert "Only for the committee" not in page
    assert "Anything the committee should know?" not in page


def test_nothing_is_shown_before_the_introduction(client):
    cohort = CohortFactory(phase="matching")
    shown = CohortQuestionFactory(cohort=cohort, shown_to_partner=True, label="Shared question")
    pairing = PairingFactory(cohort=cohort)  # proposed, not announced
    answer(pairing.mentee, shown, "Spanish")
    client.force_login(pairing.mentor.applicant)
    assert "Shared question" not in client.get(HOME).content.decode()
