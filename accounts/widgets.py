"""The time-zone menu, cheap to render and to check: the application form and the account page
show it."""

import functools

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from .models import AMERICAN_ZONES, other_zones, time_zone_choices

OPTION = '<option value="{}"{}>{}</option>'


def _options(zones, chosen: str) -> SafeString:
    return format_html_join(
        "", OPTION, ((zone, " selected" if zone == chosen else "", label) for zone, label in zones)
    )


@functools.cache
def _other_options() -> SafeString:
    """The options of every zone outside the short list, none selected, rendered once a process
    (their labels are zone names, the same in every language)."""
    return _options(other_zones(), "")


class TimeZoneSelect(forms.Select):
    """One native menu, keyboard-usable as ever: the empty choice, the zones of the
    association's states and territories in a first group, then every other zone in a second.

    Django's Select renders a template per option; 550 of them made the application form the
    slowest page. Here the short list is rendered per request and the long one comes from a
    fragment rendered once a process; a saved zone from the long list is marked in a fresh
    copy, so it still shows and round-trips."""

    def __init__(self, *, blank_label, attrs=None):
        super().__init__(attrs)
        self.blank_label = blank_label

    def render(self, name, value, attrs=None, renderer=None):
        values = self.format_value(value)
        chosen = values[0] if values else ""
        short = {zone for zone, _label in AMERICAN_ZONES}
        others = (
            _options(other_zones(), chosen) if chosen and chosen not in short else _other_options()
        )
        return format_html(
            '<select{}><option value=""{}>{}</option><optgroup label="{}">{}</optgroup>'
            '<optgroup label="{}">{}</optgroup></select>',
            flatatt(self.build_attrs(self.attrs, {**(attrs or {}), "name": name})),
            "" if chosen else " selected",
            self.blank_label,
            _("United States and territories"),
            _options(AMERICAN_ZONES, chosen),
            _("Every other time zone"),
            others,
        )


@functools.cache
def _zone_names() -> frozenset[str]:
    return frozenset(zone for zone, _label in time_zone_choices())


class TimeZoneField(forms.ChoiceField):
    """A time zone of the IANA list, checked against a set made once a process. Its menu
    (TimeZoneSelect) draws the zones itself, so the field keeps no choices: a form no longer
    copies and normalizes 550 of them each time it is made."""

    def valid_value(self, value):
        return value in _zone_names()
