"""Reads: the invitation behind a link, and a cohort's survey results."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from applications.models import Application
from cohorts.models import Cohort
from matching.models import Pairing

from .models import TEXT_KINDS, Answer, Audience, Invitation, Question, QuestionKind, Survey

ROLES = (Audience.MENTEE, Audience.MENTOR)


def invitation_for_token(*, token: str) -> Invitation:
    """The invitation a survey link stands for; 404 for any other string."""
    return get_object_or_404(
        Invitation.objects.select_related("survey__cohort__program", "application", "user"),
        token=token,
    )


def open_invitations_for_user(*, user, now=None) -> list[Invitation]:
    """The person's invitations to surveys open now, for a participant's own pages."""
    now = now or timezone.now()
    own_applications = Application.objects.filter(applicant=user).values("pk")
    invitations = Invitation.objects.filter(
        Q(user=user) | Q(application__in=own_applications), sent_at__isnull=False
    ).select_related("survey__cohort__program")
    return [i for i in invitations if i.survey.is_open(now)]


def participants_for(survey: Survey) -> QuerySet[Application]:
    """Applications of the cohort with an announced, active or completed pairing on the survey's
    side: mentors for the mentor survey, mentees for the mentee one."""
    side = "pairings_as_mentor" if survey.audience == Audience.MENTOR else "pairings_as_mentee"
    return (
        Application.objects.filter(
            cohort_id=survey.cohort_id, **{f"{side}__status__in": Pairing.ANNOUNCED_STATUSES}
        )
        .select_related("applicant")
        .distinct()
        .order_by("pk")
    )


@dataclass
class RoleRate:
    audience: str
    label: str
    survey: Survey
    invited: int
    responded: int

    @property
    def rate(self) -> int | None:
        return round(100 * self.responded / self.invited) if self.invited else None


@dataclass
class Option:
    label: str
    count: int
    percent: int


@dataclass
class Distribution:
    """One role's answers to one question."""

    question: Question
    answered: int = 0
    options: list[Option] = field(default_factory=list)
    mean: float | None = None
    texts: list[tuple[str | None, str]] = field(default_factory=list)


@dataclass
class QuestionResult:
    code: str
    text: str
    kind: str
    by_role: dict[str, Distribution]
    mentor_text: str = ""

    @property
    def is_text(self) -> bool:
        return self.kind in TEXT_KINDS

    @property
    def shared(self) -> bool:
        return len(self.by_role) > 1

    def columns(self) -> list[tuple[str, Distribution | None]]:
        """One column per role asked: mentees then mentors."""
        return [(str(Audience(a).label), self.by_role[a]) for a in ROLES if a in self.by_role]

    def option_rows(self) -> list[tuple[str, list[Option | None]]]:
        """The options down the side, one cell per role asked (None where a role's wording
        offered no such option)."""
        labels: list[str] = []
        for dist in self.by_role.values():
            for option in dist.options:
                if option.label not in labels:
                    labels.append(option.label)
        rows = []
        for label in labels:
            cells = [
                next((o for o in dist.options if o.label == label), None)
                for _role, dist in self.columns()
            ]
            rows.append((label, cells))
        return rows


@dataclass
class CohortResults:
    cohort: Cohort
    rates: list[RoleRate]
    questions: list[QuestionResult]

    @property
    def any_anonymous(self) -> bool:
        return any(rate.survey.anonymous for rate in self.rates)

    def sections(self) -> list[tuple[str, list[QuestionResult]]]:
        """Questions both sides answered first (side by side), then each side's own."""
        groups = [
            ("Asked of mentors and mentees", [q for q in self.questions if q.shared]),
            (
                "Asked of mentees only",
                [q for q in self.questions if list(q.by_role) == [Audience.MENTEE]],
            ),
            (
                "Asked of mentors only",
                [q for q in self.questions if list(q.by_role) == [Audience.MENTOR]],
            ),
        ]
        return [(title, questions) for title, questions in groups if questions]


def _distribution(question: Question, answers: list[tuple[object, str | None]]) -> Distribution:
    dist = Distribution(question=question, answered=len(answers))
    if question.kind in TEXT_KINDS:
        dist.texts = [(name, value) for value, name in answers]
        return dist
    counts: Counter = Counter()
    for value, _name in answers:
        for item in value if isinstance(value, list) else [value]:
            counts[str(item)] += 1
    for value, label in question.options():
        count = counts.get(str(value), 0)
        percent = round(100 * count / dist.answered) if dist.answered else 0
        dist.options.append(Option(label=label, count=count, percent=percent))
    numbers = [v for v, _n in answers if isinstance(v, int)]
    if question.kind == QuestionKind.LIKERT and numbers:
        dist.mean = round(sum(numbers) / len(numbers), 2)
    return dist


def cohort_results(*, cohort: Cohort) -> CohortResults:
    """Response rate by role and every question's answers, mentor and mentee side by side.

    Names go with free-text answers only for surveys that are not anonymous; the answers of an
    anonymous survey are sorted by their text so not even their order hints at who wrote them.
    A fixed number of queries, however many responses.
    """
    surveys = list(
        Survey.objects.filter(cohort=cohort)
        .annotate(
            invited=Count(
                "invitations", filter=Q(invitations__sent_at__isnull=False), distinct=True
            ),
            responded=Count("responses", distinct=True),
        )
        .order_by("audience")
    )
    by_audience = {s.audience: s for s in surveys}
    rates = [
        RoleRate(
            audience=a,
            label=str(Audience(a).label),
            survey=by_audience[a],
            invited=by_audience[a].invited,
            responded=by_audience[a].responded,
        )
        for a in ROLES
        if a in by_audience
    ]
    questions = list(
        Question.objects.filter(survey__in=surveys).select_related("survey").order_by("order", "pk")
    )
    named = {s.pk for s in surveys if not s.anonymous}
    answers_of: dict[int, list[tuple[object, str | None]]] = defaultdict(list)
    rows = Answer.objects.filter(response__survey__in=surveys).values_list(
        "question_id",
        "value",
        "response__survey_id",
        "response__invitation__application__full_name",
        "response__invitation__user__full_name",
    )
    for question_id, value, survey_id, app_name, user_name in rows.order_by("response_id"):
        name = (app_name or user_name or "") if survey_id in named else None
        answers_of[question_id].append((value, name))

    results: dict[str, QuestionResult] = {}
    for question in questions:
        result = results.setdefault(
            question.code,
            QuestionResult(code=question.code, text=question.text, kind=question.kind, by_role={}),
        )
        if question.survey.audience == Audience.MENTEE:
            result.text = question.text  # the mentee wording leads where both are asked
        else:
            result.mentor_text = question.text
        answers = answers_of[question.pk]
        if question.survey.anonymous:
            answers.sort(key=lambda pair: str(pair[0]))
        result.by_role[question.survey.audience] = _distribution(question, answers)
    return CohortResults(cohort=cohort, rates=rates, questions=list(results.values()))


def response_rows(*, cohort: Cohort) -> tuple[list[str], list[list]]:
    """The responses of a cohort as a table: one row per response, one column per question code.

    Anonymous surveys give no name, email or time (times could be matched to invitations).
    """
    surveys = list(Survey.objects.filter(cohort=cohort).order_by("audience"))
    questions = list(
        Question.objects.filter(survey__in=surveys).select_related("survey").order_by("order", "pk")
    )
    codes: list[str] = []
    text_of: dict[str, str] = {}
    for question in questions:
        if question.code not in codes:
            codes.append(question.code)
        if question.code not in text_of or question.survey.audience == Audience.MENTEE:
            text_of[question.code] = question.text
    header = ["role", "response", "anonymous", "name", "email", "first submitted", "last changed"]
    header += [f"{text_of[code]} [{code}]" for code in codes]
    question_by_id = {q.pk: q for q in questions}

    answers = defaultdict(dict)
    for answer in Answer.objects.filter(response__survey__in=surveys).only(
        "response_id", "question_id", "value"
    ):
        question = question_by_id[answer.question_id]
        answers[answer.response_id][question.code] = question.display(answer.value)

    rows = []
    for survey in surveys:
        responses = survey.responses.select_related(
            "invitation__application", "invitation__user"
        ).order_by("pk")
        for number, response in enumerate(responses, start=1):
            identity = ["", "", "", ""]
            if not survey.anonymous:
                invitation = response.invitation
                identity = [
                    invitation.full_name,
                    invitation.email,
                    response.submitted_at.isoformat(timespec="minutes"),
                    response.updated_at.isoformat(timespec="minutes"),
                ]
            row = [
                str(Audience(survey.audience).label),
                number,
                "yes" if survey.anonymous else "no",
                *identity,
            ]
            row += [answers[response.pk].get(code, "") for code in codes]
            rows.append(row)
    return header, rows
