"""Figures and the export of the end-of-program surveys (the assessment app).

Response rates count invitations sent and responses given, as the assessment results do.
Headline results are the scale (1 to 5) and yes-or-no questions, mentors and mentees side by
side by their shared question code. An anonymous survey's export carries no name, email or
time: times could be matched to invitations.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Case, CharField, Count, F, Q, Value, When
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import gettext as _

from assessment.models import Answer, Audience, QuestionKind, Survey, answer_display
from cohorts.models import Cohort, Program

from .charts import BarChart, Series
from .datasets import CHUNK_SIZE, Dataset, labels, local_time, scope
from .figures import Figure, Section, percent

SATISFACTION = "satisfaction"
AUDIENCES = (Audience.MENTEE, Audience.MENTOR)


def _mean(distribution: dict[int, int]) -> float | None:
    total = sum(distribution.values())
    if not total:
        return None
    return round(sum(score * n for score, n in distribution.items()) / total, 1)


def _score(value) -> int | None:
    try:
        score = int(value)
    except (TypeError, ValueError):
        return None
    return score if 1 <= score <= 5 else None


@dataclass
class _Headlines:
    """The scale and yes-or-no answers of a cohort, by question code and audience."""

    scales: dict[str, dict[str, dict[int, int]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(dict))
    )
    yes_no: dict[str, dict[str, int]] = field(
        default_factory=lambda: defaultdict(lambda: {"yes": 0, "no": 0})
    )
    texts: dict[str, str] = field(default_factory=dict)  # the mentees' wording where shared


def survey_section(*, cohort: Cohort) -> tuple[Section, list[Figure]]:
    """Response rate by audience and the headline results, in two queries."""
    section = Section(
        key="surveys",
        title=_("End-of-program surveys"),
        heading=_("Question"),
        empty=_("No answers yet."),
    )
    rates = _response_rates(cohort)
    if not rates:
        section.lines.append(_("This cohort has no surveys yet."))
        return section, []
    present = [a for a in AUDIENCES if a in rates]
    invited = sum(rates[a]["invited"] for a in present)
    responded = sum(rates[a]["responded"] for a in present)
    _add_rates(section, rates, present)
    figures = [
        Figure(
            _("Survey response rate"),
            _rate_text(percent(responded, invited)),
            _("%(responded)s of %(invited)s invited")
            % {"responded": responded, "invited": invited},
        )
    ]
    headlines = _headline_answers(cohort)
    if headlines.scales:
        section.charts.append(_scales_chart(headlines, present))
    if SATISFACTION in headlines.scales:
        figures.append(_add_satisfaction(section, headlines, present))
    for code, counts in headlines.yes_no.items():
        total = counts["yes"] + counts["no"]
        section.lines.append(
            _("“%(text)s”: %(yes)s of %(total)s said yes (%(rate)s).")
            % {
                "text": headlines.texts[code],
                "yes": counts["yes"],
                "total": total,
                "rate": _rate_text(percent(counts["yes"], total)),
            }
        )
    return section, figures


def _response_rates(cohort: Cohort) -> dict[str, dict]:
    """{audience: {"invited": n, "responded": n}} of the cohort's surveys."""
    return {
        row["audience"]: row
        for row in Survey.objects.filter(cohort=cohort)
        .values("audience")
        .annotate(
            invited=Count(
                "invitations", filter=Q(invitations__sent_at__isnull=False), distinct=True
            ),
            responded=Count("responses", distinct=True),
        )
        .order_by()
    }


def _add_rates(section: Section, rates: dict[str, dict], present: list[str]) -> None:
    audience_labels = labels(Audience)
    section.lines.append(
        "; ".join(
            _("%(audience)s: %(responded)s of %(invited)s invited answered (%(rate)s)")
            % {
                "audience": audience_labels[a],
                "responded": rates[a]["responded"],
                "invited": rates[a]["invited"],
                "rate": _rate_text(percent(rates[a]["responded"], rates[a]["invited"])),
            }
            for a in present
        )
        + "."
    )
    section.charts.append(
        BarChart(
            key="survey-responses",
            title=_("Survey invitations and responses"),
            categories=[audience_labels[a] for a in present],
            series=[
                Series(_("Invited"), [rates[a]["invited"] for a in present]),
                Series(_("Answered"), [rates[a]["responded"] for a in present]),
            ],
        )
    )


def _headline_answers(cohort: Cohort) -> _Headlines:
    """Counts of each scale point and of yes and no, in one query."""
    headlines = _Headlines()
    for row in (
        Answer.objects.filter(
            response__survey__cohort=cohort,
            question__kind__in=[QuestionKind.LIKERT, QuestionKind.YES_NO],
        )
        .values(
            "question__code",
            "question__text",
            "question__kind",
            "response__survey__audience",
            "value",
        )
        .annotate(n=Count("id"))
        .order_by("question__order", "question__code")
    ):
        code, audience = row["question__code"], row["response__survey__audience"]
        if code not in headlines.texts or audience == Audience.MENTEE:
            headlines.texts[code] = row["question__text"]
        if row["question__kind"] == QuestionKind.LIKERT:
            score = _score(row["value"])
            if score is not None:
                by_score = headlines.scales[code][audience]
                by_score[score] = by_score.get(score, 0) + row["n"]
        elif row["value"] in ("yes", "no"):
            headlines.yes_no[code][row["value"]] += row["n"]
    return headlines


def _scales_chart(headlines: _Headlines, present: list[str]) -> BarChart:
    audience_labels = labels(Audience)
    codes = list(headlines.scales)
    return BarChart(
        key="survey-scales",
        title=_("Average agreement, 1 (low) to 5 (high)"),
        categories=[headlines.texts[code] for code in codes],
        series=[
            Series(
                audience_labels[a],
                [_mean(headlines.scales[code].get(a, {})) for code in codes],
            )
            for a in present
        ],
        max_value=5,
        summary=_("Mean answer of each side; – where a side was not asked."),
    )


def _add_satisfaction(section: Section, headlines: _Headlines, present: list[str]) -> Figure:
    """The overall satisfaction chart; returns its headline figure."""
    audience_labels = labels(Audience)
    by_audience = headlines.scales[SATISFACTION]
    both: dict[int, int] = defaultdict(int)
    for distribution in by_audience.values():
        for score, n in distribution.items():
            both[score] += n
    section.charts.append(
        BarChart(
            key="survey-satisfaction",
            title=_("Overall satisfaction"),
            categories=[str(score) for score in range(1, 6)],
            series=[
                Series(
                    audience_labels[a],
                    [by_audience.get(a, {}).get(score, 0) for score in range(1, 6)],
                )
                for a in present
            ],
            summary=_("How many answered each point of the scale, 1 (low) to 5 (high)."),
        )
    )
    return Figure(
        _("Satisfaction"),
        f"{_mean(both):g} / 5",
        _("mean of %(n)s answers to “%(text)s”")
        % {"n": sum(both.values()), "text": headlines.texts[SATISFACTION]},
    )


def _rate_text(rate: float | None) -> str:
    return f"{rate:g}%" if rate is not None else "–"


def program_survey_figures(*, program: Program) -> dict[int, tuple[float | None, float | None]]:
    """Per cohort: the survey response rate and the mean satisfaction (1 to 5)."""
    rates = {
        row["cohort"]: percent(row["responded"], row["invited"])
        for row in Survey.objects.filter(cohort__program=program)
        .values("cohort")
        .annotate(
            invited=Count(
                "invitations", filter=Q(invitations__sent_at__isnull=False), distinct=True
            ),
            responded=Count("responses", distinct=True),
        )
        .order_by()
    }
    satisfaction: dict[int, dict[int, int]] = defaultdict(dict)
    for row in (
        Answer.objects.filter(
            response__survey__cohort__program=program,
            question__code=SATISFACTION,
            question__kind=QuestionKind.LIKERT,
        )
        .values("response__survey__cohort", "value")
        .annotate(n=Count("id"))
        .order_by()
    ):
        score = _score(row["value"])
        if score is not None:
            by_score = satisfaction[row["response__survey__cohort"]]
            by_score[score] = by_score.get(score, 0) + row["n"]
    cohorts = set(rates) | set(satisfaction)
    return {pk: (rates.get(pk), _mean(satisfaction.get(pk, {}))) for pk in cohorts}


# --- export ------------------------------------------------------------------------------------

SURVEY_HEADERS = [
    "Cohort",
    "Survey",
    "Response",
    "Anonymous",
    "Name",
    "Email",
    "First submitted (program time)",
    "Question code",
    "Question",
    "Answer",
]


def survey_rows(*, program: Program, cohort: Cohort | None = None) -> Iterator[list]:
    """One row per answer, numbered by response within each survey. For an anonymous survey
    the query itself leaves out the name, email and time, so they never leave the database."""
    named = Q(response__survey__anonymous=False)
    empty = Value("")
    invitation = "response__invitation__"
    queryset = (
        scope(Answer.objects.all(), program, cohort, "response__survey__cohort")
        .annotate(
            respondent=Case(
                When(
                    named,
                    then=Coalesce(
                        NullIf(F(f"{invitation}application__full_name"), empty),
                        F(f"{invitation}user__full_name"),
                        empty,
                    ),
                ),
                default=empty,
                output_field=CharField(),
            ),
            respondent_email=Case(
                When(
                    named,
                    then=Coalesce(
                        NullIf(F(f"{invitation}application__email"), empty),
                        F(f"{invitation}user__email"),
                        empty,
                    ),
                ),
                default=empty,
                output_field=CharField(),
            ),
            submitted=Case(When(named, then=F("response__submitted_at")), default=None),
        )
        .order_by(
            "response__survey__cohort__applications_open",
            "response__survey__audience",
            "response_id",
            "question__order",
            "question_id",
        )
        .values_list(
            "response__survey__cohort__name",
            "response__survey_id",
            "response__survey__audience",
            "response__survey__anonymous",
            "response_id",
            "respondent",
            "respondent_email",
            "submitted",
            "question__code",
            "question__text",
            "question__kind",
            "value",
        )
    )
    audiences = labels(Audience)
    tz = program.tz
    survey_id = response_id = None
    number = 0
    for row in queryset.iterator(chunk_size=CHUNK_SIZE):
        cohort_name, survey, audience, anonymous, response, name, email, submitted = row[:8]
        code, text, kind, value = row[8:]
        if survey != survey_id:
            survey_id, number = survey, 0
        if response != response_id:
            response_id = response
            number += 1
        yield [
            cohort_name,
            audiences.get(audience, audience),
            number,
            "yes" if anonymous else "no",
            "" if anonymous else name,
            "" if anonymous else email,
            None if anonymous else local_time(submitted, tz),
            code,
            text,
            answer_display(kind, value),
        ]


SURVEY_DATASETS = [Dataset("survey-responses", "Survey responses", SURVEY_HEADERS, survey_rows)]
