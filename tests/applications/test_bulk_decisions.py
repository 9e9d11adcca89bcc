"""The committee's decisions on many applications at once, set-based (issue 18): the same rules
and records as one decision at a time, in statements that do not grow with the selection."""

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications.choices import MembershipStatus
from applications.models import Application, ApplicationDecision
from applications.services import applications_decide
from notifications.models import Notification
from tests.applications.factories import ApplicationFactory
from tests.matching.factories import PairingFactory
from tests.notifications.factories import NotificationFactory

pytestmark = pytest.mark.django_db
LIST = "/admin/applications/application/"


def post_decision(client, action, applications, note=""):
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            LIST,
            {"action": action, "note": note, "_selected_action": [a.pk for a in applications]},
            follow=False,
        )
    assert response.status_code == 302
    return len(queries)


def test_accepting_50_takes_the_statements_of_accepting_5(client, member, cohort):
    client.force_login(member)
    small = ApplicationFactory.create_batch(5, cohort=cohort)
    large = ApplicationFactory.create_batch(50, cohort=cohort)
    post_decision(client, "mark_waitlisted", ApplicationFactory.create_batch(2, cohort=cohort))

    assert post_decision(client, "mark_accepted", small) == post_decision(
        client, "mark_accepted", large
    )
    assert Application.objects.filter(status="accepted").count() == 55
    assert ApplicationDecision.objects.filter(to_status="accepted").count() == 55


def test_applications_decide_records_each_decision_and_reports_those_refused(member, cohort):
    ready = ApplicationFactory.create_batch(3, cohort=cohort)
    draft = ApplicationFactory(cohort=cohort, status=Application.Status.DRAFT, full_name="Dee")
    funded = ApplicationFactory(
        cohort=cohort, membership_status=MembershipStatus.FUNDED_REQUEST, full_name="Fay"
    )
    already = ApplicationFactory(cohort=cohort, status=Application.Status.ACCEPTED)

    outcome = applications_decide(
        applications=[*ready, draft, funded, already],
        decision=Application.Status.ACCEPTED,
        decided_by=member,
        note="",
    )

    assert {a.pk for a in outcome.decided} == {a.pk for a in ready}
    assert [a.pk for a in outcome.unchanged] == [already.pk]
    reasons = {a.pk: reason for a, reason in outcome.refused}
    assert "draft application cannot be decided" in reasons[draft.pk]
    assert "staff must confirm it before acceptance" in reasons[funded.pk]
    for application in ready:
        application.refresh_from_db()
        assert application.status == "accepted" and application.decided_by == member
        decision = ApplicationDecision.objects.get(application=application)
        assert (decision.from_status, decision.to_status) == ("submitted", "accepted")
        log = LogEntry.objects.get(object_id=str(application.pk))
        assert log.user == member and "Submitted → Accepted" in log.change_message
    draft.refresh_from_db()
    funded.refresh_from_db()
    assert (draft.status, funded.status) == ("draft", "submitted")
    assert ApplicationDecision.objects.count() == 3


def test_a_person_in_a_pairing_is_not_declined_in_bulk_and_the_others_are(member, cohort):
    pairing = PairingFactory(cohort=cohort)
    other = ApplicationFactory(cohort=cohort)

    outcome = applications_decide(
        applications=[pairing.mentee, other], decision="declined", decided_by=member
    )

    assert [a.pk for a in outcome.decided] == [other.pk]
    [(refused, reason)] = outcome.refused
    assert refused.pk == pairing.mentee_id and "is in a pairing" in reason
    assert Application.objects.get(pk=pairing.mentee_id).status == "accepted"


def test_bulk_decisions_withdraw_the_messages_they_make_untrue(member, cohort):
    waitlisted = ApplicationFactory.create_batch(
        3, cohort=cohort, status=Application.Status.WAITLISTED
    )
    notes = [
        NotificationFactory(
            cohort=cohort, kind="application-waitlisted", about={"application": a.pk}
        )
        for a in waitlisted
    ]

    applications_decide(applications=waitlisted[:2], decision="accepted", decided_by=member)

    statuses = [Notification.objects.get(pk=n.pk).status for n in notes]
    assert statuses == ["withdrawn", "withdrawn", "pending"]


def test_bulk_decisions_are_the_programs_committees_only(other_chair, cohort):
    application = ApplicationFactory(cohort=cohort)

    with pytest.raises(PermissionDenied):
        applications_decide(applications=[application], decision="accepted", decided_by=other_chair)

    application.refresh_from_db()
    assert application.status == "submitted"
    assert not ApplicationDecision.objects.exists()
