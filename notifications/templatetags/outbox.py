"""Filters for the outbox's email templates."""

from functools import lru_cache

from django import template
from django.template.defaultfilters import stringfilter
from django.utils.html import urlizer
from django.utils.safestring import SafeData, mark_safe

register = template.Library()


@lru_cache(maxsize=20_000)
def _linked_word(word: str, safe_input: bool, autoescape: bool) -> str:
    return urlizer.handle_word(word, safe_input=safe_input, nofollow=True, autoescape=autoescape)


@register.filter(is_safe=True, needs_autoescape=True)
@stringfilter
def email_urlize(value, autoescape=True):
    """Django's `urlize`, with the same output word for word, remembering each word's result
    from one email to the next: a release renders thousands of emails made mostly of the same
    words, and linking them one by one was most of the time rendering took."""
    safe_input = isinstance(value, SafeData)
    words = urlizer.word_split_re.split(str(value))
    return mark_safe("".join(_linked_word(word, safe_input, autoescape) for word in words))  # noqa: S308
