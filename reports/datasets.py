"""What each export holds: column headings and a generator of rows per dataset.

Rows are read with `.iterator(chunk_size=...)` so an export never holds a whole table. Values
are plain Python (text, numbers, naive program-time datetimes, dates); the writers in
reports/exports.py neutralize text that looks like a formula. Opt-in demographics are never
exported, nor anything the matching engine derived from them.
"""

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice

from django.db import connection
from django.db.models import BooleanField, OuterRef, QuerySet, StringAgg, Subquery, Value

from applications.choices import (
    STATE_NAMES,
    LibraryType,
    LibraryTypePreference,
    MeetingMode,
    MembershipStatus,
    Role,
)
from applications.fields import SECTIONS
from applications.models import Application, ApplicationAnswer, CohortQuestion
from applications.questions.kinds import QuestionKind
from applications.questions.selectors import SECTION_ORDER
from cohorts.models import Cohort, Program
from matching.models import Pairing

CHUNK_SIZE = 2000


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str
    headers: list[str]
    rows: Callable[..., Iterator[list]]
    # The headings of a program's or a cohort's export when they depend on it (the program's
    # own questions); None when `headers` are the same for every program.
    headers_of: Callable[..., list[str]] | None = None

    def headers_for(self, *, program: Program, cohort: Cohort | None = None) -> list[str]:
        if self.headers_of is None:
            return self.headers
        return self.headers_of(program=program, cohort=cohort)

    def filename(self, program: Program, cohort: Cohort | None, extension: str) -> str:
        scope = f"{program.slug}-{cohort.slug}" if cohort else program.slug
        return f"{scope}-{self.slug}.{extension}"


def local_time(value: dt.datetime | None, tz) -> dt.datetime | None:
    """An aware instant as a naive program-time datetime (spreadsheets know no time zones)."""
    if value is None:
        return None
    return value.astimezone(tz).replace(tzinfo=None, microsecond=0)


def labels(choices) -> dict[str, str]:
    """Choice labels translated once, not once per row."""
    return {value: str(label) for value, label in choices.choices}


def yes_no(value: bool) -> str:
    return "yes" if value else "no"


def scope(
    queryset: QuerySet, program: Program, cohort: Cohort | None, cohort_path: str = "cohort"
) -> QuerySet:
    """Rows of `program`, or of one of its cohorts; `cohort_path` leads from a row to its cohort."""
    queryset = queryset.filter(**{f"{cohort_path}__program": program})
    if cohort is not None:
        queryset = queryset.filter(**{cohort_path: cohort})
    return queryset


# --- applications ------------------------------------------------------------------------------

# The export's heading for each answer. The columns follow the form's sections and order
# (applications.fields), leaving out the confidential ones.
ANSWER_HEADERS = {
    "role": "Applying as",
    "full_name": "Full name",
    "pronouns": "Pronouns",
    "email": "Email",
    "job_title": "Job title",
    "employer": "Employer",
    "library_type": "Type of library or organization",
    "state": "State or territory",
    "country": "Country",
    "time_zone": "Time zone",
    "years_experience": "Years of experience",
    "membership_status": "Membership",
    "membership_number": "Membership number",
    "membership_attested": "Membership confirmed by applicant",
    "mentee_goals": "Hopes to gain",
    "is_adult": "18 or older",
    "children_service_connection": "Connection to library service to children",
    "mentor_offer": "Can offer",
    "capacity": "Mentor capacity",
    "areas": "Areas of interest",
    "previous_mentoring": "Earlier mentoring experience",
    "meeting_modes": "Ways to meet",
    "hours_per_month": "Hours a month",
    "library_type_preference": "Library type of match",
    "prefers_same_region": "Prefers same region",
    "commits_orientation": "Will attend orientation",
    "commits_assessment": "Will take part in assessment",
}
EXPORTED_ANSWERS = [name for s in SECTIONS if not s.confidential for name in s.fields]
APPLICATION_HEADERS = [
    "Application ID",
    "Cohort",
    "Status",
    *(ANSWER_HEADERS[name] for name in EXPORTED_ANSWERS),
    "Priority",
    "Submitted (program time)",
    "Withdrawn (program time)",
]


def _answer_formatters() -> list[Callable]:
    """How each exported answer is written, in column order: a choice as its label, a checkbox
    as yes or no, a list joined."""

    def label_of(mapping):
        return lambda value: mapping.get(value, value)

    modes = labels(MeetingMode)
    special = {
        "role": label_of(labels(Role)),
        "library_type": label_of(labels(LibraryType)),
        "state": label_of(STATE_NAMES),
        "membership_status": label_of(labels(MembershipStatus)),
        "library_type_preference": label_of(labels(LibraryTypePreference)),
        "meeting_modes": lambda value: "; ".join(modes.get(m, m) for m in value or []),
        "areas": lambda value: value or "",
    }
    formatters = []
    for name in EXPORTED_ANSWERS:
        if name in special:
            formatters.append(special[name])
        elif isinstance(Application._meta.get_field(name), BooleanField):
            formatters.append(yes_no)
        else:
            formatters.append(lambda value: value)
    return formatters


def _areas_subquery() -> Subquery:
    """The application's areas of interest as one text, "; " between them."""
    areas = (
        Application.areas.through.objects.filter(application_id=OuterRef("pk"))
        .values("application_id")
        .annotate(
            names=StringAgg(
                "areaofinterest__name",
                delimiter=Value("; "),
                # The program's order where the database can order inside an aggregate
                # (PostgreSQL); the embedded SQLite default lists them as stored.
                order_by=(
                    ("areaofinterest__order", "areaofinterest__name")
                    if connection.features.supports_aggregate_order_by_clause
                    else None
                ),
            )
        )
        .values("names")
    )
    return Subquery(areas)


@dataclass(frozen=True)
class QuestionColumn:
    """One export column for one of the program's own questions: the same question in every
    cohort that asked it (its copies share their program question)."""

    header: str
    kinds: dict[int, str]  # cohort question id -> its kind


def question_columns(*, program: Program, cohort: Cohort | None = None) -> list[QuestionColumn]:
    """The columns of the program's own questions, in the form's order (archived ones too:
    their answers stay readable); one query."""
    questions = (
        scope(CohortQuestion.objects.all(), program, cohort)
        .select_related("cohort")
        .order_by("cohort__applications_open", "pk")
    )
    by_lineage: dict[str, list[CohortQuestion]] = {}
    for question in questions:
        by_lineage.setdefault(question.lineage, []).append(question)
    groups = sorted(
        by_lineage.values(),
        key=lambda group: (SECTION_ORDER.get(group[-1].section, 0), group[-1].order, group[0].pk),
    )
    columns, seen = [], set()
    for group in groups:
        header = group[-1].label  # the latest cohort's wording
        if header in seen:
            header = f"{header} ({group[-1].cohort.name})"
        seen.add(header)
        columns.append(QuestionColumn(header, {q.pk: q.kind for q in group}))
    return columns


def application_headers(*, program: Program, cohort: Cohort | None = None) -> list[str]:
    columns = question_columns(program=program, cohort=cohort)
    return [*APPLICATION_HEADERS[:-3], *(c.header for c in columns), *APPLICATION_HEADERS[-3:]]


def _exported_answer(kind: str, value):
    """An answer as a cell: numbers as numbers, yes or no, choices joined like the others."""
    if value is None:
        return None
    if kind == QuestionKind.MULTIPLE_CHOICE:
        return "; ".join(value)
    if kind == QuestionKind.YES_NO:
        return yes_no(value)
    return value


def application_rows(*, program: Program, cohort: Cohort | None = None) -> Iterator[list]:
    """Every submitted application (drafts are not shared), never the opt-in demographics; the
    answers to the program's own questions in their columns (one query per chunk of rows)."""
    answer_columns = ["area_names" if name == "areas" else name for name in EXPORTED_ANSWERS]
    queryset = (
        scope(Application.objects.all(), program, cohort)
        .exclude(status=Application.Status.DRAFT)
        .annotate(area_names=_areas_subquery())
        .order_by("cohort__applications_open", "pk")
        .values_list(
            "pk",
            "cohort__name",
            "status",
            *answer_columns,
            "priority",
            "submitted_at",
            "withdrawn_at",
        )
    )
    statuses = labels(Application.Status)
    formatters = _answer_formatters()
    tz = program.tz
    columns = question_columns(program=program, cohort=cohort)
    position = {qid: index for index, c in enumerate(columns) for qid in c.kinds}
    kinds = {qid: kind for c in columns for qid, kind in c.kinds.items()}
    records = queryset.iterator(chunk_size=CHUNK_SIZE)
    while chunk := list(islice(records, CHUNK_SIZE)):
        answers = _answers_of([record[0] for record in chunk]) if columns else {}
        for pk, cohort_name, status, *answers_row, priority, submitted, withdrawn in chunk:
            custom: list = [None] * len(columns)
            for question_id, value in answers.get(pk, {}).items():
                if question_id in position:
                    custom[position[question_id]] = _exported_answer(kinds[question_id], value)
            yield [
                pk,
                cohort_name,
                statuses.get(status, status),
                *(write(value) for write, value in zip(formatters, answers_row, strict=True)),
                *custom,
                yes_no(priority),
                local_time(submitted, tz),
                local_time(withdrawn, tz),
            ]


def _answers_of(application_ids: list[int]) -> dict[int, dict[int, object]]:
    out: dict[int, dict[int, object]] = {}
    rows = ApplicationAnswer.objects.filter(application_id__in=application_ids).values_list(
        "application_id", "question_id", "value"
    )
    for application_id, question_id, value in rows:
        out.setdefault(application_id, {})[question_id] = value
    return out


# --- pairings ----------------------------------------------------------------------------------

PAIRING_HEADERS = [
    "Pairing ID",
    "Cohort",
    "Status",
    "Source",
    "Locked",
    "Mentor",
    "Mentor email",
    "Mentee",
    "Mentee email",
    "Score",
    "Score breakdown",
    "Reasons",
    "Approved (program time)",
    "Announced (program time)",
    "Dissolved (program time)",
    "Why it was dissolved",
]


# Points and reasons the engine derives from the opt-in demographics (matching.scoring): they
# would tell, per person, that someone identifies a certain way, so no export carries them.
DEMOGRAPHIC_POINTS = "demographics"


def _is_demographic_reason(reason: str) -> bool:
    return reason.startswith("matches ") and "preference" in reason


def _breakdown(value) -> str:
    if not isinstance(value, dict):
        return ""
    parts = []
    for key, points in value.items():
        if key == DEMOGRAPHIC_POINTS:
            continue
        label = str(key).replace("_", " ")
        parts.append(f"{label}: {points:g}" if isinstance(points, int | float) else label)
    return "; ".join(parts)


def _reasons(value) -> str:
    if isinstance(value, list):
        return "; ".join(str(reason) for reason in value if not _is_demographic_reason(str(reason)))
    return str(value or "")


def pairing_rows(*, program: Program, cohort: Cohort | None = None) -> Iterator[list]:
    queryset = (
        scope(Pairing.objects.all(), program, cohort)
        .order_by("cohort__applications_open", "pk")
        .values_list(
            "pk",
            "cohort__name",
            "status",
            "source",
            "locked",
            "mentor__full_name",
            "mentor__email",
            "mentee__full_name",
            "mentee__email",
            "score",
            "breakdown",
            "reasons",
            "approved_at",
            "announced_at",
            "dissolved_at",
            "dissolution_reason",
        )
    )
    statuses = labels(Pairing.Status)
    sources = labels(Pairing.Source)
    tz = program.tz
    for row in queryset.iterator(chunk_size=CHUNK_SIZE):
        (pk, cohort_name, status, source, locked, *people, score, breakdown, reasons) = row[:12]
        approved, announced, dissolved, why = row[12:]
        yield [
            pk,
            cohort_name,
            statuses.get(status, status),
            sources.get(source, source),
            yes_no(locked),
            *people,
            round(score, 2) if score is not None else None,
            _breakdown(breakdown),
            _reasons(reasons),
            local_time(approved, tz),
            local_time(announced, tz),
            local_time(dissolved, tz),
            why,
        ]


BASE_DATASETS: list[Dataset] = [
    Dataset(
        "applications",
        "Applications",
        APPLICATION_HEADERS,
        application_rows,
        headers_of=application_headers,
    ),
    Dataset("pairings", "Pairings", PAIRING_HEADERS, pairing_rows),
]
