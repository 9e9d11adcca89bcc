import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.models import Notification
from notifications.services import notification_create
from tests.cohorts.factories import CohortFactory
from tests.notifications.factories import NotificationFactory

pytestmark = pytest.mark.django_db

LIST = "/admin/notifications/notification/"
PLANNED = "/admin/notifications/notification/planned/"


@pytest.fixture
def messages(program, other_program):
    ours = CohortFactory(program=program, name="Core 2031 cohort")
    theirs = CohortFactory(program=other_program, name="ALSC 2031 cohort")
    return {
        "ours": NotificationFactory(
            cohort=ours, recipient="ann@example.org", subject="Your pairing", kind="pairing"
        ),
        "ours_failed": NotificationFactory(
            cohort=ours,
            recipient="bo@example.org",
            subject="Deadline in 7 days",
            kind="deadline-reminder",
            status="failed",
            attempts=1,
            last_error="SMTPDataError: (550, b'5.1.1 mailbox unavailable')",
        ),
        "theirs": NotificationFactory(
            cohort=theirs, recipient="cy@example.org", subject="Orientation is near"
        ),
        "no_cohort": NotificationFactory(
            cohort=None, recipient="dee@example.org", subject="Account notice"
        ),
    }


@pytest.fixture
def staff(staff_user):
    staff_user.is_staff = True
    staff_user.save()
    return staff_user


# The scoping mixin asks "is this person on a committee?" once per permission check of every
# registered model (about 30 queries per admin page today); the list itself adds a fixed few.
MAX_QUERIES = 45


def test_a_committee_member_lists_only_their_programs_notifications(
    client, member, messages, django_assert_max_num_queries
):
    client.force_login(member)
    with django_assert_max_num_queries(MAX_QUERIES):
        page = client.get(LIST).content.decode()
    assert "Your pairing" in page and "Deadline in 7 days" in page
    assert "Orientation is near" not in page
    assert "Account notice" not in page
    # The cohort filter offers only the member's cohorts.
    assert f"cohort__id__exact={messages['ours'].cohort_id}" in page
    assert f"cohort__id__exact={messages['theirs'].cohort_id}" not in page
    theirs = messages["theirs"].pk
    assert client.get(f"{LIST}{theirs}/change/").status_code == 404


def test_staff_list_every_notification_and_filter_and_search(
    client, staff, messages, django_assert_max_num_queries
):
    client.force_login(staff)
    with django_assert_max_num_queries(MAX_QUERIES):
        page = client.get(LIST).content.decode()
    for subject in ("Your pairing", "Orientation is near", "Account notice"):
        assert subject in page
    page = client.get(LIST, {"status__exact": "failed"}).content.decode()
    assert "Deadline in 7 days" in page and "Your pairing" not in page
    page = client.get(LIST, {"kind": "pairing"}).content.decode()
    assert "Your pairing" in page and "Deadline in 7 days" not in page
    page = client.get(LIST, {"cohort__id__exact": messages["theirs"].cohort_id}).content.decode()
    assert "Orientation is near" in page and "Your pairing" not in page
    page = client.get(LIST, {"q": "cy@example"}).content.decode()
    assert "Orientation is near" in page and "Your pairing" not in page


def test_the_list_costs_the_same_number_of_queries_for_more_rows(client, member, messages):
    client.force_login(member)
    client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    NotificationFactory.create_batch(10, cohort=messages["ours"].cohort)
    with CaptureQueriesContext(connection) as many:
        client.get(LIST)
    assert len(many) == len(few)


def test_the_change_page_is_a_read_only_escaped_preview(client, member, messages):
    notification = messages["ours"]
    notification.body_text = "Hello <Ann>,\nsee you soon."
    notification.body_html = '<p>Hello</p><script>alert("x")</script>'
    notification.save()
    client.force_login(member)

    page = client.get(f"{LIST}{notification.pk}/change/").content.decode()

    assert "Hello &lt;Ann&gt;," in page
    html_url = f"{LIST}{notification.pk}/html/"
    assert f'sandbox src="{html_url}"' in page
    assert '<script>alert("x")' not in page
    # The HTML version is served alone into the frame, under a policy that runs no script.
    html = client.get(html_url)
    policy = html["Content-Security-Policy"]
    assert "sandbox" in policy and "default-src 'none'" in policy and "script-src" not in policy
    assert html["X-Frame-Options"] == "SAMEORIGIN"
    assert notification.message_id.replace("<", "&lt;").replace(">", "&gt;") in page
    assert 'name="_save"' not in page  # nothing to edit
    response = client.post(f"{LIST}{notification.pk}/change/", {"subject": "Changed"})
    assert response.status_code == 403
    assert client.get(f"{LIST}{notification.pk}/delete/").status_code == 403


def test_the_retry_action_sends_a_failed_message_again(
    client, member, messages, django_capture_on_commit_callbacks
):
    failed, theirs = messages["ours_failed"], messages["theirs"]
    Notification.objects.filter(pk=theirs.pk).update(status="failed")
    client.force_login(member)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            LIST,
            {"action": "retry_failed", "_selected_action": [failed.pk, theirs.pk]},
            follow=True,
        )

    assert "1 failed notification will be sent again." in response.content.decode()
    failed.refresh_from_db()
    assert failed.status == Notification.Status.SENT
    assert [m.to for m in mail.outbox] == [["bo@example.org"]]
    theirs.refresh_from_db()
    assert theirs.status == Notification.Status.FAILED  # outside the member's programs


def test_staff_preview_what_the_planners_would_send_without_sending(client, staff, settings):
    settings.NOTIFICATION_PLANNERS = [f"{__name__}.plan_a_welcome"]
    client.force_login(staff)
    assert PLANNED in client.get(LIST).content.decode()

    page = client.get(PLANNED).content.decode()

    assert "would create 1 message" in page
    assert "welcome:planned" in page
    assert "Welcome to the program" in page
    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_only_staff_see_the_planners_preview(client, chair, settings):
    settings.NOTIFICATION_PLANNERS = [f"{__name__}.plan_a_welcome"]
    client.force_login(chair)
    assert PLANNED not in client.get(LIST).content.decode()
    assert client.get(PLANNED).status_code == 403


def plan_a_welcome(*, now) -> int:
    _notification, created = notification_create(
        key="welcome:planned",
        kind="welcome",
        to="new@example.org",
        template="notifications/emails/test_welcome",
        context={"program_name": "Core"},
    )
    return created


@pytest.fixture(autouse=True)
def welcome_template(tmp_path, settings):
    folder = tmp_path / "notifications" / "emails"
    folder.mkdir(parents=True)
    (folder / "test_welcome.txt").write_text("Welcome to the program\n\nHello.\n")
    settings.TEMPLATES = [
        {**engine, "DIRS": [tmp_path, *engine["DIRS"]]} for engine in settings.TEMPLATES
    ]
