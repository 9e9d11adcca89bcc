"""Who may see and do what: the one home of the permission rules.

The ladder, highest first:

- superusers and association staff (`is_staff`) see and run every program;
- a program's chair (or its staff liaison) approves pairings, releases notifications and edits
  the program's texts (`is_chair`);
- a program's committee member reads the program, runs matching, proposes, locks, moves and
  excludes (`is_member`);
- everyone else sees only their own applications, pairings and surveys.

Within a program, some things are the chairs' and staff's alone:

- program settings: chairs edit the texts, areas, guidelines and cohorts (`may_edit_program`);
  members read them; membership rules, the number pattern, demographics visibility and the
  program's identity are association staff's (`PROGRAM_STAFF_FIELDS`);
- problem reports (and the emails that carry them) are read by the program's chairs and staff
  only (`reads_problem_reports`);
- opt-in demographics of one applicant are shown to staff, and to the committee only where
  staff allowed it (`sees_demographics`); reports show them only in aggregate, only to staff;
- check-in notes are the pair's: no admin page shows them.

Privilege only goes down the ladder (accounts.privileges, re-exported here).

Everything is scoped by program: `programs_for` is the set of programs a person may see in the
admin and the reports; an object outside it answers 404, exactly like a missing one. The admin
mixin (cohorts.admin_scoping), the admin site, the committee's screens, the matching services
and the reports all ask here.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.privileges import (  # noqa: F401  (the ladder, re-exported: one home)
    PRIVILEGE_FIELDS,
    is_privileged,
    is_superuser,
    may_edit_user,
    may_grant_privileges,
    may_manage_users,
    may_set_password,
)

from .models import CommitteeMembership, Program

# Program fields only association staff change: the program's identity (its address, name and
# time zone, which dates and links depend on) and its policy (who may apply, the membership
# number's format, whether the committee sees demographics).
PROGRAM_STAFF_FIELDS = (
    "name",
    "short_name",
    "slug",
    "organization",
    "time_zone",
    "mentor_membership",
    "mentee_membership",
    "membership_exception",
    "membership_rechecked_at_start",
    "membership_number_pattern",
    "mentees_confirm_children_service",
    "mentor_min_years_experience",
    "committee_sees_demographics",
)


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


def may_edit_program(user, program: Program | None = None) -> bool:
    """Chairs edit their program's texts, areas, guidelines and cohorts; members only read."""
    return is_chair(user, program)


def program_fields_readonly_for(user) -> tuple[str, ...]:
    """The program fields `user` may read but not change (all but staff: PROGRAM_STAFF_FIELDS)."""
    return () if is_staff(user) else PROGRAM_STAFF_FIELDS


def reads_problem_reports(user, program: Program | None = None) -> bool:
    """Problem reports are for the program's chairs (and staff liaisons) and staff only."""
    return is_chair(user, program)


def sees_demographics(user, program: Program) -> bool:
    """One applicant's opt-in demographics: staff, or the program's committee where staff
    switched `committee_sees_demographics` on."""
    if is_staff(user):
        return True
    return program.committee_sees_demographics and is_member(user, program)
