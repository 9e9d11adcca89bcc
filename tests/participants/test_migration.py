"""Moving the participant models from matching to participants loses no row."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("matching", "0008_add_lift_exclusion_action"), ("participants", None)]


def _migrate(targets):
    """Migrate the test database to `targets`; the models as the database now has them."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    applied = set(executor.loader.applied_migrations)
    graph = executor.loader.graph
    newest = [
        node
        for node in applied
        if node in graph.nodes
        and not any(
            child in applied and child[0] == node[0] for child in graph.node_map[node].children
        )
    ]
    return executor.loader.project_state(newest).apps


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_moving_the_participant_models_keeps_every_row():
    old = _migrate(BEFORE)
    try:
        User = old.get_model("accounts", "User")
        Program = old.get_model("cohorts", "Program")
        Cohort = old.get_model("cohorts", "Cohort")
        Application = old.get_model("applications", "Application")
        Pairing = old.get_model("matching", "Pairing")
        ContentType = old.get_model("contenttypes", "ContentType")
        today = dt.date(2026, 1, 15)
        program = Program.objects.create(name="Moved Program", slug="moved", short_name="Moved")
        cohort = Cohort.objects.create(
            program=program,
            name="2026 cohort",
            slug="2026",
            applications_open=today - dt.timedelta(days=60),
            applications_close=today - dt.timedelta(days=30),
            pairings_notified=today,
            mentoring_starts=today,
            mentoring_ends=today + dt.timedelta(days=180),
            assessment_closes=today + dt.timedelta(days=210),
        )
        people = [User.objects.create(email=f"p{i}@example.org") for i in range(2)]
        mentor, mentee = (
            Application.objects.create(cohort=cohort, applicant=person, role=role)
            for person, role in zip(people, ("mentor", "mentee"), strict=True)
        )
        pairing = Pairing.objects.create(cohort=cohort, mentor=mentor, mentee=mentee)
        goal = old.get_model("matching", "Goal").objects.create(
            pairing=pairing, title="Lead a storytime", target_date=today
        )
        old.get_model("matching", "GoalProgressNote").objects.create(
            goal=goal, date=today, note="Drafted the plan"
        )
        old.get_model("matching", "CheckIn").objects.create(
            pairing=pairing, date=today, mode="video"
        )
        old.get_model("matching", "ProblemReport").objects.create(
            pairing=pairing, message="We have not met"
        )
        old.get_model("matching", "Attendance").objects.create(application=mentee)
        old.get_model("matching", "CalendarFeed").objects.create(user=people[0], token="t" * 32)
        goal_type = ContentType.objects.get_or_create(app_label="matching", model="goal")[0]
    finally:
        new = _migrate(_latest())

    assert new.get_model("participants", "Goal").objects.get().title == "Lead a storytime"
    assert (
        new.get_model("participants", "GoalProgressNote").objects.get().note == "Drafted the plan"
    )
    assert new.get_model("participants", "CheckIn").objects.get().mode == "video"
    assert new.get_model("participants", "ProblemReport").objects.get().message == "We have not met"
    assert new.get_model("participants", "Attendance").objects.get().application_id == mentee.pk
    assert new.get_model("participants", "CalendarFeed").objects.get().token == "t" * 32
    moved_type = new.get_model("contenttypes", "ContentType").objects.get(pk=goal_type.pk)
    assert moved_type.app_label == "participants"
