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

APPROVING_ROLES = set(CommitteeMembership.APPROVING_ROLES)


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_staff(user) -> bool:
    """Superusers and association staff: every program, reports and exports."""
    return _active(user) and user.sees_all_programs


def committee_roles(user) -> dict[int, str]:
    """{program id: role} of the person's committee memberships, read once per user object.

    Every permission question of a request (the admin asks dozens: one per model in the
    sidebar) is answered from this one query. A request gets a fresh user object, so a change
    of role counts from the next request on.
    """
    roles = getattr(user, "_committee_roles", None)
    if roles is None:
        roles = dict(user.committee_memberships.values_list("program_id", "role"))
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
