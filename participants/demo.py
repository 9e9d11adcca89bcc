"""Demo data for My mentoring: what each program tells its matched pairs, and goals, progress
notes, check-ins and orientation attendance for the demo pairings (made by the committee
workflow's seeder; with none there, nothing is added). One pair in each cohort under way has not
met for over a month, so its "What's next" asks for a check-in. Idempotent: fills only what is
empty, never overwrites edits."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from cohorts.demo import DEMO_EARLIER_NOTE, DEMO_NOTE
from cohorts.models import Program
from matching.models import Pairing

from .models import Attendance, CheckIn, Goal, GoalProgressNote

PROGRAM_TEXTS = {
    "alsc": {
        "working_with_a_match": "\n".join(
            [
                "In your first weeks, introduce yourselves: your work, your library and what you "
                "hope the year brings",
                "Agree on how and how often you will meet, and how soon you answer each other",
                "Develop 1 to 3 SMART goals together and send the goal sheet within 30 days of "
                "the match",
                "Work on your goals from December to June and note your progress as you go",
                "Matches are free to choose their own activities; if something is not working, "
                "tell the committee early",
            ]
        ),
        "suggested_activities": "\n".join(
            [
                "Watch each other's storytime or program, in person or by video, and talk it over",
                "Read and discuss a new children's book, or a book about serving children and "
                "families",
                "Review the mentee's résumé or cover letter, or practice for an interview",
                "Attend an ALSC webinar or conference session together and compare notes",
                "Look through ALSC's committees and talk about where the mentee might serve",
                "Share a program plan, a budget or a policy and ask each other for feedback",
                "Join the virtual networking session hosted by the Mentoring Working Group",
            ]
        ),
        "resources": "\n".join(
            [
                "ALSC's Statement on Equity, Diversity, and Inclusion, which the program builds on",
                "ALSC committee descriptions and the committee volunteer form, for committee "
                "service",
                "Mentoring groups of your state library association and of ALA's New Members "
                "Round Table, to keep learning after the program",
            ]
        ),
    },
    "core": {
        "working_with_a_match": "\n".join(
            [
                "Attend the virtual orientation in November together",
                "Formal mentoring runs six months, from December to June",
                "You may continue your mentoring relationship on your own after the program ends",
                "Both of you take part in the assessment at the end of the mentoring period",
            ]
        ),
    },
    "alcts": {
        "working_with_a_match": "\n".join(
            [
                "Attend the training and orientation before formal mentoring begins",
                "Formal mentoring runs ten months, from June 1 to April 30",
                "You may continue your mentoring relationship on your own after the program ends",
                "Both of you take part in the assessment at the end of the mentoring period",
            ]
        ),
    },
}

PROGRESS_NOTES = {
    "alsc": "Storytime plan drafted; my mentor suggested adding a rhyme in both languages at "
    "the start and the end.",
    "other": "Plan and timeline drafted; my mentor suggested checking the holdings report "
    "before touching the records.",
}

# The goals of pairs in Core and ALCTS (leadership and technical services); ALSC's are below.
WORKPLACE_GOALS = [
    {
        "title": "Lead a small cataloging project from start to finish",
        "specific": "The mentee plans and leads the cleanup of the library's serials records, "
        "with the mentor reviewing the plan and the timeline.",
        "measurable": "The records are cleaned and a one-page report goes to the department head.",
        "achievable": "The department agreed to give the mentee four hours a week for it.",
        "relevant": "The mentee wants to move into a supervisory role.",
        "time_bound": "Plan in the first month; done by the end of the fourth.",
        "status": Goal.Status.IN_PROGRESS,
        "days": 120,
    },
    {
        "title": "Present at a division webinar or conference",
        "specific": "The mentee writes a proposal about a workflow they improved and submits it "
        "to a webinar series or a conference of the division.",
        "measurable": "The proposal is submitted.",
        "achievable": "The mentor has reviewed proposals for the program committee.",
        "relevant": "Presenting builds the mentee's network and leadership in the division.",
        "time_bound": "Before the next call for proposals closes.",
        "status": Goal.Status.NOT_STARTED,
        "days": 180,
    },
]

DEMO_GOALS = [
    {
        "title": "Plan and lead a bilingual storytime",
        "specific": "The mentee plans and leads a Spanish-English storytime for toddlers at the "
        "branch, with the mentor's review of the plan.",
        "measurable": "Three sessions held; attendance and a short caregiver survey recorded.",
        "achievable": "The branch already runs weekly storytimes and has a bilingual colleague "
        "willing to co-lead.",
        "relevant": "Early literacy for the families the branch serves is the mentee's main "
        "career interest.",
        "time_bound": "Plan by the end of the second month; sessions in months three and four.",
        "status": Goal.Status.IN_PROGRESS,
        "days": 120,
    },
    {
        "title": "Volunteer for an ALSC committee",
        "specific": "The mentee reads the committee descriptions, talks through two choices "
        "with the mentor and submits the volunteer form.",
        "measurable": "The volunteer form is submitted.",
        "achievable": "The mentor has served on two committees and can explain the workload.",
        "relevant": "Committee service is one of the program's objectives and builds the "
        "mentee's network.",
        "time_bound": "Before the volunteer form closes in the spring.",
        "status": Goal.Status.NOT_STARTED,
        "days": 180,
    },
]


def _fill_program_texts() -> int:
    changed = 0
    for slug, texts in PROGRAM_TEXTS.items():
        program = Program.objects.filter(slug=slug).first()
        if program is None:
            continue
        empty = {name: value for name, value in texts.items() if not getattr(program, name)}
        if empty:
            Program.objects.filter(pk=program.pk).update(**empty)
            changed += 1
    return changed


def _seed_pairing(pairing: Pairing, today: dt.date, *, quiet: bool = False) -> bool:
    """Goals, a progress note and check-ins up to today (none in the last month if `quiet`)."""
    if pairing.goals.exists() or pairing.check_ins.exists():
        return False
    cohort = pairing.cohort
    mentor, mentee = pairing.mentor.applicant, pairing.mentee.applicant
    start = pairing.announced_at.date() if pairing.announced_at else cohort.pairings_notified
    finished = cohort.mentoring_ends < today
    goals = DEMO_GOALS if cohort.program.slug == "alsc" else WORKPLACE_GOALS
    for data in goals:
        data = dict(data)
        days = data.pop("days")
        if finished:
            data["status"] = Goal.Status.ACHIEVED
        goal = Goal.objects.create(
            pairing=pairing,
            created_by=mentee,
            target_date=start + dt.timedelta(days=days),
            **data,
        )
        if goal.status in (Goal.Status.IN_PROGRESS, Goal.Status.ACHIEVED) and days == 120:
            GoalProgressNote.objects.create(
                goal=goal,
                author=mentee,
                date=min(today, start + dt.timedelta(days=40)),
                note=PROGRESS_NOTES["alsc" if goals is DEMO_GOALS else "other"],
            )
    meetings = [
        (
            10,
            CheckIn.Mode.VIDEO,
            "Introductions; agreed to meet by video every three weeks.",
            mentee,
        ),
        (30, CheckIn.Mode.VIDEO, "Finished the goal sheet together.", mentor),
        (52, CheckIn.Mode.PHONE, "", mentee),
    ]
    last_day = min(today, cohort.mentoring_ends)
    if quiet:
        last_day -= dt.timedelta(days=35)
    # Then every three weeks, as the pair agreed, until today (or the end of mentoring).
    offset = 73
    while start + dt.timedelta(days=offset) <= last_day:
        mode = CheckIn.Mode.VIDEO if offset % 2 else CheckIn.Mode.PHONE
        meetings.append((offset, mode, "", mentor if offset % 2 else mentee))
        offset += 21
    for offset, mode, notes, who in meetings:
        day = start + dt.timedelta(days=offset)
        if day <= last_day:
            CheckIn.objects.create(pairing=pairing, date=day, mode=mode, notes=notes, logged_by=who)
    if cohort.orientation_date and cohort.orientation_date < today:
        for application in (pairing.mentor, pairing.mentee):
            Attendance.objects.get_or_create(
                application=application, milestone=None, defaults={"attended": True}
            )
    return True


@transaction.atomic
def seed(*, today: dt.date | None = None) -> list[str]:
    today = today or timezone.localdate()
    _fill_program_texts()
    pairings = (
        Pairing.objects.filter(status__in=Pairing.ANNOUNCED_STATUSES)
        .filter(cohort__notes__in=(DEMO_NOTE, DEMO_EARLIER_NOTE))
        .select_related("cohort__program", "mentor__applicant", "mentee__applicant")
        .order_by("pk")
    )
    seeded, quiet_cohorts = 0, set()
    for pairing in pairings:
        quiet = pairing.cohort_id not in quiet_cohorts and pairing.cohort.mentoring_ends >= today
        quiet_cohorts.add(pairing.cohort_id)
        seeded += _seed_pairing(pairing, today, quiet=quiet)
    if not seeded:
        return []
    return [f"My mentoring: goals and check-ins added to {seeded} demo pairing(s)."]
