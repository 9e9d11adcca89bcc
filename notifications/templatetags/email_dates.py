"""The `date` filter of plain-text emails (the "text" template engine's own), remembering
what it wrote.

A release renders thousands of emails that print the same few cohort dates, and formatting a
date (its month and weekday names looked up in the active language) cost a fifth of the
release. A day printed in a given format and language always reads the same, so each is
formatted once a process. Anything else goes to Django's own filter: a moment (it depends on
the time zone), or a named format such as DATE_FORMAT (it follows the settings).
"""

import datetime as dt
from functools import lru_cache

from django import template
from django.template import defaultfilters
from django.utils.translation import get_language

register = template.Library()


@lru_cache(maxsize=4096)
def _day(value: dt.date, arg: str, language: str | None) -> str:
    return defaultfilters.date(value, arg)


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    if type(value) is dt.date and arg and not arg.endswith("_FORMAT"):
        return _day(value, arg, get_language())
    return defaultfilters.date(value, arg)
