"""An email without an HTML template of its own stores its text only; its HTML part, the text in
the house layout, is drawn from that text when the message is sent or previewed, and says
exactly what the layout rendered from the email's own context says."""

import pytest
from django.conf import settings
from django.template.loader import render_to_string

from notifications.delivery import build_message
from notifications.models import Notification
from notifications.services import email_html, notifications_create_many, render_email

pytestmark = pytest.mark.django_db


@pytest.fixture
def template(tmp_path, settings):
    (tmp_path / "news.txt").write_text(
        "Your pairing, {{ name }}\n\nHello {{ name }},\n\n{{ note }}\n\nSee {{ SITE_URL }}/my/\n"
    )
    settings.TEMPLATES = [
        {**engine, "DIRS": [tmp_path, *engine["DIRS"]]} for engine in settings.TEMPLATES
    ]
    return "news"


def layout_from_context(template: str, context: dict) -> str:
    """The house layout rendered straight from the email's context (as it was before)."""
    context = {"SITE_URL": settings.SITE_URL, "SITE_NAME": settings.SITE_NAME, **context}
    text = render_to_string(f"{template}.txt", context, using="text").strip()
    subject, _sep, body = text.partition("\n")
    return render_to_string(
        "notifications/emails/base.html",
        {**context, "subject": " ".join(subject.split()), "body_text": body.strip()},
        using="django",
    )


CONTEXTS = {
    "a program and a reason": {
        "program_name": "Core Mentoring Program",
        "footer_reason": "You applied to the Core Mentoring Program's 2031 cohort.",
    },
    "no program, no reason": {},
    "text a person typed": {
        "program_name": "ALSC Mentoring <Program> & Friends",
        # a signature line and markup in what the person wrote
        "note": "My goals:\n\n-- \nlead <b>storytime</b> & https://library.example.org/x",
    },
}


@pytest.mark.parametrize("case", CONTEXTS)
def test_the_html_drawn_from_the_stored_text_is_the_layout_of_the_emails_context(template, case):
    context = {"name": "Ana <Díaz>", "note": "", **CONTEXTS[case]}
    subject, text, html = render_email(template=template, context=context)
    assert html == ""  # nothing stored beside the text
    notification = Notification(subject=subject, body_text=text)
    assert email_html(notification) == layout_from_context(template, context)


def test_a_release_stores_the_text_and_the_sent_message_carries_the_html(template):
    [(notification, created)] = notifications_create_many(
        messages=[
            {
                "key": "news:1",
                "kind": "news",
                "to": "ana@library.example.org",
                "template": template,
                "context": {"name": "Ana", "note": "", "program_name": "Core Mentoring Program"},
            }
        ]
    )
    stored = Notification.objects.get(pk=notification.pk)
    assert created and stored.body_html == "" and "Hello Ana," in stored.body_text
    message = build_message(stored)
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert "Core Mentoring Program" in html and "Hello Ana," in html


def test_an_own_html_part_is_kept_and_an_erased_message_has_none():
    own = Notification(subject="Hi", body_text="Hi", body_html="<p>Our own</p>")
    assert email_html(own) == "<p>Our own</p>"
    assert email_html(Notification(subject="", body_text="", body_html="")) == ""
