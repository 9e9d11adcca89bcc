"""Decisions on applications: on the application's own page and in bulk, each with its note,
in the decisions' audit trail and in the admin's "Recent actions"."""

import pytest
from django.contrib.admin.models import LogEntry

from applications.choices import MembershipStatus
from applications.models import Application, ApplicationDecision
from applications.services import application_decide
from tests.applications.factories import ApplicationFactory
from tests.cohorts.factories import CohortFactory

pytestmark = pytest.mark.django_db
LIST = "/admin/applications/application/"


def change_url(application) -> str:
    return f"{LIST}{application.pk}/change/"


def test_a_decision_on_the_application_page_is_recorded_with_its_note(client, chair, cohort):
    application = ApplicationFactory(cohort=cohort, full_name="Robin Reader")
    client.force_login(chair)
    response = client.post(
        change_url(application),
        {
            "decision": "waitlisted",
            "decision_note": "Strong, but no mentor in school libraries this year.",
            "committee_notes": "Ask again next year",
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "waitlisted" and application.decided_by == chair
    assert application.committee_notes == "Ask again next year"
    decision = ApplicationDecision.objects.get(application=application)
    assert (decision.from_status, decision.to_status) == ("submitted", "waitlisted")
    assert decision.note.startswith("Strong, but") and decision.decided_by == chair

    page = client.get(change_url(application)).content.decode()
    assert "Decision history" in page and "no mentor in school libraries" in page
    index = client.get("/admin/").content.decode()
    assert "Robin Reader" in index  # Django's "Recent actions"
    log = LogEntry.objects.filter(user=chair, object_id=str(application.pk))
    assert any("Waitlisted" in entry.change_message for entry in log)


def test_a_refused_decision_shows_beside_the_field_and_keeps_what_was_typed(client, chair, cohort):
    application = ApplicationFactory(
        cohort=cohort, membership_status=MembershipStatus.FUNDED_REQUEST
    )
    client.force_login(chair)
    response = client.post(
        change_url(application),
        {
            "decision": "accepted",
            "decision_note": "Welcome aboard",
            "committee_notes": "Typed with care",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "staff must confirm it before acceptance" in page
    assert "Typed with care" in page and "Welcome aboard" in page
    application.refresh_from_db()
    assert application.status == "submitted" and application.committee_notes == ""
    assert not ApplicationDecision.objects.exists()


def test_a_draft_offers_no_decision(client, chair, cohort):
    draft = ApplicationFactory(cohort=cohort, status=Application.Status.DRAFT)
    client.force_login(chair)
    page = client.get(change_url(draft)).content.decode()
    assert 'name="decision"' not in page


def test_bulk_decisions_carry_the_note_and_are_each_audited(client, member, cohort):
    first, second = ApplicationFactory.create_batch(2, cohort=cohort)
    draft = ApplicationFactory(cohort=cohort, status=Application.Status.DRAFT)
    client.force_login(member)
    page = client.get(LIST).content.decode()
    assert 'name="note"' in page
    response = client.post(
        LIST,
        {
            "action": "mark_declined",
            "note": "Over capacity this cycle.",
            "_selected_action": [first.pk, second.pk, draft.pk],
        },
        follow=True,
    )
    assert "2 applications marked" in response.content.decode()
    decisions = ApplicationDecision.objects.order_by("pk")
    assert {d.application_id for d in decisions} == {first.pk, second.pk}
    assert {d.note for d in decisions} == {"Over capacity this cycle."}
    assert LogEntry.objects.filter(user=member).count() == 2
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_bulk_note_that_is_too_long_decides_nothing(client, chair, cohort):
    application = ApplicationFactory(cohort=cohort)
    client.force_login(chair)
    response = client.post(
        LIST,
        {"action": "mark_accepted", "note": "x" * 1001, "_selected_action": [application.pk]},
        follow=True,
    )
    assert "Keep the note under 1000 characters" in response.content.decode()
    application.refresh_from_db()
    assert application.status == "submitted"


def test_the_same_decision_again_without_a_note_records_nothing(chair, cohort):
    application = ApplicationFactory(cohort=cohort)
    application_decide(application=application, decision="accepted", decided_by=chair)
    application_decide(application=application, decision="accepted", decided_by=chair)
    assert ApplicationDecision.objects.count() == 1
    application_decide(
        application=application, decision="accepted", decided_by=chair, note="Confirmed by vote"
    )
    assert ApplicationDecision.objects.count() == 2


def test_the_list_filters_by_cohort_and_the_decision_trail_is_scoped(
    client, chair, other_chair, cohort
):
    mine = ApplicationFactory(cohort=cohort, full_name="In This Cohort")
    ApplicationFactory(cohort=CohortFactory(program=cohort.program), full_name="In Another")
    client.force_login(chair)
    page = client.get(LIST, {"cohort__id__exact": cohort.pk}).content.decode()
    assert "In This Cohort" in page and "In Another" not in page
    application_decide(application=mine, decision="accepted", decided_by=chair, note="Yes")
    trail = "/admin/applications/applicationdecision/"
    assert "In This Cohort" in client.get(trail).content.decode()
    client.force_login(other_chair)
    assert "In This Cohort" not in client.get(trail).content.decode()
    decision = ApplicationDecision.objects.get()
    assert client.get(f"{trail}{decision.pk}/change/").status_code == 404
