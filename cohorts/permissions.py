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

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
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

APPROVING_ROLES = set(CommitteeMembership.APPROVING_ROLES)

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


def committee_roles(user) -> dict[int, str]:
    """{program id: role} of the person's committee memberships, read once per user object.

    Every permission question of a request (the admin asks dozens: one per model in the
    sidebar) is answered from this one query; for the signed-in person the authentication
    backend already read it with their row (cohorts/auth.py). A request gets a fresh user
    object, so a change of role counts from the next request on.
    """
    roles = getattr(user, "_committee_roles", None)
    if roles is None:
        # Unordered: the model's ordering would join the programs and the users to sort a dict.
        roles = dict(user.committee_memberships.order_by().values_list("program_id", "role"))
        user._committee_roles = roles
    return roles


def programs_for(user) -> QuerySet[Program]:
    """The programs whose objects `user` may see: all for staff, else their committees'."""
    if not _active(user):
        return Program.objects.none()
    if user.sees_all_programs:
        return Program.objects.all()
    return Program.objects.filter(pk__in=list(committee_roles(user)))


def chaired_programs(user) -> QuerySet[Program]:
    """The programs in which `user` approves and releases: all for staff."""
    if not _active(user):
        return Program.objects.none()
    if user.sees_all_programs:
        return Program.objects.all()
    chaired = [pk for pk, role in committee_roles(user).items() if role in APPROVING_ROLES]
    return Program.objects.filter(pk__in=chaired)


def _program_id(program) -> int:
    return program if isinstance(program, int) else program.pk


def is_member(user, program: Program | None = None) -> bool:
    """On the committee of `program` in any role (of any program when None), or staff."""
    if not _active(user):
        return False
    if user.sees_all_programs:
        return True
    roles = committee_roles(user)
    return bool(roles) if program is None else _program_id(program) in roles


def is_chair(user, program: Program | None = None) -> bool:
    """A chair or staff liaison of `program` (of any program when None), or staff."""
    if not _active(user):
        return False
    if user.sees_all_programs:
        return True
    roles = committee_roles(user)
    if program is None:
        return any(role in APPROVING_ROLES for role in roles.values())
    return roles.get(_program_id(program)) in APPROVING_ROLES


def may_use_admin(user) -> bool:
    """Django staff, association staff and every committee member may open the admin."""
    return _active(user) and (user.is_staff or user.sees_all_programs or is_member(user))


def require_member(user, program: Program) -> None:
    if not is_member(user, program):
        raise PermissionDenied(_("Only the program's committee may change its pairings."))


def require_decider(user, program: Program) -> None:
    """The committee's decisions on a program's applications: its members (and staff)."""
    if not is_member(user, program):
        raise PermissionDenied(_("Only the program's committee decides on its applications."))


def require_chair(user, program: Program) -> None:
    if not is_chair(user, program):
        raise PermissionDenied(_("Only the committee chair may do this."))


def is_chair_or_pair_liaison(
    user, program: Program, *, liaison_id: int | None, chair: bool | None = None
) -> bool:
    """Who looks after one pair: the program's chairs (and staff), and the pair's liaison while
    on the committee. They read its pulse comments (other members see only the scores), nudge
    it and record touch-points with it. `chair`, when the caller knows it, saves a query."""
    if chair if chair is not None else is_chair(user, program):
        return True
    return liaison_id is not None and user.pk == liaison_id and is_member(user, program)


def may_edit_questions(user, program: Program | None = None) -> bool:
    """Who writes a program's own application questions: its chairs (and staff liaisons) and
    association staff. Committee members read them."""
    return is_chair(user, program)


def require_question_editor(user, program: Program) -> None:
    if not may_edit_questions(user, program):
        raise PermissionDenied(_("Only the program's chair or staff may change its questions."))


def staff_users():
    """Active association staff and superusers with an address: who hears of failed email."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(is_association_staff=True))
        .exclude(email="")
        .order_by("pk")
    )


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
