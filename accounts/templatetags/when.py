"""`{% when value zone %}`: a deadline or a timed event in the program's zone and the reader's.

The reader's zone is `reader_zone` in the context (the context processor puts it there for pages;
emails pass the recipient's), or the third argument. See accounts.timezones.when.
"""

from django import template

from accounts import timezones

register = template.Library()


@register.simple_tag(takes_context=True)
def when(context, value, zone, reader_zone=None):
    if reader_zone is None:
        reader_zone = context.get("reader_zone")
    return timezones.when(value, zone=zone, reader_zone=reader_zone)


@register.filter
def spoken_zone(zone):
    """ "Central Time" for America/Chicago."""
    return timezones.spoken_zone(zone) if zone else ""
