"""How the application form draws its fields: one lean template per kind of control
(templates/applications/fields/), each given what Django's widget would have rendered.

The form has about 45 fields. Drawn through crispy-forms' chain of per-field templates, and
Django's template per widget and per option, they were most of the page's time; here the
attributes are joined once in Python (flatatt) and each field is one small template. The
markup is the one the page always had: Bootstrap's classes, the `div_<id>` wrappers the error
summary and static/js/application_form.js use, labels tied to their controls, help texts and
errors tied by aria-describedby, and aria-invalid on a control whose answer has an error.
"""

from dataclasses import dataclass, field

from django import forms
from django.forms.utils import flatatt
from django.utils.safestring import SafeString

from .fields import Section, question_field_name

TEMPLATES = "applications/fields/"

# The controls the lean templates draw themselves; any other widget renders as it would alone.
_INPUT = (forms.TextInput, forms.NumberInput, forms.EmailInput, forms.URLInput)
_GROUP = (forms.RadioSelect, forms.CheckboxSelectMultiple)


@dataclass(frozen=True)
class FieldBlock:
    """One field as the page draws it."""

    field: forms.BoundField
    template: str
    kind: str  # "input", "textarea", "select" or "custom" (field.html); else its own template
    widget: dict  # Django's widget context: name, value, type, optgroups (options carry "html")
    attrs: SafeString  # the control's attributes, or the fieldset's for a group
    html: str = ""  # the control itself (safe HTML), for a "custom" widget
    role: str = ""  # shown only to applicants in this role (a question outside its role's section)


@dataclass(frozen=True)
class SectionBlock:
    key: str
    heading: str
    role: str
    notes: list
    fields: list = field(default_factory=list)


def _css_class(widget, errors) -> str:
    """Bootstrap's class for the control, after crispy-forms' name of the widget."""
    if isinstance(widget, forms.CheckboxInput):
        base = "checkboxinput form-check-input"
    elif isinstance(widget, forms.Select):
        base = f"{type(widget).__name__.lower()} form-select"
    else:
        base = f"{type(widget).__name__.lower()} form-control"
    return f"{base} is-invalid" if errors else base


def _group(bound, widget, role: str) -> FieldBlock:
    css = "form-check-input is-invalid" if bound.errors else "form-check-input"
    attrs = bound.build_widget_attrs({"class": css}, widget)
    if "id" not in widget.attrs:
        attrs["id"] = bound.auto_id  # each option's id is this one and its number
    context = widget.get_context(bound.html_name, bound.value(), attrs)["widget"]
    for _group_name, options, _index in context["optgroups"]:
        for option in options:
            option["html"] = flatatt(option["attrs"])
    fieldset = {"aria-describedby": bound.aria_describedby} if bound.aria_describedby else {}
    return FieldBlock(
        bound, TEMPLATES + "choices.html", "group", context, flatatt(fieldset), role=role
    )


def field_block(bound, role: str = "") -> FieldBlock:
    """The field drawn by its kind: radio buttons or checkboxes in a fieldset, one checkbox
    with its label after it, or a labeled input, text area or menu."""
    widget = bound.field.widget
    if isinstance(widget, _GROUP):
        return _group(bound, widget, role)
    attrs = bound.build_widget_attrs({"class": _css_class(widget, bound.errors)}, widget)
    if "id" not in widget.attrs:
        attrs["id"] = bound.auto_id
    if isinstance(widget, forms.CheckboxInput):
        template, kind = "checkbox.html", "input"
    elif isinstance(widget, _INPUT):
        template, kind = "field.html", "input"
    elif isinstance(widget, forms.Textarea):
        template, kind = "field.html", "textarea"
    elif type(widget) is forms.Select:
        template, kind = "field.html", "select"
    else:
        html = bound.as_widget(attrs=attrs)
        return FieldBlock(bound, TEMPLATES + "field.html", "custom", {}, SafeString(""), html, role)
    context = widget.get_context(bound.html_name, bound.value(), attrs)["widget"]
    attrs_html = flatatt(context["attrs"])
    return FieldBlock(bound, TEMPLATES + template, kind, context, attrs_html, role=role)


def _question_role(question) -> str:
    """A question asked of one role only, outside that role's section, is shown only to
    applicants in that role (static/js/application_form.js), like the role sections."""
    roles = question.roles()
    return roles[0] if len(roles) == 1 else ""


def _section_block(form, section: Section, notes: list) -> SectionBlock:
    blocks = [field_block(form[name]) for name in section.fields if name in form.fields]
    for question in section.questions:
        role = "" if section.role else _question_role(question)
        blocks.append(field_block(form[question_field_name(question)], role))
    return SectionBlock(section.key, section.heading, section.role, notes, blocks)


def section_blocks(form, notes: dict[str, list]) -> list[SectionBlock]:
    """The page's sections in order, each with its notes and its fields drawn."""
    return [_section_block(form, s, notes.get(s.key, [])) for s in form.sections]
