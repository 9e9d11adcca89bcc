"""When the matching app's messages are still true (see notifications.conditions).

- An introduction ("pairing-announced") holds while its pairing is still released by the same
  release (not dissolved, not undone), the recipient is still one of its partners, and neither
  partner has withdrawn their application.
- "not-matched" holds while the person is still accepted, in no current pairing, and the release
  that planned it was not undone.
- "application-waitlisted" and "application-declined" hold while the application still has that
  status and the release was not undone.
- A dissolution notice ("pairing-dissolved") holds while the pairing is dissolved.
"""

import datetime as dt

from django.db.models import Q
from django.utils.translation import gettext as _

from applications.models import Application

from .models import Pairing, Release


def _ids(notifications, name: str) -> set[int]:
    return {n.about[name] for n in notifications if n.about.get(name) is not None}


def _undone_releases(notifications) -> set[int]:
    return set(
        Release.objects.filter(
            pk__in=_ids(notifications, "release"), undone_at__isnull=False
        ).values_list("pk", flat=True)
    )


def introduction_holds(notifications, *, now: dt.datetime) -> dict[int, str]:
    pairings = Pairing.objects.in_bulk(_ids(notifications, "pairing"))
    people = {p.mentor_id for p in pairings.values()} | {p.mentee_id for p in pairings.values()}
    withdrawn = set(
        Application.objects.filter(pk__in=people, status=Application.Status.WITHDRAWN).values_list(
            "pk", flat=True
        )
    )
    reasons = {}
    for notification in notifications:
        about = notification.about
        pairing = pairings.get(about.get("pairing"))
        if pairing is None:
            reasons[notification.pk] = _("The pairing no longer exists.")
        elif pairing.status == Pairing.Status.DISSOLVED:
            reasons[notification.pk] = _("The pairing was dissolved.")
        elif pairing.status not in Pairing.ANNOUNCED_STATUSES:
            reasons[notification.pk] = _("The pairing is no longer released.")
        elif about.get("release") and pairing.release_id != about["release"]:
            reasons[notification.pk] = _("The release that announced it was undone.")
        elif about.get("application") not in (pairing.mentor_id, pairing.mentee_id):
            reasons[notification.pk] = _("The recipient is no longer in this pairing.")
        elif {pairing.mentor_id, pairing.mentee_id} & withdrawn:
            reasons[notification.pk] = _("One of the partners withdrew their application.")
    return reasons


def not_matched_holds(notifications, *, now: dt.datetime) -> dict[int, str]:
    ids = _ids(notifications, "application")
    applications = Application.objects.in_bulk(ids)
    paired = set()
    for mentor_id, mentee_id in (
        Pairing.objects.current()
        .filter(Q(mentor_id__in=ids) | Q(mentee_id__in=ids))
        .values_list("mentor_id", "mentee_id")
    ):
        paired.update((mentor_id, mentee_id))
    undone = _undone_releases(notifications)
    reasons = {}
    for notification in notifications:
        application = applications.get(notification.about.get("application"))
        if application is None:
            reasons[notification.pk] = _("The application no longer exists.")
        elif notification.about.get("release") in undone:
            reasons[notification.pk] = _("The release that planned it was undone.")
        elif application.status != Application.Status.ACCEPTED:
            reasons[notification.pk] = _("The application is now %(status)s.") % {
                "status": application.get_status_display().lower()
            }
        elif application.pk in paired:
            reasons[notification.pk] = _("The person has a pairing now.")
    return reasons


def _status_holds(status: str):
    def holds(notifications, *, now: dt.datetime) -> dict[int, str]:
        applications = Application.objects.in_bulk(_ids(notifications, "application"))
        undone = _undone_releases(notifications)
        reasons = {}
        for notification in notifications:
            application = applications.get(notification.about.get("application"))
            if application is None:
                reasons[notification.pk] = _("The application no longer exists.")
            elif notification.about.get("release") in undone:
                reasons[notification.pk] = _("The release that planned it was undone.")
            elif application.status != status:
                reasons[notification.pk] = _("The application is now %(status)s.") % {
                    "status": application.get_status_display().lower()
                }
        return reasons

    return holds


def dissolution_holds(notifications, *, now: dt.datetime) -> dict[int, str]:
    pairings = Pairing.objects.in_bulk(_ids(notifications, "pairing"))
    return {
        n.pk: _("The pairing is no longer dissolved.")
        for n in notifications
        if getattr(pairings.get(n.about.get("pairing")), "status", None) != Pairing.Status.DISSOLVED
    }


CONDITIONS = {
    "pairing-announced": introduction_holds,
    "not-matched": not_matched_holds,
    "application-waitlisted": _status_holds(Application.Status.WAITLISTED),
    "application-declined": _status_holds(Application.Status.DECLINED),
    "pairing-dissolved": dissolution_holds,
}
