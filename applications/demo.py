"""Demo applicants (all fictional) for the live demo cohorts (see cohorts.demo.LIVE).

ALSC's open call: a few drafts and submitted applications, among them the easy login
applicant@example.org, a non-member mentee (ALSC does not require it) and a mentor asking for
funded membership (ALSC's exception route). ALCTS in matching: 40 accepted applications, a
realistic mix for the matching engine; its previous cohort, still mentoring: 6 accepted. Core
under way: 10 accepted. ALSC's finished cohort of last year: 12 accepted mentors and mentees.
Idempotent: people and their applications are looked up by email and cohort.
"""

import random

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from cohorts.demo import DEMO_EARLIER_NOTE, DEMO_NOTE, DEMO_PASSWORD
from cohorts.models import Cohort

from .choices import (
    Demographic,
    LibraryType,
    LibraryTypePreference,
    MeetingMode,
    MembershipStatus,
    Role,
)
from .models import Application

APPLICANT_LOGIN = "applicant@example.org"

FIRST = [
    "Avery", "Blake", "Camille", "Dara", "Eli", "Farah", "Gabriel", "Hana", "Imani", "Jonah",
    "Keiko", "Luis", "Maya", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Soren", "Tala",
    "Uma", "Victor", "Wren", "Xiomara", "Yusuf", "Zoe", "Ana", "Bao", "Chloe", "Dmitri",
    "Esperanza", "Finn", "Grace", "Hiroshi", "Ingrid", "Jalen", "Kalani", "Leilani", "Malik",
    "Noor", "Olivia", "Pedro", "Rafael", "Sione", "Teresa", "Vivian", "Wesley", "Yara",
]  # fmt: skip
LAST = [
    "Abernathy", "Barros", "Chen", "Delacroix", "Eriksen", "Fontaine", "Gutierrez", "Haddad",
    "Iwasaki", "Jablonski", "Kowalczyk", "Lindgren", "Mbeki", "Nakamura", "Ortega", "Petrov",
    "Quintero", "Rasmussen", "Santos", "Tupou", "Underwood", "Varga", "Whitaker", "Yamamoto",
    "Zielinski", "Alvarado", "Borges", "Castillo", "Duarte", "Esposito",
]  # fmt: skip
EMPLOYERS = {
    LibraryType.ACADEMIC: [
        "Lakeshore State University Libraries", "Prairie College Library",
        "University of Guam RFK Memorial Library (fictional branch)", "Mesa Technical Institute",
    ],
    LibraryType.PUBLIC: [
        "Riverbend Public Library", "Harbor County Library System", "San Juan Municipal Library",
        "Pinecrest Free Library",
    ],
    LibraryType.SCHOOL: ["Maple Grove School District", "Eastside Middle School Library"],
    LibraryType.SPECIAL: ["Northfield Medical Library", "Kestrel Law Library"],
    LibraryType.GOVERNMENT: ["State Library of Example", "Territorial Archives Library"],
    LibraryType.VENDOR: ["Bibliotech Metadata Services", "Open Shelf Books, Inc."],
    LibraryType.LIS: ["Example University School of Information"],
}  # fmt: skip
JOBS = {
    Role.MENTOR: [
        "Head of Cataloging", "Director of Collections", "Acquisitions Manager",
        "Electronic Resources Librarian", "Associate Dean for Technical Services",
        "Youth Services Manager", "Branch Manager", "Metadata Strategist",
    ],
    Role.MENTEE: [
        "Cataloging Assistant", "Library Associate", "Resident Librarian",
        "Metadata Specialist", "Collections Assistant", "Children's Librarian",
        "LIS graduate student", "Serials Technician",
    ],
}  # fmt: skip
STATES = [
    "IL", "CA", "TX", "NY", "WA", "GA", "OH", "CO", "MN", "NC", "MA", "AZ", "FL", "OR", "MI",
    "GU", "PR", "VI", "HI", "AK",
]  # fmt: skip
ZONES = {
    "GU": "Pacific/Guam", "PR": "America/Puerto_Rico", "VI": "America/Puerto_Rico",
    "HI": "Pacific/Honolulu", "AK": "America/Anchorage", "CA": "America/Los_Angeles",
    "WA": "America/Los_Angeles", "OR": "America/Los_Angeles", "AZ": "America/Phoenix",
    "CO": "America/Denver", "NY": "America/New_York", "GA": "America/New_York",
    "OH": "America/New_York", "NC": "America/New_York", "MA": "America/New_York",
    "FL": "America/New_York", "MI": "America/New_York",
}  # fmt: skip
MENTEE_GOALS = [
    "I am two years into my first professional job and want help planning the next step.",
    "I would like to grow into a supervisory role and learn how to lead a small team.",
    "I want to learn more about linked data and where metadata work is heading.",
    "I am changing from public services to technical services and need a guide.",
    "I would like advice on committee service and getting involved in the association.",
]
MENTOR_OFFERS = [
    "Fifteen years in technical services, including two system migrations.",
    "I have supervised cataloging teams and love talking about career paths.",
    "Experience in collection development budgets and vendor negotiations.",
    "I mentor new children's librarians at my library and enjoy sharing storytime ideas.",
    "Leadership roles in the association and a long career in academic libraries.",
]


# Every demo login of an applicant or participant, for seed_demo's output and the README.
DEMO_PEOPLE = [
    ("ALSC's open call (submitted)", f"{APPLICANT_LOGIN}, alsc-applicant-01 ... -07"),
    ("ALCTS in matching (accepted, unpaired)", "alcts-participant-01 ... -40"),
    ("ALCTS's previous cohort (mentoring)", "alcts-pair-01 ... -06"),
    ("Core under way (paired, goals)", "core-participant-01 ... -10"),
    ("ALSC's finished cohort (surveys done)", "alsc-participant-01 ... -12"),
]


class _Accounts:
    """Demo accounts share one password hash: hashing sixty times would take a minute."""

    def __init__(self):
        self._hash = None

    def get(self, email: str, full_name: str):
        User = get_user_model()
        user = User.objects.filter(email=email).first()
        if user is None:
            self._hash = self._hash or make_password(DEMO_PASSWORD)
            user = User.objects.create(email=email, full_name=full_name, password=self._hash)
        return user


# ALSC's rules, tried in the demo: a mentee need not be a member; a mentor who is not one and
# identifies as BIPOC asks for funded membership (staff review it).
_NOT_A_MEMBER = {
    "membership_status": MembershipStatus.NOT_MEMBER,
    "membership_number": "",
    "membership_attested": False,
}
_FUNDED_MEMBERSHIP = {
    "membership_status": MembershipStatus.FUNDED_REQUEST,
    "membership_number": "",
    "membership_attested": False,
    "demographics": [Demographic.BIPOC],
}


def _people(prefix: str, count: int, rng: random.Random) -> list[tuple[str, str]]:
    names = []
    for index in range(count):
        name = f"{FIRST[(index * 7 + len(prefix)) % len(FIRST)]} {rng.choice(LAST)}"
        names.append((f"{prefix}-{index + 1:02d}@example.org", name))
    return names


def _fitting(texts: list[str], program) -> list[str]:
    """Children's services for ALSC, technical services and leadership for the others."""
    children = [t for t in texts if "children" in t.lower() or "youth" in t.lower()]
    if program.slug == "alsc":
        return children + [t for t in texts if "Branch" in t or "Library Associate" in t]
    return [t for t in texts if t not in children] or texts


def _answers(rng: random.Random, role: str, name: str, email: str, program) -> dict:
    library_type = rng.choice(list(EMPLOYERS))
    state = rng.choice(STATES)
    mentor = role in (Role.MENTOR, Role.BOTH)
    mentee = role in (Role.MENTEE, Role.BOTH)
    return {
        "role": role,
        "full_name": name,
        "email": email,
        "pronouns": rng.choice(["", "", "she/her", "he/him", "they/them"]),
        "job_title": rng.choice(
            _fitting(JOBS[Role.MENTOR if role == Role.MENTOR else Role.MENTEE], program)
        ),
        "employer": rng.choice(EMPLOYERS[library_type]),
        "library_type": library_type,
        "state": state,
        "time_zone": ZONES.get(state, "America/Chicago"),
        "years_experience": rng.randint(8, 30) if role == Role.MENTOR else rng.randint(1, 9),
        "membership_status": MembershipStatus.MEMBER,
        "membership_number": str(rng.randint(1_000_000, 99_999_999)),
        "membership_attested": True,
        "mentee_goals": rng.choice(MENTEE_GOALS) if mentee else "",
        "mentor_offer": rng.choice(_fitting(MENTOR_OFFERS, program)) if mentor else "",
        "is_adult": mentee and program.mentees_confirm_children_service,
        "children_service_connection": (
            "I run storytimes and a summer reading program at my branch."
            if mentee and program.mentees_confirm_children_service
            else ""
        ),
        "meeting_modes": rng.sample(list(MeetingMode.values), k=rng.randint(1, 3)),
        "hours_per_month": rng.choice([2, 3, 4, 4, 6]),
        "capacity": rng.choice([1, 1, 2, 2, 3]) if mentor else None,
        "library_type_preference": rng.choice(list(LibraryTypePreference.values)),
        "prefers_same_region": rng.random() < 0.3,
        "commits_orientation": True,
        "commits_assessment": True,
    }


def _apply(accounts, cohort, email, name, answers, status, areas, rng) -> bool:
    user = accounts.get(email, name)
    if Application.objects.filter(cohort=cohort, applicant=user).exists():
        return False
    # Submitted some day of the call, before today (the call may be long closed).
    opened, deadline = cohort.applications_open_at, cohort.application_deadline
    latest = min(timezone.now(), deadline)
    submitted = opened + (latest - opened) * rng.uniform(0.3, 0.95)
    application = Application.objects.create(
        cohort=cohort,
        applicant=user,
        status=status,
        submitted_at=None if status == Application.Status.DRAFT else submitted,
        **answers,
    )
    application.areas.set(rng.sample(areas, k=min(len(areas), rng.randint(1, 3))))
    return True


def _cohort(slug: str, note: str = DEMO_NOTE) -> Cohort | None:
    return Cohort.objects.filter(program__slug=slug, notes=note).select_related("program").first()


def _accepted(accounts, cohort, prefix: str, roles: list[str], rng, **overrides) -> int:
    """Accepted applications of people `<prefix>-NN@example.org` in `cohort`, one per role."""
    created = 0
    areas = list(cohort.program.areas.all())
    for (email, name), role in zip(_people(prefix, len(roles), rng), roles, strict=True):
        answers = _answers(rng, role, name, email, cohort.program)
        answers.update(overrides)
        if role == Role.MENTEE:
            answers["capacity"] = None
        created += _apply(
            accounts, cohort, email, name, answers, Application.Status.ACCEPTED, areas, rng
        )
    return created


@transaction.atomic
def seed() -> list[str]:
    created = 0
    accounts = _Accounts()
    rng = random.Random(2024)
    Status = Application.Status

    alsc_call = _cohort("alsc")
    if alsc_call is not None:
        areas = list(alsc_call.program.areas.all())
        plan = [
            (APPLICANT_LOGIN, "Jordan Alvarez", Role.MENTEE, Status.SUBMITTED, {}),
            *[
                (email, name, role, status, extra)
                for (email, name), role, status, extra in zip(
                    _people("alsc-applicant", 7, rng),
                    [Role.MENTOR, Role.MENTEE, Role.MENTOR, Role.MENTEE, Role.MENTOR, Role.MENTEE,
                     Role.MENTEE],
                    [Status.SUBMITTED, Status.SUBMITTED, Status.SUBMITTED, Status.SUBMITTED,
                     Status.DRAFT, Status.DRAFT, Status.SUBMITTED],
                    [{}, _NOT_A_MEMBER, _FUNDED_MEMBERSHIP, {}, {}, {}, {}],
                    strict=True,
                )
            ],
        ]  # fmt: skip
        for email, name, role, status, extra in plan:
            answers = _answers(rng, role, name, email, alsc_call.program)
            answers.update(extra)
            if status == Status.DRAFT:
                answers.update(mentee_goals="", mentor_offer="", commits_assessment=False)
            created += _apply(accounts, alsc_call, email, name, answers, status, areas, rng)

    alcts = _cohort("alcts")
    if alcts is not None:
        areas = list(alcts.program.areas.all())
        roles = [Role.MENTOR] * 14 + [Role.MENTEE] * 22 + [Role.BOTH] * 4
        for (email, name), role in zip(_people("alcts-participant", 40, rng), roles, strict=True):
            answers = _answers(rng, role, name, email, alcts.program)
            if rng.random() < 0.15:
                answers["demographics"] = ["bipoc"]
                answers["demographic_preference"] = ["bipoc"] if rng.random() < 0.5 else []
            created += _apply(accounts, alcts, email, name, answers, Status.ACCEPTED, areas, rng)

    if cohort := _cohort("alcts", DEMO_EARLIER_NOTE):
        created += _accepted(accounts, cohort, "alcts-pair", [Role.MENTOR, Role.MENTEE] * 3, rng)
    if cohort := _cohort("core"):
        roles = [Role.MENTOR] * 5 + [Role.MENTEE] * 5
        created += _accepted(accounts, cohort, "core-participant", roles, rng)
    if cohort := _cohort("alsc", DEMO_EARLIER_NOTE):
        roles = [Role.MENTOR] * 6 + [Role.MENTEE] * 6
        created += _accepted(
            accounts, cohort, "alsc-participant", roles, rng, capacity=1, library_type="public"
        )

    return [
        f"Demo applicants and participants: {created} application(s) created "
        f"(password {DEMO_PASSWORD} for every one):",
        *(f"  {who:<40} {logins}" for who, logins in DEMO_PEOPLE),
    ]
