"""Who may see and do what: the one home of the permission rules.

The ladder, highest first:

- superusers and association staff (`is_staff`) see and run every program;
- a program's chair (or its staff liaison) approves pairings, releases notifications and edits
  the program's texts (`is_chair`);
- a program's committee member reads the program, runs matching, proposes, locks, moves and
  excludes (`is_member`);
- everyone else sees only their own applications, pairings and surveys.

Everything is scoped by program: `programs_for` is the set of programs a person may see in the
admin and the reports; an object outside it answers 404, exactly like a missing one. The admin
mixin (cohorts.admin_scoping), the admin site, the committee's screens, the matching services
and the reports all ask here.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from .models import CommitteeMembership, Program


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_staff(user) -> bool:
    """Superusers and association staff: every program, reports and exports."""
    return _active(user) and user.sees_all_programs


def programs_for(user) -> QuerySet[Program]:
    """The programs whose objects `user` may see: all for staff, else their committees'."""
    if not _active(user):
        return Program.objects.none()
    if user.sees_all_programs:
        return Program.objects.all()
    return Program.objects.filter(committee_memberships__user=user).distinct()


def chaired_programs(user) -> QuerySet[Program]:
    """The programs in which `user` approves and releases: all for staff."""
    if not _active(user):
        return Program.objects.none()
    if user.sees_all_programs:
        return Program.objects.all()
    return Program.objects.filter(
        committee_memberships__user=user,
        committee_memberships__role__in=CommitteeMembership.APPROVING_ROLES,
    ).distinct()


def is_member(user, program: Program | None = None) -> bool:
    """On the committee of `program` in any role (of any program when None), or staff."""
    if not _active(user):
        return False
    if user.sees_all_programs:
        return True
    memberships = user.committee_memberships.all()
    if program is not None:
        memberships = memberships.filter(program=program)
    return memberships.exists()


def is_chair(user, program: Program | None = None) -> bool:
    """A chair or staff liaison of `program` (of any program when None), or staff."""
    if not _active(user):
        return False
    if user.sees_all_programs:
        return True
    memberships = user.committee_memberships.filter(role__in=CommitteeMembership.APPROVING_ROLES)
    if program is not None:
        memberships = memberships.filter(program=program)
    return memberships.exists()


def may_use_admin(user) -> bool:
    """Django staff, association staff and every committee member may open the admin."""
    return _active(user) and (user.is_staff or user.sees_all_programs or is_member(user))


def require_member(user, program: Program) -> None:
    if not is_member(user, program):
        raise PermissionDenied(_("Only the program's committee may change its pairings."))


def require_chair(user, program: Program) -> None:
    if not is_chair(user, program):
        raise PermissionDenied(_("Only the committee chair may do this."))


def staff_users():
    """Active association staff and superusers with an address: who hears of failed email."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(is_association_staff=True))
        .exclude(email="")
        .order_by("pk")
    )
