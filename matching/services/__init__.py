"""Every state change of the committee workflow; views, admin actions and tasks call these."""

from .announce import (
    announcement_plan,
    announcement_preview,
    pairings_announce,
    release_follow_cohort_dates,
    release_undo,
    release_undoable,
)
from .approve import BulkOutcome, pairings_approve_all
from .audit import audit_record, audit_record_many
from .capacity import mentor_capacity_set
from .criteria import question_criterion_delete, question_criterion_save
from .pairings import (
    exclusion_create,
    exclusion_lift,
    pairing_approve,
    pairing_create_manual,
    pairing_dissolve,
    pairing_lock,
    pairing_move,
    pairing_rematch,
    pairings_activate_started,
)
from .runs import match_run_execute, match_run_start, priority_carry_forward
from .scheduled import (
    Group,
    scheduled_email_retry,
    scheduled_emails_postpone,
    scheduled_emails_send_now,
    scheduled_emails_withdraw,
)

__all__ = [
    "BulkOutcome",
    "Group",
    "announcement_plan",
    "announcement_preview",
    "audit_record",
    "audit_record_many",
    "exclusion_create",
    "exclusion_lift",
    "match_run_execute",
    "match_run_start",
    "mentor_capacity_set",
    "pairing_approve",
    "pairing_create_manual",
    "pairing_dissolve",
    "pairing_lock",
    "pairing_move",
    "pairing_rematch",
    "pairings_activate_started",
    "pairings_announce",
    "pairings_approve_all",
    "priority_carry_forward",
    "question_criterion_delete",
    "question_criterion_save",
    "release_follow_cohort_dates",
    "release_undo",
    "release_undoable",
    "scheduled_email_retry",
    "scheduled_emails_postpone",
    "scheduled_emails_send_now",
    "scheduled_emails_withdraw",
]
