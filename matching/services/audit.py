"""The audit trail: one row for every change the committee makes to a cohort's pairings."""

from collections.abc import Iterable

from ..models import AuditEntry


def audit_record(
    *,
    cohort,
    actor,
    action: str,
    summary: str,
    pairing=None,
    changes: dict | None = None,
) -> AuditEntry:
    """Record who did what, when, and what changed. Call it inside the change's transaction."""
    return AuditEntry.objects.create(
        cohort=cohort,
        actor=actor,
        action=action,
        summary=summary[:500],
        pairing=pairing,
        changes=changes or {},
    )


def audit_record_many(entries: Iterable[dict]) -> list[AuditEntry]:
    """audit_record for many changes at once (each a dict of its keyword arguments): one INSERT.
    Call it inside the changes' transaction."""
    return AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                cohort=entry["cohort"],
                actor=entry["actor"],
                action=entry["action"],
                summary=entry["summary"][:500],
                pairing=entry.get("pairing"),
                changes=entry.get("changes") or {},
            )
            for entry in entries
        ]
    )
