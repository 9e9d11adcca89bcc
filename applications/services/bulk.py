"""The committee's decisions on many applications at once (accept, waitlist, decline...),
set-based: the statements do not grow with the number of applications.

The same rules as application_decide, row by row: the applications that may not take the
decision are reported back with the reason, and the others are decided.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from cohorts.models import Cohort
from cohorts.permissions import require_decider

from .. import decisions
from ..models import Application
from .records import (
    DECISION_NOTE_MAX,
    DECISIONS,
    decision_guards_refusals,
    decision_refusal,
    withdraw_untrue_many,
)

# What deciding reads and writes (and names the application by): the rows are loaded with
# these only, so a cohort's worth of applications is not read answer by answer.
LOCKED_FIELDS = (
    "cohort_id",
    "applicant__email",
    "applicant__full_name",
    "full_name",
    "role",
    "status",
    "membership_status",
    "membership_confirmed_at",
    "decided_by",
    "decided_at",
    "updated_at",
)


@dataclass
class DecisionsOutcome:
    decided: list[Application] = field(default_factory=list)
    unchanged: list[Application] = field(default_factory=list)  # already so, and no note
    refused: list[tuple[Application, str]] = field(default_factory=list)


@transaction.atomic
def applications_decide(
    *,
    applications,
    decision: str,
    decided_by: User,
    note: str = "",
    now: dt.datetime | None = None,
) -> DecisionsOutcome:
    """application_decide for many applications in one transaction.

    The committee of each program in the selection only (one check per program). The rows are
    locked in one statement, in id order; each is checked as application_decide checks it (its
    status, a funded membership staff have not confirmed, the guards of the apps above, asked
    once for the whole list). Those refused are returned with the reason and left as they
    are; the others are updated in one statement, each decision recorded (ApplicationDecision
    and "Recent actions") by one insert each, and the unsent messages the decisions make
    untrue withdrawn. The same decision again without a note changes and records nothing.
    """
    note = (note or "").strip()
    if len(note) > DECISION_NOTE_MAX:
        raise ValidationError(
            _("Keep the note under %(max)s characters.") % {"max": DECISION_NOTE_MAX}
        )
    if decision not in DECISIONS:
        raise ValidationError(_("Not a decision the committee can make."))
    now = now or timezone.now()
    locked = list(
        Application.objects.select_for_update(of=("self",))
        .select_related("applicant")
        .only(*LOCKED_FIELDS)
        .filter(pk__in=_ids(applications))
        .order_by("pk")
    )
    cohorts = Cohort.objects.select_related("program").in_bulk({a.cohort_id for a in locked})
    for program in {cohort.program for cohort in cohorts.values()}:
        require_decider(decided_by, program)
    outcome = DecisionsOutcome()
    candidates = []
    for application in locked:
        application.cohort = cohorts[application.cohort_id]
        reason = decision_refusal(application=application, decision=decision)
        if reason:
            outcome.refused.append((application, reason))
        elif application.status == decision and not note:
            outcome.unchanged.append(application)
        else:
            candidates.append(application)
    guarded = decision_guards_refusals(applications=candidates, decision=decision)
    outcome.refused += [(a, guarded[a.pk]) for a in candidates if a.pk in guarded]
    outcome.decided = [a for a in candidates if a.pk not in guarded]
    _decide(outcome.decided, decision=decision, decided_by=decided_by, note=note, now=now)
    return outcome


def _ids(applications):
    """The ids of a list of applications, or a queryset's as a subquery (no extra query)."""
    if isinstance(applications, QuerySet):
        return applications.order_by().values("pk")
    return {application.pk for application in applications}


def _decide(applications: list[Application], *, decision, decided_by, note, now) -> None:
    if not applications:
        return
    ids = [application.pk for application in applications]
    Application.objects.filter(pk__in=ids).update(
        status=decision, decided_by=decided_by, decided_at=now, updated_at=now
    )
    before = []
    for application in applications:
        before.append((application, application.status))
        application.status = decision
        application.decided_by = decided_by
        application.decided_at = now
        application.updated_at = now
    decisions.decisions_record_many(decided=before, note=note, decided_by=decided_by, now=now)
    withdraw_untrue_many(ids, now)
