"""The cohort report's figures for the program's own questions: a chart and its table for each
single choice, multiple choice, yes/no and scale question the cohort asked. Two queries for
every question of the cohort together."""

from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext as _

from applications.models import ApplicationAnswer, CohortQuestion
from applications.questions.kinds import QuestionKind
from applications.questions.selectors import SECTION_ORDER
from cohorts.models import Cohort

from .charts import BarChart, Series
from .cohort_figures import MENTEE_ROLES, MENTOR_ROLES, OUT_OF_POOL

CHARTED_KINDS = (
    QuestionKind.CHOICE,
    QuestionKind.MULTIPLE_CHOICE,
    QuestionKind.YES_NO,
    QuestionKind.SCALE,
)


@dataclass
class QuestionFigure:
    question: CohortQuestion
    chart: BarChart
    answered: int  # applications in the cycle that answered it


def _categories(question: CohortQuestion) -> list[tuple[object, str]]:
    """(stored value, words) of every possible answer, in the question's order."""
    if question.kind == QuestionKind.YES_NO:
        return [(True, _("Yes")), (False, _("No"))]
    if question.kind == QuestionKind.SCALE:
        return [(n, str(n)) for n in range(1, 6)]
    return [(choice, choice) for choice in question.choice_list()]


def question_figures(*, cohort: Cohort) -> list[QuestionFigure]:
    """One chart per charted question, counting applications in the cycle (submitted, neither
    withdrawn nor ineligible) by mentors and mentees; someone applying as both counts on each
    side, and a multiple-choice answer counts once per choice."""
    questions = sorted(
        CohortQuestion.objects.filter(cohort=cohort, kind__in=CHARTED_KINDS),
        key=lambda q: (SECTION_ORDER.get(q.section, 0), q.order, q.pk),
    )
    if not questions:
        return []
    answers = (
        ApplicationAnswer.objects.filter(question__in=questions)
        .exclude(application__status__in=OUT_OF_POOL)
        .values_list("question_id", "value", "application__role")
    )
    counts: dict[tuple[int, str], Counter] = {}
    answered: Counter = Counter()
    for question_id, value, role in answers:
        answered[question_id] += 1
        values = value if isinstance(value, list) else [value]
        for side, roles in (("mentors", MENTOR_ROLES), ("mentees", MENTEE_ROLES)):
            if role in roles:
                counts.setdefault((question_id, side), Counter()).update(values)
    return [_figure(q, counts, answered[q.pk]) for q in questions]


def _figure(question: CohortQuestion, counts, answered: int) -> QuestionFigure:
    categories = _categories(question)
    sides = {"mentor": ("mentors", _("Mentors")), "mentee": ("mentees", _("Mentees"))}
    series = []
    for role in ("mentor", "mentee"):
        if role not in question.roles():
            continue
        key, label = sides[role]
        counted = counts.get((question.pk, key), Counter())
        series.append(Series(label, [counted.get(value, 0) for value, _words in categories]))
    title = question.label
    if question.archived_at:
        title = _("%(question)s (no longer asked)") % {"question": title}
    chart = BarChart(
        key=f"question-{question.pk}",
        title=title,
        categories=[words for _value, words in categories],
        series=series,
        summary=_(
            "Answers from applications in the cycle; someone applying as both counts on each side."
        )
        if len(series) > 1
        else _("Answers from applications in the cycle."),
    )
    return QuestionFigure(question=question, chart=chart, answered=answered)
