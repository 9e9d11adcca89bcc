"""The outbox's own scheduled message: a daily digest of what failed, to association staff.

Registered in settings.NOTIFICATION_PLANNERS like every planner. Who counts as staff is asked of
the function named in settings.NOTIFICATION_STAFF_RECIPIENTS, so this app imports no other.
"""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .models import Notification, PlanningFailure
from .planning import PlannerGuard
from .services import notification_create

DIGEST_LIMIT = 50


def plan_failure_digest(*, now: dt.datetime) -> int:
    """Once a day, tell every staff member which messages failed for good and which rows a
    planner could not plan, with the server's reply and a retry link. Nothing when all is well.
    """
    failed = list(
        Notification.objects.filter(status=Notification.Status.FAILED)
        .select_related("cohort__program")
        .order_by("-updated_at")[: DIGEST_LIMIT + 1]
    )
    problems = list(
        PlanningFailure.objects.select_related("cohort__program").order_by("-last_failed_at")[
            : DIGEST_LIMIT + 1
        ]
    )
    if not failed and not problems:
        return 0
    failed_total = Notification.objects.filter(status=Notification.Status.FAILED).count()
    problems_total = PlanningFailure.objects.count()
    day = timezone.localdate(now)
    guard = PlannerGuard("notifications.planners.plan_failure_digest")
    created = 0
    for user in import_string(settings.NOTIFICATION_STAFF_RECIPIENTS)():
        key = f"failure-digest:{day.isoformat()}:{user.pk}"
        with guard.row(key=key):
            _notification, made = notification_create(
                key=key,
                kind="failure-digest",
                to=user.email,
                template="notifications/emails/failure_digest",
                context={
                    "day": day,
                    "failed": failed[:DIGEST_LIMIT],
                    "failed_total": failed_total,
                    "problems": problems[:DIGEST_LIMIT],
                    "problems_total": problems_total,
                    # Staff may take part in no program: the standard reason would be untrue.
                    "footer_reason": _(
                        "You receive this email as association staff, on each day an email "
                        "could not be sent or prepared."
                    ),
                },
                user=user,
            )
            created += made
    return created
