"""One lock order for every writer of pairings: the cohort row first, then pairings (issue 14,
finding 5). A match run saving its proposals and an approval used to deadlock: the run locked
the cohort and deleted the proposals it replaced, while the approval held a proposal and its
audit entry waited for the cohort. These tests race them on PostgreSQL."""

import threading
import time
from unittest import mock

import pytest
from django.db import OperationalError, close_old_connections

from matching.models import MatchRun, Pairing
from matching.services import match_run_execute, pairing_approve
from matching.services import pairings as pairing_services
from matching.services.locks import retry_on_conflict
from tests.cohorts.factories import CohortFactory
from tests.matching.factories import MatchRunFactory, PairingFactory

pytestmark = pytest.mark.django_db(transaction=True)


def in_thread(target, errors: list, *args):
    def run():
        try:
            target(*args)
        except Exception as error:  # collected: the test asserts there are none
            errors.append(error)
        finally:
            close_old_connections()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_a_run_saving_while_an_approval_holds_its_pairing_neither_fails_nor_loses_it(
    postgres, program, chair
):
    cohort = CohortFactory(program=program, phase="matching")
    proposals = [PairingFactory(cohort=cohort) for _ in range(4)]
    target = proposals[0]
    run = MatchRunFactory(cohort=cohort, status=MatchRun.Status.QUEUED, started_by=chair)
    holding = threading.Event()
    real_audit = pairing_services.audit_record

    def slow_audit(**kwargs):
        # The approval has its pairing locked: let the run reach its save meanwhile.
        holding.set()
        time.sleep(1.5)
        return real_audit(**kwargs)

    errors: list[Exception] = []
    with mock.patch.object(pairing_services, "audit_record", side_effect=slow_audit):
        approval = in_thread(lambda: pairing_approve(pairing=target, approved_by=chair), errors)
        assert holding.wait(10)
        runner = in_thread(lambda: match_run_execute(run_id=run.pk), errors)
        approval.join(30)
        runner.join(30)

    assert errors == []
    run.refresh_from_db()
    assert run.status == MatchRun.Status.DONE, run.error
    target.refresh_from_db()
    assert target.status == Pairing.Status.APPROVED
    assert Pairing.objects.filter(cohort=cohort).current().count() == 4


def test_runs_raced_against_many_approvals_end_with_no_error_and_every_approval_kept(
    postgres, program, chair
):
    cohort = CohortFactory(program=program, phase="matching")
    proposals = [PairingFactory(cohort=cohort) for _ in range(8)]
    runs = [
        MatchRunFactory(cohort=cohort, status=MatchRun.Status.QUEUED, started_by=chair)
        for _ in range(3)
    ]
    start = threading.Barrier(len(proposals) + len(runs))
    errors: list[Exception] = []

    def approve(pairing):
        start.wait()
        pairing_approve(pairing=pairing, approved_by=chair)

    def execute(run_id):
        start.wait()
        match_run_execute(run_id=run_id)

    threads = [in_thread(approve, errors, p) for p in proposals]
    threads += [in_thread(execute, errors, r.pk) for r in runs]
    for thread in threads:
        thread.join(60)

    assert errors == []
    statuses = set(MatchRun.objects.filter(cohort=cohort).values_list("status", flat=True))
    assert statuses == {MatchRun.Status.DONE}
    approved = Pairing.objects.filter(cohort=cohort, status=Pairing.Status.APPROVED)
    assert set(approved.values_list("pk", flat=True)) == {p.pk for p in proposals}


class Deadlock(Exception):
    sqlstate = "40P01"


def test_a_conflict_reported_by_the_database_is_retried_not_shown_as_an_error():
    calls = []

    @retry_on_conflict
    def service():
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("deadlock detected") from Deadlock()
        return "done"

    assert service() == "done"
    assert len(calls) == 3

    @retry_on_conflict
    def always():
        raise OperationalError("deadlock detected") from Deadlock()

    with pytest.raises(OperationalError):
        always()  # three tries, then the error goes up (never an endless loop)
