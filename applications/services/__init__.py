"""Every state change of an application; views, admin actions, tasks and tests call these.

records.py: draft, submit, withdraw, decide, confirm membership (each owns its transaction,
its row lock and the emails it causes). bulk.py: the committee's decisions on many at once.
page.py: what the application page's buttons do. The program's own questions have theirs in
applications/questions/services.py.
"""

from .bulk import DecisionsOutcome, applications_decide
from .page import (
    AUTOSAVED_STATUSES,
    SaveOutcome,
    SaveResult,
    application_autosave,
    application_form_mode,
    application_refusal,
    application_save,
)
from .records import (
    DECIDABLE_STATUSES,
    DECISION_NOTE_MAX,
    DECISIONS,
    EDITABLE_STATUSES,
    WITHDRAWABLE_STATUSES,
    ApplicationLocked,
    ApplicationsClosed,
    application_confirm_membership,
    application_decide,
    application_decision_check,
    application_save_draft,
    application_submit,
    application_withdraw,
    closed_message,
)

__all__ = [
    "AUTOSAVED_STATUSES",
    "DECIDABLE_STATUSES",
    "DECISIONS",
    "DECISION_NOTE_MAX",
    "EDITABLE_STATUSES",
    "WITHDRAWABLE_STATUSES",
    "ApplicationLocked",
    "ApplicationsClosed",
    "DecisionsOutcome",
    "SaveOutcome",
    "SaveResult",
    "application_autosave",
    "application_confirm_membership",
    "application_decide",
    "application_decision_check",
    "application_form_mode",
    "application_refusal",
    "application_save",
    "application_save_draft",
    "application_submit",
    "application_withdraw",
    "applications_decide",
    "closed_message",
]
