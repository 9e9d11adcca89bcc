"""The built-in questions of an application, defined once.

SECTIONS lists the sections of the application form in the order the applicant meets them:
each has a key, its heading and the Application fields it asks. Everything else derives from it:
the form's layout and fields, the committee's review in the admin, the answer summary (the
applicant's page and confirmation email), the services' field lists, the per-role fields of
the eligibility rules, and the application export's columns.

A program's own questions (applications.questions) go into these sections too: each names its
section, and `sections_with(questions)` gives the sections with a cohort's questions attached,
after the built-in ones, for every reader above to show them where the applicant met them.
"""

from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .choices import Role


@dataclass(frozen=True)
class Section:
    key: str
    heading: Promise  # in the form, addressed to the applicant
    fields: tuple[str, ...]
    role: str = ""  # Role.MENTOR or Role.MENTEE: asked only of applicants in that role
    # Opt-in demographics: used only for the matching preference the applicant asks for,
    # never shown to the other party and never exported.
    confidential: bool = False
    review_heading: Promise | None = None  # the committee's heading in the admin, if different
    summary_heading: Promise | None = None  # the heading in the answer summary, if different
    # The cohort's own questions in this section, in their order (see sections_with).
    questions: tuple = ()

    @property
    def heading_for_review(self) -> Promise:
        return self.review_heading or self.heading

    @property
    def heading_for_summary(self) -> Promise:
        return self.summary_heading or self.heading


SECTIONS: tuple[Section, ...] = (
    Section("role", _("How you are applying"), ("role",), summary_heading=_("About you")),
    Section(
        "about",
        _("About you"),
        (
            "full_name",
            "pronouns",
            "email",
            "job_title",
            "employer",
            "library_type",
            "state",
            "country",
            "time_zone",
            "years_experience",
        ),
        review_heading=_("About the applicant"),
    ),
    Section(
        "membership",
        _("Membership"),
        ("membership_status", "membership_number", "membership_attested"),
    ),
    Section(
        "mentee",
        _("As a mentee"),
        ("mentee_goals", "is_adult", "children_service_connection"),
        role=Role.MENTEE,
    ),
    Section("mentor", _("As a mentor"), ("mentor_offer", "capacity"), role=Role.MENTOR),
    Section(
        "interests",
        _("Interests and experience"),
        ("areas", "previous_mentoring"),
        summary_heading=_("Interests and working together"),
    ),
    Section(
        "working",
        _("Working together"),
        ("meeting_modes", "hours_per_month", "library_type_preference", "prefers_same_region"),
        summary_heading=_("Interests and working together"),
    ),
    Section(
        "demographics",
        _("How you identify (optional and confidential)"),
        ("demographics", "demographic_preference"),
        confidential=True,
        review_heading=_("How the applicant identifies (confidential)"),
        summary_heading=_("How you identify (confidential)"),
    ),
    Section("commitments", _("Commitments"), ("commits_orientation", "commits_assessment")),
)


def section(key: str) -> Section:
    return next(s for s in SECTIONS if s.key == key)


# The sections a program's own question may sit in: not the role choice, and not the
# confidential demographics (a program question is read by the committee and in exports).
QUESTION_SECTION_CHOICES = [
    (s.key, s.heading) for s in SECTIONS if s.key != "role" and not s.confidential
]


def question_field_name(question) -> str:
    """The form field (and answers key) of a program question."""
    return f"q_{question.pk}"


def sections_with(questions: Iterable) -> tuple[Section, ...]:
    """SECTIONS, each with the given questions that sit in it (ordered by order, then id)."""
    by_section: dict[str, list] = {}
    for question in sorted(questions, key=lambda q: (q.order, q.pk or 0)):
        by_section.setdefault(question.section, []).append(question)
    return tuple(replace(s, questions=tuple(by_section.get(s.key, ()))) for s in SECTIONS)


# Every field an applicant answers, in the form's order.
ANSWERED_FIELDS: tuple[str, ...] = tuple(name for s in SECTIONS for name in s.fields)
# Answers stored as a many-to-many relation: saved after the application row, not set on it.
RELATION_FIELDS: tuple[str, ...] = ("areas",)
# The answers set as attributes of the Application row.
ANSWER_FIELDS: tuple[str, ...] = tuple(f for f in ANSWERED_FIELDS if f not in RELATION_FIELDS)
DEMOGRAPHIC_FIELDS: tuple[str, ...] = tuple(
    name for s in SECTIONS if s.confidential for name in s.fields
)

# Answers kept on the person's profile (accounts.User has the same fields): a submission
# updates the profile, and a first application starts from it.
PROFILE_FIELDS: tuple[str, ...] = ("full_name", "pronouns", "job_title", "employer", "time_zone")
# Carried from the person's last application into a new one: who they are, not what changes
# from year to year (experience grows; the rest is asked again).
CARRIED_FORWARD_FIELDS: tuple[str, ...] = (
    *(name for name in section("about").fields if name != "years_experience"),
    "membership_number",
)


def fields_only_for_other_roles(roles: list[str]) -> tuple[str, ...]:
    """The role sections' fields of the roles not in `roles` (the answers to clear)."""
    return tuple(name for s in SECTIONS if s.role and s.role not in roles for name in s.fields)
