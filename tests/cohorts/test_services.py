import pytest

from assessment.models import Survey
from cohorts.models import Cohort
from cohorts.services import cohort_create, cohort_insert, cohort_update
from tests.cohorts.factories import CohortFactory

pytestmark = pytest.mark.django_db

HOOKED: list[tuple[str, int]] = []


def first_hook(*, cohort):
    HOOKED.append(("first", cohort.pk))


def second_hook(*, cohort):
    HOOKED.append(("second", Cohort.objects.filter(pk=cohort.pk).count()))


def failing_hook(*, cohort):
    raise RuntimeError("the hook failed")


@pytest.fixture
def hooked(settings):
    HOOKED.clear()
    settings.COHORT_CREATED_HOOKS = [f"{__name__}.first_hook", f"{__name__}.second_hook"]
    yield HOOKED
    HOOKED.clear()


def dates(program):
    """The field values of a cohort accepting applications, as a caller would pass them."""
    built = CohortFactory.build(program=program)
    names = [f.name for f in Cohort._meta.concrete_fields if f.name not in ("id", "program")]
    return {name: getattr(built, name) for name in names}


def test_cohort_create_runs_every_created_hook_in_order_on_the_saved_cohort(hooked, program):
    cohort = cohort_create(program=program, **dates(program))
    assert cohort.pk is not None and cohort.program == program
    assert hooked == [("first", cohort.pk), ("second", 1)]


def test_cohort_create_with_the_projects_hooks_gives_the_cohort_its_surveys(program):
    cohort = cohort_create(program=program, **dates(program))
    assert sorted(Survey.objects.filter(cohort=cohort).values_list("audience", flat=True)) == [
        "mentee",
        "mentor",
    ]


def test_a_failing_hook_leaves_no_cohort_behind(settings, program):
    settings.COHORT_CREATED_HOOKS = [f"{__name__}.failing_hook"]
    with pytest.raises(RuntimeError, match="hook failed"):
        cohort_create(program=program, **dates(program))
    assert not Cohort.objects.exists()


def test_cohort_insert_refuses_a_cohort_already_saved(hooked, program):
    cohort = CohortFactory(program=program)
    with pytest.raises(ValueError, match="not saved yet"):
        cohort_insert(cohort=cohort)
    assert hooked == []


def test_cohort_update_writes_only_the_fields_given_and_runs_no_hook(hooked, program):
    cohort = CohortFactory(program=program, name="2031 cohort")
    Cohort.objects.filter(pk=cohort.pk).update(notes="set elsewhere")
    cohort_update(cohort=cohort, name="2032 cohort")
    cohort.refresh_from_db()
    assert (cohort.name, cohort.notes) == ("2032 cohort", "set elsewhere")
    assert hooked == []


def test_changing_a_cohort_in_the_admin_keeps_its_surveys_and_adds_none(
    client, staff_user, program
):
    cohort = CohortFactory(program=program, surveys=True)
    client.force_login(staff_user)
    url = f"/admin/cohorts/cohort/{cohort.pk}/change/"
    data = {
        "program": program.pk,
        "name": "Renamed cohort",
        "slug": cohort.slug,
        "default_mentor_capacity": 2,
        "applications_open": cohort.applications_open,
        "applications_close": cohort.applications_close,
        "pairings_notified": cohort.pairings_notified,
        "mentoring_starts": cohort.mentoring_starts,
        "mentoring_ends": cohort.mentoring_ends,
        "assessment_closes": cohort.assessment_closes,
        "orientation_date": cohort.orientation_date,
        "orientation_required": "on",
        "milestones-TOTAL_FORMS": "0",
        "milestones-INITIAL_FORMS": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    cohort.refresh_from_db()
    assert (cohort.name, cohort.default_mentor_capacity) == ("Renamed cohort", 2)
    assert cohort.surveys.count() == 2


def test_a_cohort_added_in_the_admin_with_a_milestone_gets_both_and_its_surveys(
    client, staff_user, program
):
    client.force_login(staff_user)
    response = client.post(
        "/admin/cohorts/cohort/add/",
        {
            "program": program.pk,
            "name": "2041 cohort",
            "slug": "2041",
            "default_mentor_capacity": 1,
            "applications_open": "2040-08-01",
            "applications_close": "2040-09-15",
            "pairings_notified": "2040-11-01",
            "mentoring_starts": "2040-12-01",
            "mentoring_ends": "2041-06-30",
            "assessment_closes": "2041-07-31",
            "orientation_required": "on",
            "milestones-TOTAL_FORMS": "1",
            "milestones-INITIAL_FORMS": "0",
            "milestones-0-title": "Networking session",
            "milestones-0-kind": "networking",
            "milestones-0-date": "2041-01-15",
            "milestones-0-audience": "everyone",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    cohort = Cohort.objects.get(slug="2041")
    assert list(cohort.milestones.values_list("title", flat=True)) == ["Networking session"]
    assert cohort.surveys.count() == 2
