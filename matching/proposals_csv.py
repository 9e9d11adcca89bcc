"""The review's CSV of proposals: each current pair's status, score, points per criterion and
reasons, for the committee to take to a meeting."""

from django.utils.translation import gettext as _

from cohorts.models import Cohort

from .models import Pairing
from .scoring.weights import CRITERIA
from .selectors import CRITERION_LABELS

DEMOGRAPHIC_CRITERION = "demographics"


def _is_demographic_reason(reason: str) -> bool:
    # The one reason scoring.explain derives from the opt-in demographics (see its wording).
    return reason.startswith("matches ") and "preference" in reason


def csv_header(*, with_demographics: bool) -> list[str]:
    criteria = [c for c in CRITERIA if with_demographics or c != DEMOGRAPHIC_CRITERION]
    return [
        _("Status"),
        _("Locked"),
        _("Made by"),
        _("Score"),
        _("Mentee"),
        _("Mentee email"),
        _("Mentor"),
        _("Mentor email"),
        *[str(CRITERION_LABELS.get(c, c)) for c in criteria],
        _("Reasons"),
    ]


def csv_rows(*, cohort: Cohort, with_demographics: bool):
    """Every current pairing of the cohort, best score first, with each criterion's points and
    the reasons. Opt-in demographics never leave the site in a file unless the reader may see
    them (staff, or a program that lets its committee)."""
    criteria = [c for c in CRITERIA if with_demographics or c != DEMOGRAPHIC_CRITERION]
    pairings = (
        Pairing.objects.exclude(status=Pairing.Status.DISSOLVED)
        .filter(cohort=cohort)
        .select_related("mentor", "mentee")
        .order_by("-score", "mentee__full_name", "pk")
        .iterator(chunk_size=500)
    )
    for p in pairings:
        breakdown = p.breakdown or {}
        reasons = [str(r) for r in (p.reasons or [])]
        if not with_demographics:
            reasons = [r for r in reasons if not _is_demographic_reason(r)]
        yield [
            p.get_status_display(),
            _("yes") if p.locked else _("no"),
            p.get_source_display(),
            "" if p.score is None else f"{p.score:.1f}",
            p.mentee.full_name,
            p.mentee.email,
            p.mentor.full_name,
            p.mentor.email,
            *[f"{float(breakdown.get(c, 0.0)):g}" for c in criteria],
            "; ".join(reasons),
        ]
