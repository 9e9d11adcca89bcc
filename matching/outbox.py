"""Reads of a cohort's outbox for the committee's screens: what will go out, when, to how many
people, by kind; what failed and why; what was withdrawn and why; which releases can be undone.

A fixed number of queries whatever the size of the cohort.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Min
from django.utils import timezone

from cohorts.models import Cohort
from notifications.models import Notification, PlanningFailure

from .models import Release
from .services.announce import release_undoable
from .services.emails import KIND_LABELS


@dataclass
class ScheduledGroup:
    kind: str
    scheduled_at: dt.datetime
    count: int
    recipients: int
    sample: Notification | None

    @property
    def label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind.replace("_", " ").replace("-", " ")))

    @property
    def is_introduction(self) -> bool:
        return self.kind == "pairing-announced"


@dataclass
class ReleaseRow:
    release: Release
    emails_pending: int
    why_not_undoable: str


@dataclass
class CohortOutbox:
    groups: list[ScheduledGroup] = field(default_factory=list)
    failed: list[Notification] = field(default_factory=list)
    withdrawn: list[Notification] = field(default_factory=list)
    planning_failures: list[PlanningFailure] = field(default_factory=list)
    releases: list[ReleaseRow] = field(default_factory=list)

    @property
    def pending_total(self) -> int:
        return sum(group.count for group in self.groups)


RECENT = 50


def cohort_outbox(*, cohort: Cohort, now: dt.datetime | None = None) -> CohortOutbox:
    now = now or timezone.now()
    outbox = CohortOutbox()
    pending = Notification.objects.filter(cohort=cohort, status=Notification.Status.PENDING)
    rows = list(
        pending.values("kind", "scheduled_at")
        .annotate(count=Count("pk"), recipients=Count("recipient", distinct=True), first=Min("pk"))
        .order_by("scheduled_at", "kind")
    )
    samples = Notification.objects.in_bulk([row["first"] for row in rows])
    outbox.groups = [
        ScheduledGroup(
            kind=row["kind"],
            scheduled_at=row["scheduled_at"],
            count=row["count"],
            recipients=row["recipients"],
            sample=samples.get(row["first"]),
        )
        for row in rows
    ]
    outbox.failed = list(
        Notification.objects.filter(cohort=cohort, status=Notification.Status.FAILED).order_by(
            "-updated_at"
        )[:RECENT]
    )
    outbox.withdrawn = list(
        Notification.objects.filter(cohort=cohort, status=Notification.Status.WITHDRAWN).order_by(
            "-updated_at"
        )[:RECENT]
    )
    outbox.planning_failures = list(
        PlanningFailure.objects.filter(cohort=cohort).order_by("-last_failed_at")[:RECENT]
    )
    open_releases = list(
        Release.objects.filter(cohort=cohort, undone_at__isnull=True, send_at__gt=now)
        .select_related("released_by")
        .order_by("-created_at")
    )
    pending_by_release = {
        row["about__release"]: row["count"]
        for row in pending.filter(about__release__in=[r.pk for r in open_releases])
        .values("about__release")
        .annotate(count=Count("pk"))
        .order_by()
    }
    outbox.releases = [
        ReleaseRow(
            release=release,
            emails_pending=pending_by_release.get(release.pk, 0),
            why_not_undoable=release_undoable(release, now=now),
        )
        for release in open_releases
    ]
    return outbox


def cohort_failures_count(*, cohort: Cohort) -> int:
    """Failed messages and planning failures of the cohort: the banner on its committee pages."""
    return (
        Notification.objects.filter(cohort=cohort, status=Notification.Status.FAILED).count()
        + PlanningFailure.objects.filter(cohort=cohort).count()
    )
