"""email_urlize: Django's urlize, the same output, remembered word by word (issue 18: linking
the words of thousands of emails one by one was most of a release's rendering time)."""

import pytest
from django.template import engines
from django.template.defaultfilters import urlize
from django.utils.safestring import mark_safe

from notifications.templatetags.outbox import _linked_word, email_urlize

TEXTS = [
    "Meet your mentor: Ann <ann@example.org>.\n\nSee https://mentoring.example.org/my/ now.",
    "Write to ann.lee@example.org, or visit www.example.org (and example.com/path?x=1&y=2).",
    'Quotes "and" <b>tags</b> & ampersands; a trailing dot. http://x.org/a_(b)! Done.',
    "No links at all, just words: one, two; three.",
]


@pytest.mark.parametrize("text", TEXTS)
def test_email_urlize_gives_what_urlize_gives(text):
    assert email_urlize(text) == urlize(text)
    assert email_urlize(text, autoescape=False) == urlize(text, autoescape=False)
    assert email_urlize(mark_safe(text)) == urlize(mark_safe(text))  # noqa: S308


def test_email_urlize_remembers_words_across_emails():
    _linked_word.cache_clear()
    email_urlize(TEXTS[0])
    hits = _linked_word.cache_info().hits
    email_urlize(TEXTS[0].replace("Ann", "Bo"))

    assert _linked_word.cache_info().hits > hits + 10


def test_the_html_layout_links_with_it():
    source = engines["django"].get_template("notifications/emails/base.html").template.source
    assert "body_text|email_urlize|linebreaks" in source


def test_a_link_typed_without_its_scheme_opens_over_https():
    assert 'href="https://www.ala.org"' in email_urlize("Visit www.ala.org today.")
    assert 'href="https://www.ala.org"' in urlize("Visit www.ala.org today.")  # pages too
