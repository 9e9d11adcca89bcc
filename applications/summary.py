"""A readable summary of an application's answers, grouped like the form.

Used by the applicant's own page and the confirmation email. Values are plain strings; the
templates escape them.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts.timezones import zone_label

from .choices import OUTSIDE_US, STATE_NAMES, Demographic, LibraryType, MeetingMode
from .eligibility import roles_of
from .fields import ANSWER_FIELDS, sections_with
from .models import Application
from .questions.selectors import answered_questions


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def _labels(values, choices) -> str:
    lookup = dict(choices)
    return ", ".join(str(lookup.get(v, v)) for v in values or [])


def location(application) -> str:
    if application.state == OUTSIDE_US:
        return application.country or _("Outside the United States")
    return STATE_NAMES.get(application.state, application.state)


def _text(name):
    return lambda a: getattr(a, name)


def _number(name):
    return lambda a: "" if getattr(a, name) is None else str(getattr(a, name))


def _yes_no_of(name):
    return lambda a: _yes_no(getattr(a, name))


# Each answer's question in the applicant's own words, and how to show the answer; None leaves
# a field out (the country is shown with the state).
ROWS = {
    "role": (_lazy("Applying as"), lambda a: a.get_role_display() if a.role else ""),
    "full_name": (_lazy("Name"), _text("full_name")),
    "pronouns": (_lazy("Pronouns"), _text("pronouns")),
    "email": (_lazy("Contact email"), _text("email")),
    "job_title": (_lazy("Job title"), _text("job_title")),
    "employer": (_lazy("Employer"), _text("employer")),
    "library_type": (
        _lazy("Type of library or organization"),
        lambda a: dict(LibraryType.choices).get(a.library_type, ""),
    ),
    "state": (_lazy("State, territory or country"), location),
    "country": None,
    "time_zone": (_lazy("Time zone"), lambda a: zone_label(a.time_zone) if a.time_zone else ""),
    "years_experience": (_lazy("Years of library experience"), _number("years_experience")),
    "membership_status": (
        _lazy("Membership"),
        lambda a: a.get_membership_status_display() if a.membership_status else "",
    ),
    "membership_number": (_lazy("Membership number"), _text("membership_number")),
    "membership_attested": (
        _lazy("Membership confirmed by you"),
        _yes_no_of("membership_attested"),
    ),
    "mentee_goals": (_lazy("What you hope to gain"), _text("mentee_goals")),
    "is_adult": (_lazy("18 or older"), lambda a: _yes_no(a.is_adult) if a.is_adult else ""),
    "children_service_connection": (
        _lazy("Connection to library service to children"),
        _text("children_service_connection"),
    ),
    "mentor_offer": (_lazy("What you can offer a mentee"), _text("mentor_offer")),
    "capacity": (_lazy("Mentees you can take"), _number("capacity")),
    "areas": (_lazy("Areas of interest"), None),  # see answer_summary
    "previous_mentoring": (_lazy("Earlier mentoring experience"), _text("previous_mentoring")),
    "meeting_modes": (
        _lazy("Ways to meet"),
        lambda a: _labels(a.meeting_modes, MeetingMode.choices),
    ),
    "hours_per_month": (_lazy("Hours a month"), _number("hours_per_month")),
    "library_type_preference": (
        _lazy("Library type of your match"),
        lambda a: a.get_library_type_preference_display(),
    ),
    "prefers_same_region": (
        _lazy("Someone in your region or time zone"),
        _yes_no_of("prefers_same_region"),
    ),
    "demographics": (
        _lazy("You identify as"),
        lambda a: _labels(a.demographics, Demographic.choices),
    ),
    "demographic_preference": (
        _lazy("A match who shares"),
        lambda a: _labels(a.demographic_preference, Demographic.choices),
    ),
    "commits_orientation": (
        _lazy("Will attend the orientation"),
        _yes_no_of("commits_orientation"),
    ),
    "commits_assessment": (
        _lazy("Will take part in the assessment"),
        _yes_no_of("commits_assessment"),
    ),
}


def _shown(section, application, include_demographics: bool) -> bool:
    if section.role:
        return not application.role or section.role in roles_of(application.role)
    if section.confidential:
        return include_demographics and bool(
            application.demographics or application.demographic_preference
        )
    return True


def answer_summary(
    application,
    *,
    include_demographics: bool = True,
    areas=None,
    answered=None,
) -> list[tuple[str, list]]:
    """[(section title, [(question, answer), ...]), ...], leaving out unanswered questions.

    The form's sections in its order (see applications.fields), each under its summary heading,
    with the program's own questions after the built-in ones of their section (archived ones
    too: an answer once given stays readable); sections sharing a heading are shown as one.
    `areas` and `answered` ([(question, value)]) stand in for the stored ones, for answers not
    saved yet.
    """
    if answered is None:
        answered = answered_questions(application)
    values = {question.pk: value for question, value in answered}
    if areas is None:
        areas = application.areas.all() if application.pk else []
    area_names = ", ".join(area.name for area in areas)
    roles = roles_of(application.role) if application.role else []
    sections: list[tuple[str, list]] = []
    for section in sections_with(question for question, _value in answered):
        if not _shown(section, application, include_demographics):
            continue
        rows = [
            (str(ROWS[name][0]), area_names if name == "areas" else ROWS[name][1](application))
            for name in section.fields
            if ROWS[name]
        ]
        rows += [
            (question.label, question.display(values[question.pk]))
            for question in section.questions
            if not roles or question.applies_to(roles)
        ]
        heading = str(section.heading_for_summary)
        if sections and sections[-1][0] == heading:
            sections[-1][1].extend(rows)
        else:
            sections.append((heading, rows))
    return [(title, [(q, v) for q, v in rows if v]) for title, rows in sections]


def preview_summary(*, cohort, answers: dict, questions) -> list[tuple[str, list]]:
    """The summary of answers not saved yet (the review before the final submit)."""
    application = Application(
        cohort=cohort,
        **{name: answers[name] for name in ANSWER_FIELDS if answers.get(name) is not None},
    )
    given = answers.get("questions") or {}
    return answer_summary(
        application,
        areas=list(answers.get("areas") or []),
        answered=[(q, given[q.pk]) for q in questions if given.get(q.pk) not in (None, "", [])],
    )
