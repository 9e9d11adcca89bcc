"""Filters for the readable "Your data" page: any JSON value, shown as a person reads it."""

import datetime as dt

from django import template
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def kind(value) -> str:
    if isinstance(value, dict):
        return "dict"
    if isinstance(value, list) and any(isinstance(v, dict | list) for v in value):
        return "list"
    return "scalar"


@register.filter
def heading(key) -> str:
    """ "date_joined" -> "Date joined"."""
    return str(key).replace("_", " ").capitalize()


@register.filter
def readable(value, zone=None) -> str:
    """A scalar (or a list of scalars) in words; ISO dates and times (the JSON's) as dates."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return ", ".join(readable(v, zone) for v in value)
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        moment = parse_datetime(value) if len(value) > 10 else None
        if moment is not None and moment.tzinfo is not None:
            if zone is not None:
                moment = moment.astimezone(zone)
            return date_format(moment, "F j, Y, P T")
        day = parse_date(value) if len(value) == 10 else None
        if isinstance(day, dt.date):
            return date_format(day, "F j, Y")
    return str(value)
