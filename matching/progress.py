"""How far a match run has got, in words: its step, the time it has taken and the time left.

The run stores its progress in percent as it goes (matching.services.runs); the steps are the
bands between those marks. The time left is the run's estimate (from earlier runs of a
similar size) less the time taken, or, once the run has gone a fifth of the way, what the
pace so far says, whichever is later.
"""

import datetime as dt
import statistics
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .models import MatchRun

# (progress reached, label) in order: the run's own marks (see services.runs).
STEPS = (
    (0, gettext_lazy("Waiting for a worker")),
    (5, gettext_lazy("Loading the accepted applications")),
    (20, gettext_lazy("Scoring every mentee against every mentor")),
    (45, gettext_lazy("Finding the best assignment")),
    (80, gettext_lazy("Saving the proposals")),
)
HISTORY = 5  # earlier runs the estimate learns from


@dataclass(frozen=True)
class Progress:
    percent: int
    step: int  # 1-based
    steps: int
    label: str
    elapsed: float | None
    remaining: float | None
    finished: bool

    @property
    def step_text(self) -> str:
        return _("Step %(step)d of %(steps)d: %(label)s.") % {
            "step": self.step,
            "steps": self.steps,
            "label": self.label,
        }

    @property
    def remaining_text(self) -> str:
        if self.finished:
            return ""
        if self.remaining is None:
            return _("Estimating the time left…")
        seconds = max(round(self.remaining), 1)
        if seconds < 60:
            return ngettext("About %(n)d second left.", "About %(n)d seconds left.", seconds) % {
                "n": seconds
            }
        minutes = round(seconds / 60)
        return ngettext("About %(n)d minute left.", "About %(n)d minutes left.", minutes) % {
            "n": minutes
        }


def run_progress(run: MatchRun, now: dt.datetime | None = None) -> Progress:
    now = now or timezone.now()
    finished = run.status in (MatchRun.Status.DONE, MatchRun.Status.FAILED)
    step = 0
    if run.status != MatchRun.Status.QUEUED:
        step = max(i for i, (mark, _label) in enumerate(STEPS) if run.progress >= mark)
        step = max(step, 1)
    elapsed = (now - run.started_at).total_seconds() if run.started_at else None
    remaining = None
    if not finished:
        guesses = []
        if run.estimated_seconds is not None:
            guesses.append(run.estimated_seconds - (elapsed or 0.0))
        if elapsed is not None and run.progress >= 20:
            guesses.append(elapsed * (100 - run.progress) / run.progress)
        if guesses:
            remaining = max(max(guesses), 1.0)
    return Progress(
        percent=run.progress,
        step=step + 1,
        steps=len(STEPS),
        label=str(STEPS[step][1]),
        elapsed=elapsed,
        remaining=remaining,
        finished=finished,
    )


def seconds_per_mentee(*, cohort_program_id: int | None = None) -> float | None:
    """The median time per mentee of the latest finished runs (the program's first, then any)."""
    done = MatchRun.objects.filter(
        status=MatchRun.Status.DONE, duration_seconds__isnull=False, matched_count__isnull=False
    )
    for runs in (done.filter(cohort__program_id=cohort_program_id), done):
        rates = [
            run.duration_seconds / max(run.matched_count + (run.unmatched_count or 0), 1)
            for run in runs.order_by("-finished_at")[:HISTORY]
        ]
        if rates:
            return statistics.median(rates)
    return None


def estimate_seconds(*, program_id: int, mentees: int) -> float | None:
    rate = seconds_per_mentee(cohort_program_id=program_id)
    return None if rate is None else rate * max(mentees, 1)
