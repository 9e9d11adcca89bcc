"""Goal sheets, goals, contact and attendance on the seeded cohort, worked out by hand."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from reports import participation, selectors

from .factories import seed_report_cohort

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(program):
    return seed_report_cohort(program)


def chart_values(chart):
    return dict(zip(chart.categories, chart.series[0].values, strict=True))


def test_goal_sheets_count_announced_pairs_on_time_late_and_overdue(seeded):
    section, figure = participation.goal_sheet_section(cohort=seeded.cohort, now=timezone.now())

    # Announced pairs: M1-E1 and M1-E2 (M2-E8 was dissolved, M2-E7 only proposed).
    sheets, statuses, contact = section.charts
    assert chart_values(sheets) == {
        "Set on time": 1,
        "Set late": 0,
        "Not set, overdue": 1,
        "Not set, not yet due": 0,
    }
    assert "1 of 2 announced pairs have set their goals (50.0%)" in section.lines[0]
    assert figure.value == "50%"
    assert chart_values(statuses)["In progress"] == 1
    assert chart_values(statuses)["Achieved"] == 1
    assert chart_values(contact) == {
        "Within 30 days": 1,
        "31 to 60 days": 0,
        "61 to 90 days": 1,
        "More than 90 days": 0,
        "No check-in logged": 0,
    }


def test_a_goal_set_after_the_due_day_is_late(seeded):
    from participants.models import Goal

    first = seeded.pairings["M1-E1"]
    Goal.objects.filter(pairing=first).update(created_at=first.announced_at.replace(year=2099))
    section, _figure = participation.goal_sheet_section(cohort=seeded.cohort, now=timezone.now())
    assert chart_values(section.charts[0])["Set late"] == 1
    assert chart_values(section.charts[0])["Set on time"] == 0


def test_without_a_goal_sheet_date_only_goals_set_are_counted(seeded):
    program = seeded.cohort.program
    program.goal_sheet_due_days = None
    program.save()
    seeded.cohort.refresh_from_db()
    section, _figure = participation.goal_sheet_section(cohort=seeded.cohort, now=timezone.now())
    assert chart_values(section.charts[0]) == {"Goals set": 1, "No goals yet": 1}


def test_orientation_attendance_counts_people_in_announced_pairs(seeded):
    assert participation.orientation_line(cohort=seeded.cohort) == (
        "2 of 3 participants attended the orientation."
    )


def test_program_report_shows_goal_sheet_completion_per_cohort(seeded):
    report = selectors.program_report(program=seeded.cohort.program)
    assert report.extra_columns[0] == "Goal sheets in"
    assert report.years[-1].goal_sheet_rate == 50.0
    assert report.years[-1].extra_values[0] == "50%"


def read(client, url):
    response = client.get(url)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text, newline="")))
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_goals_export_lists_every_goal_and_the_pairs_without_any(client, seeded, chair):
    client.force_login(chair)
    rows = read(client, reverse("reports:export_csv", args=[seeded.cohort.program.slug, "goals"]))

    assert [(r["Mentee"], r["Goal"]) for r in rows] == [
        ("Person E1", "Catalog a special collection"),
        ("Person E1", "Present at a conference"),
        ("Person E2", "(no goals yet)"),
    ]
    first, second, none = rows
    assert first["Set on time"] == "yes"
    assert second["Set on time"] == "no"
    assert first["Progress notes"] == "2"
    assert second["Progress notes"] == "0"
    announced = seeded.pairings["M1-E1"].announced_at.astimezone(seeded.cohort.tz).date()
    assert first["Goal sheet due"] == str(announced.fromordinal(announced.toordinal() + 30))
    assert none["Goal status"] == ""


def test_attendance_export(client, seeded, member):
    client.force_login(member)
    url = reverse("reports:export_csv", args=[seeded.cohort.program.slug, "attendance"])
    rows = read(client, url)
    assert sorted((r["Participant"], r["Event"], r["Attended"]) for r in rows) == [
        ("Person E1", "Orientation", "yes"),
        ("Person E2", "Orientation", "no"),
        ("Person M1", "Orientation", "yes"),
    ]
    assert rows[0]["Event date"] == str(seeded.cohort.orientation_date)
