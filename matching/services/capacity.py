"""A mentor's capacity, changed from the review: never below the places their approved
pairings already hold."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from applications.models import Application
from cohorts.permissions import require_member

from ..models import AuditEntry, Pairing
from .audit import audit_record

MIN_CAPACITY, MAX_CAPACITY = 1, 3


@transaction.atomic
def mentor_capacity_set(*, mentor: Application, capacity: int, by) -> Application:
    """Set how many mentees an accepted mentor takes (1 to 3). The committee may; refused below
    the mentor's approved pairings (approved, announced, under way or completed), under the
    mentor's row lock, which approving a pairing takes too. Idempotent; audited."""
    require_member(by, mentor.cohort.program)
    mentor = (
        Application.objects.select_for_update(of=("self",))
        .select_related("cohort__program")
        .get(pk=mentor.pk)
    )
    if not mentor.is_mentor or mentor.status != Application.Status.ACCEPTED:
        raise ValidationError({"capacity": _("Only an accepted mentor has a capacity.")})
    if capacity is None or not MIN_CAPACITY <= capacity <= MAX_CAPACITY:
        raise ValidationError({"capacity": _("A mentor takes 1 to 3 mentees.")})
    approved = Pairing.objects.filter(mentor=mentor, status__in=Pairing.CAPACITY_STATUSES).count()
    if capacity < approved:
        raise ValidationError(
            {
                "capacity": ngettext(
                    "%(name)s already has %(n)d approved pairing: the capacity cannot go below it.",
                    "%(name)s already has %(n)d approved pairings: the capacity cannot go "
                    "below them.",
                    approved,
                )
                % {"name": mentor.full_name, "n": approved}
            }
        )
    before = mentor.mentor_capacity
    if mentor.capacity == capacity:
        return mentor
    mentor.capacity = capacity
    mentor.save(update_fields=["capacity", "updated_at"])
    audit_record(
        cohort=mentor.cohort,
        actor=by,
        action=AuditEntry.Action.CAPACITY,
        summary=_("Changed the capacity of %(name)s from %(before)d to %(after)d.")
        % {"name": mentor.full_name, "before": before, "after": capacity},
        changes={"application": mentor.pk, "before": before, "after": capacity},
    )
    return mentor
