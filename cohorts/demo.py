"""Demo data: the three programs of the seed pages, their real historical cohorts, one current
cohort each placed relative to today, and fictional committee accounts.

Idempotent: rows are looked up by their natural keys and created only when missing, so a second
run changes nothing (and never overwrites what someone edited in the admin).
"""

import calendar
import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from .models import AreaOfInterest, Cohort, CommitteeMembership, MembershipRule, Milestone, Program
from .services import cohort_create

DEMO_PASSWORD = "mentoring-demo"  # noqa: S105  (fictional local accounts, printed for the reader)
DEMO_NOTE = "Demo cohort, placed relative to the day the demo data was loaded."

MENTEE_EXPECTS = (
    "Career planning, help with the job search, shaping a career, and succession planning with "
    "attention to sustainability, legacy, realism, structure and expectations, with a focus on "
    "the professional career, especially at the entry level."
)
MENTOR_EXPECTS = (
    "New ideas and interests, new professional challenges, the satisfaction of sharing your "
    "experience, knowledge and skills, a chance to reflect on your own practice and to practice "
    "developmental behaviors outside your own line responsibilities, and learning from the "
    "conversations with your mentee."
)

PROGRAMS = [
    {
        "slug": "core",
        "name": "Core Mentoring Program",
        "short_name": "Core",
        "organization": "Core: Leadership, Infrastructure, Futures (American Library Association)",
        "committee_name": "Core Leadership Development and Mentoring Committee",
        "contact_email": "core-mentoring@example.org",
        "description": (
            "Supports the professional development of Core members at any stage of their career, "
            "in any of Core's areas: leadership and management, collections and technical "
            "services, buildings and operations, and technology."
        ),
        "objectives": "\n".join(
            [
                "Develop strong leadership in the areas of librarianship Core covers",
                "Support members in developing their professional skills",
                "Cultivate leadership and involvement in Core",
                "Provide networking opportunities",
                "Expand members' professional learning circles",
            ]
        ),
        "guidelines": "\n".join(
            [
                "Open to Core members only; participants must be members when mentoring starts",
                "A participant may be a mentor, a mentee, or both",
                "Formal mentoring runs six months, from December to June",
                "Pairs may continue on their own after the formal program ends",
                "Mentors and mentees take part in the assessment at the end of the program",
                "Everyone attends the virtual mentor/mentee orientation in November",
            ]
        ),
        "mentor_expectations": MENTOR_EXPECTS,
        "mentee_expectations": MENTEE_EXPECTS,
        "time_zone": "America/Chicago",
        "mentor_membership": MembershipRule.REQUIRED,
        "mentee_membership": MembershipRule.REQUIRED,
        "membership_rechecked_at_start": True,
        "areas": [
            "Leadership and management",
            "Collections and technical services",
            "Cataloging and metadata",
            "Buildings and operations",
            "Technology",
            "Career development",
        ],
    },
    {
        "slug": "alcts",
        "name": "ALCTS Mentoring Program",
        "short_name": "ALCTS",
        "organization": "Association for Library Collections & Technical Services (ALA)",
        "committee_name": "Mentoring Subcommittee of the ALCTS Leadership Development Committee",
        "contact_email": "alcts-mentoring@example.org",
        "description": (
            "Coordinates and promotes the professional development of ALCTS members at every "
            "stage of their careers, in collections and technical services: acquisitions, "
            "cataloging, collection development, preservation and continuing resources."
        ),
        "objectives": "\n".join(
            [
                "Develop strong leadership in the areas of librarianship ALCTS covers",
                "Support members in developing their professional skills",
                "Cultivate leadership and involvement in ALCTS",
                "Provide networking opportunities",
                "Expand members' professional learning circles",
            ]
        ),
        "guidelines": "\n".join(
            [
                "Open to ALCTS members only",
                "A participant may be a mentor, a mentee, or both",
                "Participants commit to one year in the program",
                "Formal mentoring runs ten months, from June 1 to April 30",
                "Pairs may continue on their own after the formal program ends",
                "Mentors and mentees take part in the assessment at the end of the program",
            ]
        ),
        "mentor_expectations": MENTOR_EXPECTS,
        "mentee_expectations": MENTEE_EXPECTS,
        "time_zone": "America/Chicago",
        "mentor_membership": MembershipRule.REQUIRED,
        "mentee_membership": MembershipRule.REQUIRED,
        "areas": [
            "Career development",
            "Leadership and management",
            "Cataloging and metadata",
            "Acquisitions",
            "Electronic resources",
            "Collection management",
            "Preservation",
            "Public librarianship",
        ],
    },
    {
        "slug": "alsc",
        "name": "ALSC Mentoring Program",
        "short_name": "ALSC",
        "organization": "Association for Library Service to Children (ALA)",
        "committee_name": "ALSC Membership Committee and Managing Children's Services Committee",
        "contact_email": "alsc-mentoring@example.org",
        "description": (
            "A one-year program that pairs people with an interest in library service to "
            "children. Pairs set one to three SMART goals and work toward them together."
        ),
        "objectives": "\n".join(
            [
                "Build the skills and confidence of early-career children's librarians and those "
                "new to the profession",
                "Encourage personal and professional connections",
                "Give members the chance to learn skills from their peers",
                "Re-energize members in their work",
                "Build interest in, and familiarity with, ALSC committee service",
                "Build on practices that support equity, diversity and inclusion",
                "Foster a new cohort of leaders",
            ]
        ),
        "guidelines": "\n".join(
            [
                "Mentors must be ALSC members",
                "Mentees need not be members; they are 18 or older with a connection to library "
                "service to children",
                "Separate applications for mentors and mentees",
                "Each pair sends its goal sheet of 1 to 3 SMART goals within 30 days of the match",
                "A virtual networking session is held in January",
            ]
        ),
        "mentor_expectations": (
            "A chance to share what you know about serving children and families, to help a "
            "colleague set and reach SMART goals, and to meet others at the networking session."
        ),
        "mentee_expectations": (
            "A mentor who helps you build skills and confidence in children's services, set one to "
            "three SMART goals, and find your way into ALSC committee service."
        ),
        "time_zone": "America/Chicago",
        "mentor_membership": MembershipRule.EXCEPTION_ROUTE,
        "mentee_membership": MembershipRule.NOT_REQUIRED,
        "membership_exception": (
            "If you are not an ALSC member and identify as Black, Indigenous, or a Person of "
            "Color, you may apply for funded membership with your application; staff review the "
            "request instead of turning the application away."
        ),
        "goal_sheet_due_days": 30,
        "mentees_confirm_children_service": True,
        "allows_both_roles": False,  # "separate mentor and mentee applications"
        "areas": [
            "Early literacy and storytime",
            "Children's collections and book evaluation",
            "Programming and outreach",
            "Managing children's services",
            "Equity, diversity, and inclusion",
            "Committee service and leadership",
            "Career development",
        ],
    },
]

D = dt.date
HISTORICAL_COHORTS = {
    "core": [
        {
            "slug": "2024",
            "name": "2024 cohort",
            "applications_open": D(2023, 8, 30),
            "applications_close": D(2023, 9, 18),
            "pairings_notified": D(2023, 11, 15),
            "orientation_date": D(2023, 11, 28),
            "orientation_details": "Virtual mentor/mentee orientation; attendance is required.",
            "mentoring_starts": D(2023, 12, 1),
            "mentoring_ends": D(2024, 6, 30),
            "assessment_closes": D(2024, 7, 31),
        },
    ],
    "alcts": [
        {
            "slug": "2017",
            "name": "2017 cohort",
            "applications_open": D(2017, 1, 16),
            "applications_close": D(2017, 3, 17),
            "pairings_notified": D(2017, 5, 12),
            "orientation_date": D(2017, 5, 22),
            "orientation_end_date": D(2017, 5, 26),
            "orientation_details": "Training and orientation to the program.",
            "mentoring_starts": D(2017, 6, 1),
            "mentoring_ends": D(2018, 4, 30),
            "assessment_closes": D(2018, 5, 31),
            "notes": "41 mentor/mentee pairs across the U.S. and the territory of Guam.",
        },
        {
            "slug": "2018-19",
            "name": "2018–19 cohort",
            "applications_open": D(2018, 1, 29),
            "applications_close": D(2018, 3, 2),
            "pairings_notified": D(2018, 5, 14),
            "orientation_date": None,
            "orientation_required": False,
            "mentoring_starts": D(2018, 6, 1),
            "mentoring_ends": D(2019, 4, 30),
            "assessment_closes": D(2019, 5, 31),
        },
    ],
    "alsc": [
        {
            "slug": "2021-22",
            "name": "2021–22 cohort",
            "applications_open": D(2021, 9, 1),
            "applications_close": D(2021, 9, 30),
            "pairings_notified": D(2021, 11, 30),
            "orientation_date": None,
            "orientation_required": False,
            "mentoring_starts": D(2021, 12, 1),
            "mentoring_ends": D(2022, 6, 30),
            "assessment_closes": D(2022, 7, 31),
            "milestones": [
                {
                    "title": "Matches introduce themselves and set 1 to 3 SMART goals",
                    "kind": Milestone.Kind.GOAL_SHEET,
                    "date": D(2021, 11, 30),
                    "end_date": D(2021, 12, 31),
                },
                {
                    "title": "Virtual networking session",
                    "kind": Milestone.Kind.NETWORKING,
                    "date": D(2022, 1, 20),
                    "description": "Hosted by members of the Mentoring Working Group.",
                },
            ],
        },
    ],
}


# The demo's live cohorts keep each program's own calendar, as its page tells it, moved by whole
# months so that today falls where the tour needs it: one call open (ALSC's, with its
# eligibility routes), one cohort in matching (ALCTS, while its previous cohort still mentors, as
# the 2018-19 call ran during the 2017 cohort), one cohort under way (Core), and a finished one
# (ALSC's previous year, with its survey results). Each step is (months after the month the call
# opens, day of the month; "last" for the month's last day).
LAST = "last"
CALENDARS = {
    # Core: call late August to September 18, pairings early November, orientation late
    # November, formal mentoring December 1 to June 30, assessment in July.
    "core": {
        "applications_open": (0, 30),
        "applications_close": (1, 18),
        "pairings_notified": (3, 8),
        "orientation_date": (3, (calendar.TUESDAY, -1)),  # the last Tuesday, as in 2023
        "mentoring_starts": (4, 1),
        "mentoring_ends": (10, LAST),
        "assessment_closes": (11, LAST),
    },
    # ALCTS: call January 16 to March 17, pairings May 12, training May 22-26, formal mentoring
    # June 1 to April 30, assessment in May.
    "alcts": {
        "applications_open": (0, 16),
        "applications_close": (2, 17),
        "pairings_notified": (4, 12),
        "orientation_date": (4, (calendar.MONDAY, 4)),  # Monday to Friday, as in 2017
        "mentoring_starts": (5, 1),
        "mentoring_ends": (15, LAST),
        "assessment_closes": (16, LAST),
    },
    # ALSC: call in September, notifications in November, introductions and 1 to 3 SMART goals
    # in November and December, formal mentoring December 1 to June 30, the virtual networking
    # session in January, assessment in July.
    "alsc": {
        "applications_open": (0, 1),
        "applications_close": (0, LAST),
        "pairings_notified": (2, LAST),
        "mentoring_starts": (3, 1),
        "mentoring_ends": (9, LAST),
        "assessment_closes": (10, LAST),
    },
}
# Where today falls: the number of months between the month a live cohort's call opened and
# this month, and the note that marks the cohort (DEMO_NOTE: the program's current one).
DEMO_EARLIER_NOTE = (
    "Demo cohort (the year before), placed relative to the day the demo data was loaded."
)
LIVE = {
    "core": [(6, DEMO_NOTE)],  # under way: formal mentoring's third month
    "alcts": [(3, DEMO_NOTE), (15, DEMO_EARLIER_NOTE)],  # in matching; the previous one mentors
    "alsc": [(0, DEMO_NOTE), (12, DEMO_EARLIER_NOTE)],  # call open; last year's has finished
}
ORIENTATIONS = {
    "core": {
        "orientation_time": dt.time(13, 0),
        "orientation_link": "https://meet.example.org/core-orientation",
        "orientation_details": "Virtual mentor/mentee orientation; attendance is required.",
    },
    "alcts": {
        "orientation_time": dt.time(12, 0),
        "orientation_link": "https://meet.example.org/alcts-orientation",
        "orientation_details": "Training and orientation to the program.",
    },
    "alsc": {"orientation_required": False},
}
MEMBERSHIP_URL = "https://www.ala.org/membership/joinrenew"


def month_day(first: dt.date, months: int, day) -> dt.date:
    """The `day` of the month `months` after the month starting `first`: a number, LAST, or
    (weekday, n) for the n-th such weekday of the month (n = -1: the last one)."""
    year, month = divmod(first.month - 1 + months, 12)
    year, month = first.year + year, month + 1
    last = calendar.monthrange(year, month)[1]
    if isinstance(day, tuple):
        weekday, n = day
        days = [d for d in range(1, last + 1) if dt.date(year, month, d).weekday() == weekday]
        return dt.date(year, month, days[n if n < 0 else n - 1])
    return dt.date(year, month, last if day == LAST else min(day, last))


def cohort_name(starts: dt.date, ends: dt.date) -> str:
    if starts.year == ends.year:
        return f"{starts.year} cohort"
    return f"{starts.year}–{ends.year % 100:02d} cohort"


def live_cohort(slug: str, call_month: dt.date) -> dict:
    """One cohort of the program, its call opening in `call_month`, on the program's calendar."""
    data = {
        field: month_day(call_month, months, day)
        for field, (months, day) in CALENDARS[slug].items()
    }
    # A deadline or a notification that falls on a weekend moves to the Friday before (not
    # ALSC's call, which runs to the month's end so that it is open on any day of this month).
    for field in (
        ("pairings_notified",) if slug == "alsc" else ("applications_close", "pairings_notified")
    ):
        day = data[field]
        data[field] = day - dt.timedelta(days=max(0, day.weekday() - calendar.FRIDAY))
    data.update(ORIENTATIONS[slug])
    if slug == "alcts":
        data["orientation_end_date"] = data["orientation_date"] + dt.timedelta(days=4)
    if slug == "core":
        data["name"] = f"{data['mentoring_ends'].year} cohort"  # "2024 cohort": December to June
    else:
        data["name"] = cohort_name(data["mentoring_starts"], data["mentoring_ends"])
    if slug == "alsc":
        data["milestones"] = [
            {
                "title": "Matches introduce themselves and set 1 to 3 SMART goals",
                "kind": Milestone.Kind.GOAL_SHEET,
                "date": data["pairings_notified"],
                "end_date": data["pairings_notified"] + dt.timedelta(days=30),
            },
            {
                "title": "Virtual networking session",
                "kind": Milestone.Kind.NETWORKING,
                "date": month_day(call_month, 4, (calendar.THURSDAY, 3)),  # as on 2022-01-20
                "time": dt.time(14, 0),
                "link": "https://meet.example.org/alsc-networking",
                "description": "Hosted by members of the Mentoring Working Group.",
            },
        ]
    return data


def current_cohorts(today: dt.date) -> dict[str, list[tuple[str, dict]]]:
    """The live cohorts of each program, as (note, field values), placed around `today`."""
    this_month = today.replace(day=1)
    return {
        slug: [(note, live_cohort(slug, month_day(this_month, -back, 1))) for back, note in live]
        for slug, live in LIVE.items()
    }


COMMITTEE_ACCOUNTS = {
    "core": [
        ("core-chair@example.org", "Robin Castellano", "chair"),
        ("core-member@example.org", "Sam Whitfield", "member"),
    ],
    "alcts": [
        ("alcts-chair@example.org", "Morgan Adeyemi", "chair"),
        ("alcts-member@example.org", "Casey Lindqvist", "member"),
    ],
    "alsc": [
        ("alsc-chair@example.org", "Jamie Okonkwo", "chair"),
        ("alsc-member@example.org", "Taylor Brennan", "member"),
    ],
}
STAFF_ACCOUNT = ("staff@example.org", "Pat Staffer")
SUPERUSER_ACCOUNT = ("admin@example.org", "Site Administrator")


def _user(email: str, full_name: str, **flags):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": full_name, **flags}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _cohort(program: Program, data: dict, *, slug: str | None = None) -> Cohort:
    data = dict(data)
    milestones = data.pop("milestones", [])
    slug = slug or data.pop("slug", None) or slugify(data["name"])
    data.pop("slug", None)
    cohort = Cohort.objects.filter(program=program, slug=slug).first()
    if cohort is None:
        cohort = cohort_create(program=program, slug=slug, **data)
        for milestone in milestones:
            Milestone.objects.create(cohort=cohort, **milestone)
    return cohort


@transaction.atomic
def seed(*, today: dt.date | None = None) -> list[str]:
    """Create what is missing; return the lines to print (the demo logins)."""
    today = today or timezone.localdate()
    live = current_cohorts(today)
    for data in PROGRAMS:
        data = dict(data)
        areas = data.pop("areas")
        slug = data.pop("slug")
        program, _created = Program.objects.get_or_create(slug=slug, defaults=data)
        for order, name in enumerate(areas, start=1):
            AreaOfInterest.objects.get_or_create(
                program=program, slug=slugify(name), defaults={"name": name, "order": order}
            )
        for cohort in HISTORICAL_COHORTS[slug]:
            _cohort(program, cohort)
        if not program.membership_url:
            Program.objects.filter(pk=program.pk).update(membership_url=MEMBERSHIP_URL)
        for note, data in live[slug]:
            if not program.cohorts.filter(notes=note).exists():
                current = dict(data, notes=note)
                _cohort(program, current, slug=slugify(current["name"]))
        for email, full_name, role in COMMITTEE_ACCOUNTS[slug]:
            user = _user(email, full_name)
            CommitteeMembership.objects.get_or_create(
                user=user, program=program, defaults={"role": role}
            )
    _user(STAFF_ACCOUNT[0], STAFF_ACCOUNT[1], is_staff=True, is_association_staff=True)
    _user(SUPERUSER_ACCOUNT[0], SUPERUSER_ACCOUNT[1], is_staff=True, is_superuser=True)

    lines = [f"Demo logins (password for all: {DEMO_PASSWORD}):"]
    lines.append(f"  superuser        {SUPERUSER_ACCOUNT[0]}")
    lines.append(f"  association staff {STAFF_ACCOUNT[0]}")
    for slug, accounts in COMMITTEE_ACCOUNTS.items():
        for email, _name, role in accounts:
            lines.append(f"  {slug} {role:<12} {email}")
    return lines
