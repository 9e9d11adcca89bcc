"""Who may apply, and what a complete application must answer, by role and program rule.

Pure functions over a program, a cohort and the answers (a dict shaped like the form's cleaned
data): the form uses them to put each error beside its field, and the submit service runs them
again so no path around the form can submit an incomplete or ineligible application.
"""

from collections.abc import Iterable

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from cohorts.models import Cohort, MembershipRule, Program

from .choices import OUTSIDE_US, Demographic, MembershipStatus, Role
from .fields import question_field_name
from .questions.kinds import check_required

# Answered by everyone, whatever the role.
COMMON_REQUIRED = [
    "full_name",
    "email",
    "job_title",
    "employer",
    "library_type",
    "state",
    "time_zone",
    "years_experience",
    "areas",
    "meeting_modes",
    "hours_per_month",
]
MENTEE_REQUIRED = ["mentee_goals"]
MENTOR_REQUIRED = ["mentor_offer", "capacity"]


def roles_of(role: str) -> list[str]:
    if role == Role.BOTH:
        return [Role.MENTOR, Role.MENTEE]
    return [role] if role in (Role.MENTOR, Role.MENTEE) else []


def rule_for(program: Program, role: str) -> str:
    return program.mentor_membership if role == Role.MENTOR else program.mentee_membership


def offers_funded_membership(program: Program) -> bool:
    return MembershipRule.EXCEPTION_ROUTE in (program.mentor_membership, program.mentee_membership)


def needs_staff_review(application) -> bool:
    """A funded-membership request waits in the staff queue until staff confirm it."""
    return (
        application.membership_status == MembershipStatus.FUNDED_REQUEST
        and application.membership_confirmed_at is None
    )


def _join_or_renew(program: Program, message: str, **params: str) -> str:
    """The message, its "join or renew" words a link to the program's membership page (opening
    in the same tab, so nothing typed is lost: the draft is kept) when the program has one."""
    if not program.membership_url:
        return message % {**params, "link_start": "", "link_end": ""}
    escaped = {name: conditional_escape(value) for name, value in params.items()}
    link_start = format_html('<a href="{}">', program.membership_url)
    return mark_safe(  # noqa: S308  (the message is ours; every value in it is escaped)
        conditional_escape(message)
        % {**escaped, "link_start": link_start, "link_end": mark_safe("</a>")}
    )


def membership_errors(*, program: Program, role: str, answers: dict) -> dict[str, str]:
    """The membership rule of every role applied for; {} when the applicant is eligible."""
    errors: dict[str, str] = {}
    status = answers.get("membership_status") or ""
    number = (answers.get("membership_number") or "").strip()
    required_by = [r for r in roles_of(role) if rule_for(program, r) != MembershipRule.NOT_REQUIRED]
    role_names = " and ".join(
        str(Role(r).label).lower() + "s" for r in required_by
    )  # "mentors", "mentors and mentees"

    if number and not program.membership_number_is_valid(number):
        errors["membership_number"] = _(
            "This does not look like a membership number for this program (expected format: "
            "%(pattern)s)."
        ) % {"pattern": program.membership_number_pattern}

    if status == MembershipStatus.FUNDED_REQUEST:
        if not offers_funded_membership(program):
            errors["membership_status"] = _(
                "This program does not offer funded membership. Choose your membership status."
            )
        elif Demographic.BIPOC not in (answers.get("demographics") or []):
            errors["membership_status"] = _(
                "Funded membership is for applicants who identify as Black, Indigenous, or a "
                "Person of Color. If you do, check that box under “How you identify”; otherwise "
                "choose another membership status."
            )
        return errors

    if not required_by:
        return errors
    if not status:
        errors["membership_status"] = _("Tell us your membership status.")
        return errors
    if status == MembershipStatus.NOT_MEMBER:
        if any(rule_for(program, r) == MembershipRule.EXCEPTION_ROUTE for r in required_by):
            errors["membership_status"] = _(
                "Membership is required for %(roles)s in this program, unless you request "
                "funded membership (see the note above)."
            ) % {"roles": role_names}
        else:
            errors["membership_status"] = _join_or_renew(
                program,
                _(
                    "Membership is required for %(roles)s in this program. Your answers are "
                    "kept as a draft: %(link_start)sjoin or renew%(link_end)s, then submit."
                ),
                roles=role_names,
            )
        return errors
    if status == MembershipStatus.LAPSED and not program.membership_rechecked_at_start:
        errors["membership_status"] = _join_or_renew(
            program,
            _(
                "Your membership must be current when you apply. %(link_start)sRenew it"
                "%(link_end)s, then submit; your answers are kept as a draft."
            ),
        )
        return errors
    if not number:
        errors.setdefault("membership_number", _("Enter your membership number."))
    if not answers.get("membership_attested"):
        errors["membership_attested"] = _("Confirm your membership to submit.")
    return errors


def role_error(program: Program, role: str) -> str | None:
    """Why `role` cannot be applied for in `program`; None when it can."""
    if role not in Role.values:
        return _("Choose whether you apply as a mentor, a mentee, or both.")
    if role == Role.BOTH and not program.allows_both_roles:
        return _("This program takes separate applications from mentors and mentees: choose one.")
    return None


def role_choices(program: Program) -> list[tuple[str, str]]:
    """The roles the program's form offers ("both" only where one application may take both)."""
    return [
        (value, label)
        for value, label in Role.choices
        if value != Role.BOTH or program.allows_both_roles
    ]


def required_fields(*, cohort: Cohort, role: str) -> list[str]:
    """The built-in answers a complete application in `role` must give, whatever else it says
    ("" for a role not chosen yet: what everyone must answer, and the role itself)."""
    program = cohort.program
    roles = roles_of(role)
    required = ["role", *COMMON_REQUIRED]
    if Role.MENTEE in roles:
        required += MENTEE_REQUIRED
        if program.mentees_confirm_children_service:
            required += ["is_adult", "children_service_connection"]
    if Role.MENTOR in roles:
        required += MENTOR_REQUIRED
    if cohort.orientation_required:
        required.append("commits_orientation")
    required.append("commits_assessment")
    return required


def marked_required(*, cohort: Cohort) -> set[str]:
    """The form's fields marked required (an asterisk and aria-required): those every
    applicant who sees them must answer. A role's fields sit in that role's section; answers
    required only in some cases (the country outside the US, the membership number of a member)
    are not marked, and their notes say when."""
    program = cohort.program
    marked = set(required_fields(cohort=cohort, role=Role.BOTH))
    if all(rule_for(program, r) != MembershipRule.NOT_REQUIRED for r in Role.values):
        marked.add("membership_status")
    return marked


def submission_errors(
    *, cohort: Cohort, role: str, answers: dict, questions: Iterable = ()
) -> dict[str, str]:
    """Everything a complete application for `cohort` must answer, as {field: message}:
    the built-in answers, and the required ones among the cohort's own `questions` (their
    answers in answers["questions"], by question id; errors under "q_<id>").

    Every error at once: a missing role does not hide the other missing answers.
    """
    program = cohort.program
    errors: dict[str, str] = {}
    problem = role_error(program, role)
    if problem:
        errors["role"] = problem
    roles = roles_of(role) if not problem else []
    errors.update(_missing(cohort, role if not problem else "", answers))
    if answers.get("state") == OUTSIDE_US and not answers.get("country"):
        errors["country"] = _("Name the country you live in.")
    if (
        Role.MENTEE in roles
        and program.mentees_confirm_children_service
        and not answers.get("is_adult")
    ):
        errors["is_adult"] = _("Mentees in this program must be 18 or older.")
    years = answers.get("years_experience")
    minimum = program.mentor_min_years_experience
    if Role.MENTOR in roles and minimum and years is not None and years < minimum:
        errors["years_experience"] = _(
            "Mentors in this program have at least %(years)d years of experience."
        ) % {"years": minimum}
    preference = set(answers.get("demographic_preference") or [])
    if preference - set(answers.get("demographics") or []):
        errors["demographic_preference"] = _(
            "You can only ask for a match who shares what you told us about yourself above."
        )
    if cohort.orientation_required and not answers.get("commits_orientation"):
        errors["commits_orientation"] = _("The orientation is required for every participant.")
    if not answers.get("commits_assessment"):
        errors["commits_assessment"] = _("Every participant takes part in the assessment.")
    if roles:
        for name, message in membership_errors(program=program, role=role, answers=answers).items():
            errors.setdefault(name, message)
    errors.update(_unanswered_questions(questions, roles, answers.get("questions") or {}))
    return errors


def _missing(cohort: Cohort, role: str, answers: dict) -> dict[str, str]:
    """The required built-in answers left empty (those with a message of their own aside)."""
    errors = {}
    own_message = ("role", "is_adult", "commits_orientation", "commits_assessment")
    for name in required_fields(cohort=cohort, role=role):
        value = answers.get(name)
        if name in own_message:
            continue
        if value in (None, "", [], ()) or (hasattr(value, "exists") and not value.exists()):
            errors[name] = (
                _("Choose at least one.")
                if name in ("areas", "meeting_modes")
                else _("This answer is required.")
            )
    return errors


def _unanswered_questions(questions: Iterable, roles: list[str], given: dict) -> dict[str, str]:
    """The program's required questions left empty, of those asked of the applicant's roles
    (before a role is chosen: those asked of everyone)."""
    errors = {}
    for question in questions:
        if roles and not question.applies_to(roles):
            continue
        if not roles and len(question.roles()) == 1:
            continue
        message = check_required(question.spec, given.get(question.pk))
        if message:
            errors[question_field_name(question)] = message
    return errors
