"""Reads of a cohort's outbox for the committee's screens: what will go out, when, to how many
people, by kind; what failed and why; what was withdrawn and why; which releases can be undone.

A fixed number of queries whatever the size of the cohort.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import BigIntegerField, Count, Exists, OuterRef, Subquery
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from cohorts.admin_scoping import scope_queryset
from cohorts.models import Cohort
from notifications.models import Notification, PlanningFailure
from notifications.services import mask_private_links

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

    @property
    def failures_count(self) -> int:
        return len(self.failed) + len(self.planning_failures)


RECENT = 50


def _about_release():
    return Cast(KT("about__release"), BigIntegerField())


def cohort_outbox(*, cohort: Cohort, user, now: dt.datetime | None = None) -> CohortOutbox:
    """Five queries: the groups (with a sample each), the failed and withdrawn messages, the
    planning failures, and the releases still to go out (with what is pending and gone).

    Only the messages `user` may read (a problem report to the chairs is the chairs' alone),
    and personal links masked in the samples (a survey or pulse link is its owner's)."""
    now = now or timezone.now()
    outbox = CohortOutbox()
    readable = scope_queryset(Notification.objects.filter(cohort=cohort), user)
    pending = readable.filter(status=Notification.Status.PENDING)
    first = pending.filter(kind=OuterRef("kind"), scheduled_at=OuterRef("scheduled_at")).order_by(
        "pk"
    )
    rows = (
        pending.values("kind", "scheduled_at")
        .annotate(
            count=Count("pk"),
            recipients=Count("recipient", distinct=True),
            sample_subject=Subquery(first.values("subject")[:1]),
            sample_text=Subquery(first.values("body_text")[:1]),
        )
        .order_by("scheduled_at", "kind")
    )
    outbox.groups = [
        ScheduledGroup(
            kind=row["kind"],
            scheduled_at=row["scheduled_at"],
            count=row["count"],
            recipients=row["recipients"],
            sample=Notification(
                subject=row["sample_subject"], body_text=mask_private_links(row["sample_text"])
            ),
        )
        for row in rows
    ]
    unsent = list(
        readable.filter(
            status__in=(Notification.Status.FAILED, Notification.Status.WITHDRAWN),
        ).order_by("-updated_at")[: 2 * RECENT]
    )
    outbox.failed = [n for n in unsent if n.status == Notification.Status.FAILED][:RECENT]
    outbox.withdrawn = [n for n in unsent if n.status == Notification.Status.WITHDRAWN][:RECENT]
    outbox.planning_failures = list(
        PlanningFailure.objects.filter(cohort=cohort).order_by("-last_failed_at")[:RECENT]
    )
    outbox.releases = cohort_releases(cohort=cohort, now=now)
    return outbox


def cohort_releases(*, cohort: Cohort, now: dt.datetime | None = None) -> list[ReleaseRow]:
    """The cohort's releases still to go out, with their pending emails and whether they can
    be undone (one query)."""
    now = now or timezone.now()
    of_release = Notification.objects.annotate(release_id=_about_release()).filter(
        release_id=OuterRef("pk")
    )
    releases = (
        Release.objects.filter(cohort=cohort, undone_at__isnull=True, send_at__gt=now)
        .select_related("released_by")
        .annotate(
            pending=Coalesce(
                Subquery(
                    of_release.filter(status=Notification.Status.PENDING)
                    .order_by()
                    .values("release_id")
                    .annotate(n=Count("pk"))
                    .values("n")[:1]
                ),
                0,
            ),
            gone=Exists(
                of_release.filter(
                    status__in=(Notification.Status.SENT, Notification.Status.SENDING)
                )
            ),
        )
        .order_by("-created_at")
    )
    return [
        ReleaseRow(
            release=release,
            emails_pending=release.pending,
            why_not_undoable=release_undoable(release, now=now, emails_gone=release.gone),
        )
        for release in releases
    ]


def cohort_failures_count(*, cohort: Cohort) -> int:
    """Failed messages and planning failures of the cohort (one query): the banner on its
    committee pages."""
    failed = Notification.objects.filter(cohort=cohort, status=Notification.Status.FAILED)
    problems = PlanningFailure.objects.filter(cohort=cohort)
    # Without the models' default ordering: SQLite (the demo's database) allows no ORDER BY
    # inside a UNION.
    return failed.order_by().values("pk").union(problems.order_by().values("pk"), all=True).count()
