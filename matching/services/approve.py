"""Approving many pairings at once, all or nothing: a cohort is never left half approved.

Set-based: one chair check per program, one lock of the cohorts, one of the pairings and one
of their mentors (the lock order of locks.py), the mentors' places from one aggregate, the
reverse pairs from one query, one UPDATE and one INSERT of the audit entries. The statements
do not grow with the number of pairings.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from applications.models import Application
from cohorts.permissions import require_chair

from ..models import AuditEntry, Pairing
from .audit import audit_record_many
from .locks import cohorts_lock, retry_on_conflict


@dataclass
class BulkOutcome:
    """What approving a selection did. When `refused` is not empty nothing was approved:
    `done` is empty and each refused pairing comes with the reason."""

    done: list[Pairing] = field(default_factory=list)
    already: list[Pairing] = field(default_factory=list)  # approved (or further) before
    refused: list[tuple[Pairing, str]] = field(default_factory=list)


def names(pairing: Pairing) -> str:
    return f"{pairing.mentor.full_name} → {pairing.mentee.full_name}"


@retry_on_conflict
@transaction.atomic
def pairings_approve_all(*, pairings, approved_by) -> BulkOutcome:
    """Approve every selected pairing, or none (chairs of each pairing's program only).

    The rules of pairing_approve, for the selection as a whole: a pairing approved before is
    left as it is; a dissolved one, one gone since it was selected, one whose mentor's places
    the selection would exceed (counting the mentor's pairings that already hold a place) or
    the reverse of a pairing that holds a place, or of another selected one, refuses the whole
    approval: nothing changes and every refused pairing is returned with the reason.
    """
    selected = _selection(pairings)
    if not selected:
        return BulkOutcome()
    cohorts = {
        cohort.pk: cohort for cohort in cohorts_lock({p.cohort_id for p in selected.values()})
    }
    for program in {cohort.program for cohort in cohorts.values()}:
        require_chair(approved_by, program)
    locked = list(
        Pairing.objects.select_for_update(of=("self",))
        .select_related("mentor", "mentee")
        .filter(pk__in=list(selected), cohort_id__in=list(cohorts))
        .order_by("pk")
    )
    outcome = BulkOutcome()
    outcome.refused = [
        (pairing, _("It no longer exists (a new run replaced it, or it was excluded)."))
        for pk, pairing in selected.items()
        if pk not in {p.pk for p in locked}
    ]
    proposed = []
    for pairing in locked:
        pairing.cohort = cohorts[pairing.cohort_id]
        if pairing.status in Pairing.CAPACITY_STATUSES:
            outcome.already.append(pairing)
        elif pairing.status != Pairing.Status.PROPOSED:
            outcome.refused.append((pairing, _("A dissolved pairing cannot be approved.")))
        else:
            proposed.append(pairing)
    outcome.refused += _over_capacity(proposed, cohorts) + _reversed(proposed)
    if outcome.refused:
        return outcome
    _approve(proposed, approved_by)
    outcome.done = proposed
    return outcome


def _selection(pairings) -> dict[int, Pairing]:
    if isinstance(pairings, QuerySet):
        pairings = pairings.select_related("mentor", "mentee")
    return {pairing.pk: pairing for pairing in pairings}


def _over_capacity(proposed: list[Pairing], cohorts: dict) -> list[tuple[Pairing, str]]:
    """The proposed pairings of each mentor whose places they would exceed, with why. The
    mentors' rows are locked (in id order, after the pairings) and their places counted by one
    aggregate."""
    by_mentor: dict[int, list[Pairing]] = defaultdict(list)
    for pairing in proposed:
        by_mentor[pairing.mentor_id].append(pairing)
    if not by_mentor:
        return []
    mentors = {
        mentor.pk: mentor
        for mentor in Application.objects.select_for_update(of=("self",))
        .filter(pk__in=list(by_mentor))
        .order_by("pk")
    }
    used = dict(
        Pairing.objects.filter(mentor_id__in=list(by_mentor))
        .counting_against_capacity()
        .order_by()
        .values_list("mentor_id")
        .annotate(n=Count("pk"))
    )
    refused = []
    for mentor_id, group in by_mentor.items():
        mentor = mentors[mentor_id]
        if mentor.cohort_id in cohorts:  # always, unless a pairing crossed cohorts
            mentor.cohort = cohorts[mentor.cohort_id]
        room = mentor.mentor_capacity - used.get(mentor_id, 0)
        if len(group) <= room:
            continue
        if room <= 0:
            reason = _("%(mentor)s is already at capacity (%(capacity)s).") % {
                "mentor": mentor.full_name,
                "capacity": mentor.mentor_capacity,
            }
        else:
            reason = ngettext(
                "%(mentor)s has room for %(room)d more mentee (capacity %(capacity)s), and "
                "%(count)d of the selected pairings are theirs.",
                "%(mentor)s has room for %(room)d more mentees (capacity %(capacity)s), and "
                "%(count)d of the selected pairings are theirs.",
                room,
            ) % {
                "mentor": mentor.full_name,
                "room": room,
                "capacity": mentor.mentor_capacity,
                "count": len(group),
            }
        refused += [(pairing, reason) for pairing in group]
    return refused


def _reversed(proposed: list[Pairing]) -> list[tuple[Pairing, str]]:
    """Proposed pairings whose reverse (the mentee mentoring the mentor) holds a place, or is
    selected too: one query."""
    if not proposed:
        return []
    holding = set(
        Pairing.objects.counting_against_capacity()
        .filter(
            mentor_id__in={p.mentee_id for p in proposed},
            mentee_id__in={p.mentor_id for p in proposed},
        )
        .values_list("mentor_id", "mentee_id")
    )
    selected = Counter((p.mentor_id, p.mentee_id) for p in proposed)
    refused = []
    for pairing in proposed:
        reverse = (pairing.mentee_id, pairing.mentor_id)
        params = {"mentee": pairing.mentee.full_name, "mentor": pairing.mentor.full_name}
        if reverse in holding:
            refused.append((pairing, _("%(mentee)s already mentors %(mentor)s.") % params))
        elif reverse in selected:
            refused.append(
                (
                    pairing,
                    _(
                        "%(mentee)s would also mentor %(mentor)s: the selection holds both "
                        "ways round."
                    )
                    % params,
                )
            )
    return refused


def _approve(proposed: list[Pairing], approved_by) -> None:
    if not proposed:
        return
    now = timezone.now()
    Pairing.objects.filter(pk__in=[p.pk for p in proposed]).update(
        status=Pairing.Status.APPROVED, approved_by=approved_by, approved_at=now, updated_at=now
    )
    for pairing in proposed:
        pairing.status = Pairing.Status.APPROVED
        pairing.approved_by = approved_by
        pairing.approved_at = now
        pairing.updated_at = now
    audit_record_many(
        {
            "cohort": pairing.cohort,
            "actor": approved_by,
            "action": AuditEntry.Action.APPROVE,
            "pairing": pairing,
            "summary": _("Approved %(pair)s") % {"pair": names(pairing)},
            "changes": {"status": [Pairing.Status.PROPOSED, Pairing.Status.APPROVED]},
        }
        for pairing in proposed
    )
