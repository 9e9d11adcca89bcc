import datetime as dt
import itertools
import zoneinfo

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command

from cohorts.demo import DEMO_EARLIER_NOTE, DEMO_NOTE
from cohorts.models import Cohort, Program
from cohorts.timeline import Phase, TimelineDates

pytestmark = pytest.mark.django_db


def snapshot():
    """Every row of every model, as plain values."""
    rows = {}
    for model in apps.get_models():
        if model._meta.app_label in ("cohorts", "accounts"):
            rows[model._meta.label] = sorted(map(repr, model.objects.order_by("pk").values_list()))
    return rows


def test_seed_demo_twice_gives_the_same_rows(capsys):
    call_command("seed_demo")
    first = snapshot()
    call_command("seed_demo")
    assert snapshot() == first
    out = capsys.readouterr().out
    assert "core-chair@example.org" in out
    assert "mentoring-demo" in out


def test_seed_demo_creates_the_three_programs_with_their_real_dates():
    call_command("seed_demo")
    assert set(Program.objects.values_list("short_name", flat=True)) == {"Core", "ALCTS", "ALSC"}

    core = Cohort.objects.get(program__slug="core", slug="2024")
    assert core.applications_close == dt.date(2023, 9, 18)
    assert core.applications_close.strftime("%A") == "Monday"
    assert (core.mentoring_starts, core.mentoring_ends) == (
        dt.date(2023, 12, 1),
        dt.date(2024, 6, 30),
    )

    alcts = Cohort.objects.get(program__slug="alcts", slug="2017")
    assert (alcts.applications_open, alcts.applications_close) == (
        dt.date(2017, 1, 16),
        dt.date(2017, 3, 17),
    )
    assert alcts.pairings_notified == dt.date(2017, 5, 12)
    assert (alcts.orientation_date, alcts.orientation_end_date) == (
        dt.date(2017, 5, 22),
        dt.date(2017, 5, 26),
    )
    assert (alcts.mentoring_starts, alcts.mentoring_ends) == (
        dt.date(2017, 6, 1),
        dt.date(2018, 4, 30),
    )

    second = Cohort.objects.get(program__slug="alcts", slug="2018-19")
    assert second.applications_close == dt.date(2018, 3, 2)
    assert second.pairings_notified == dt.date(2018, 5, 14)
    assert second.mentoring_ends == dt.date(2019, 4, 30)

    alsc = Cohort.objects.get(program__slug="alsc", slug="2021-22")
    assert alsc.mentoring_ends == dt.date(2022, 6, 30)
    networking = alsc.milestones.get(kind="networking")
    assert (networking.date.year, networking.date.month) == (2022, 1)

    areas = list(Program.objects.get(slug="alcts").areas.values_list("name", flat=True))
    assert "Cataloging and metadata" in areas and "Preservation" in areas


def test_seed_demo_places_the_live_cohorts_for_the_tour():
    """One call open (ALSC's), one cohort in matching (ALCTS) while its previous cohort still
    mentors, one cohort under way (Core), and ALSC's last cohort finished."""
    call_command("seed_demo")
    phases = {
        (c.program.slug, c.notes == DEMO_NOTE): c.phase()
        for c in Cohort.objects.filter(notes__in=(DEMO_NOTE, DEMO_EARLIER_NOTE))
    }
    assert phases == {
        ("alsc", True): Phase.ACCEPTING,
        ("alsc", False): Phase.CLOSED,
        ("alcts", True): Phase.MATCHING,
        ("alcts", False): Phase.IN_PROGRESS,
        ("core", True): Phase.IN_PROGRESS,
    }
    accepting = [c for c in Cohort.objects.all() if c.phase() == Phase.ACCEPTING]
    assert [c.program.slug for c in accepting] == ["alsc"]


CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
TOUR = {
    "core": [Phase.IN_PROGRESS],
    "alcts": [Phase.MATCHING, Phase.IN_PROGRESS],
    "alsc": [Phase.ACCEPTING, Phase.CLOSED],
}


def months(earlier: dt.date, later: dt.date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def last_day(day: dt.date) -> bool:
    return (day + dt.timedelta(days=1)).day == 1


@pytest.mark.parametrize(
    "today",
    [
        dt.date(2026, 11, 26),
        dt.date(2027, 1, 30),  # a Saturday at the end of a month
        dt.date(2027, 2, 28),
        dt.date(2027, 7, 1),
        dt.date(2028, 2, 29),
        dt.date(2028, 12, 31),
    ],
)
def test_the_demos_cohorts_follow_the_seeds_order_of_steps_on_any_day(today):
    """Each live cohort keeps its program's own calendar (the seed pages), moved by whole months.

    Core: call August to September 18, pairings early November, orientation late November,
    mentoring December 1 to June 30, assessment July. ALCTS: call January 16 to March 17,
    pairings May 12, training May 22-26, mentoring June 1 to April 30, assessment May. ALSC:
    call in September, notification in November, goals within 30 days, mentoring December 1 to
    June 30, networking session in January.
    """
    from cohorts.demo import current_cohorts

    live = current_cohorts(today)
    for slug, cohorts in live.items():
        for _note, c in cohorts:
            steps = [
                c["applications_open"],
                c["applications_close"],
                c["pairings_notified"],
                c.get("orientation_date") or c["pairings_notified"],
                c["mentoring_starts"],
                c["mentoring_ends"],
                c["assessment_closes"],
            ]
            assert steps == sorted(steps), (slug, steps)
            assert c["mentoring_starts"].day == 1 and last_day(c["mentoring_ends"])
            # Notifications (and Core's and ALCTS's deadlines) fall on weekdays.
            assert c["pairings_notified"].weekday() < 5
            assert slug == "alsc" or c["applications_close"].weekday() < 5
            open_ = c["applications_open"]
            if slug == "core":
                assert months(open_, c["applications_close"]) == 1
                assert 16 <= c["applications_close"].day <= 18
                assert months(open_, c["pairings_notified"]) == 3
                assert c["pairings_notified"].day <= 10  # early in the month
                assert c["orientation_date"].month == c["pairings_notified"].month
                assert c["orientation_date"].day >= 22 and c["orientation_date"].weekday() == 1
                assert months(c["orientation_date"], c["mentoring_starts"]) == 1
                assert months(c["mentoring_starts"], c["mentoring_ends"]) == 6
                assert months(c["mentoring_ends"], c["assessment_closes"]) == 1
            elif slug == "alcts":
                assert open_.day == 16 and 15 <= c["applications_close"].day <= 17
                assert months(open_, c["applications_close"]) == 2
                assert months(open_, c["pairings_notified"]) == 4
                assert c["orientation_date"].weekday() == 0
                assert (c["orientation_end_date"] - c["orientation_date"]).days == 4
                assert months(c["pairings_notified"], c["mentoring_starts"]) == 1
                assert months(c["mentoring_starts"], c["mentoring_ends"]) == 10
            else:
                assert open_.day == 1 and last_day(c["applications_close"])
                assert months(open_, c["applications_close"]) == 0
                assert months(open_, c["pairings_notified"]) == 2
                assert months(c["pairings_notified"], c["mentoring_starts"]) == 1
                assert months(c["mentoring_starts"], c["mentoring_ends"]) == 6
                goals, networking = c["milestones"]
                assert (goals["end_date"] - goals["date"]).days == 30
                assert months(c["mentoring_starts"], networking["date"]) == 1
                assert c["mentoring_starts"] < networking["date"] < c["mentoring_ends"]
        # Today falls where the tour needs it, whatever the day of the month.
        noon = dt.datetime.combine(today, dt.time(12), CHICAGO)
        phases = [
            TimelineDates(
                tz=CHICAGO, **{f: c[f] for f in TimelineDates.__dataclass_fields__ if f != "tz"}
            ).phase_at(noon)
            for _note, c in cohorts
        ]
        assert phases == TOUR[slug]
        # A program's cohorts follow each other a year apart.
        opens = sorted(c["applications_open"] for _note, c in cohorts)
        assert all(months(a, b) == 12 for a, b in itertools.pairwise(opens))


def test_seed_demo_accounts_are_fictional_and_can_log_in(client):
    call_command("seed_demo")
    User = get_user_model()
    names = set(User.objects.values_list("full_name", flat=True))
    for real_person in ("Dennis Smith", "Regina Gong", "Jenny Levine", "Brooke Morris"):
        assert real_person not in names
    assert client.login(email="alsc-chair@example.org", password="mentoring-demo")
    assert User.objects.get(email="staff@example.org").sees_all_programs
