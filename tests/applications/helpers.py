"""Shared request bodies for the application tests."""

from applications.forms import ApplicationForm


def complete_answers(cohort, role="mentee", **overrides) -> dict:
    """A POST body that a complete application for `cohort` sends."""
    area = cohort.program.areas.first()
    data = {
        "role": role,
        "full_name": "Pat Applicant",
        "pronouns": "they/them",
        "email": "applicant@example.org",
        "job_title": "Cataloging Librarian",
        "employer": "Riverbend Public Library",
        "library_type": "public",
        "state": "GU",
        "country": "",
        "time_zone": "Pacific/Guam",
        "years_experience": "12" if role != "mentee" else "3",
        "membership_status": "member",
        "membership_number": "1234567",
        "membership_attested": "on",
        "mentee_goals": "Learn to lead a team." if role != "mentor" else "",
        "mentor_offer": "Twelve years of cataloging." if role != "mentee" else "",
        "previous_mentoring": "",
        "areas": [str(area.pk)],
        "meeting_modes": ["video", "email"],
        "hours_per_month": "4",
        "capacity": "2" if role != "mentee" else "",
        "library_type_preference": "none",
        "commits_orientation": "on",
        "commits_assessment": "on",
    }
    if cohort.program.mentees_confirm_children_service and role != "mentor":
        data.update(is_adult="on", children_service_connection="Storytimes at my branch.")
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def apply_url(cohort) -> str:
    return f"/programs/{cohort.program.slug}/cohorts/{cohort.slug}/apply/"


def answers_for(cohort, **overrides) -> dict:
    """The cleaned answers of a complete application, as the services take them."""
    form = ApplicationForm(complete_answers(cohort, **overrides), cohort=cohort, mode="submit")
    assert form.is_valid(), form.errors
    return form.answers()
