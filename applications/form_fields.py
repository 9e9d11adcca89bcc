"""How the application form draws its fields: each field's control (input, text area, menu, or a
group's radio buttons or checkboxes) written here from Django's widget context, and around it
one small template per kind of field (templates/applications/fields/) for its label, help text
and errors.

The form has about 45 fields. Drawn through crispy-forms' chain of per-field templates, and
Django's template per widget, per attribute list and per option, they were most of the page's
time. The markup is the one the page always had: Bootstrap's classes, the `div_<id>` wrappers
the error summary and static/js/application_form.js use, labels tied to their controls, help
texts and errors tied by aria-describedby (`<id>_helptext`, `<id>_error`), and aria-invalid on
a control whose answer has an error.
"""

import html
from dataclasses import dataclass

from django import forms
from django.utils.safestring import SafeData, SafeString

from .fields import Section, question_field_name

TEMPLATES = "applications/fields/"

_INPUT = (forms.TextInput, forms.NumberInput, forms.EmailInput, forms.URLInput)
_GROUP = (forms.RadioSelect, forms.CheckboxSelectMultiple)


def _escape(value) -> str:
    """Django's conditional_escape, without its check of every argument for a lazy string:
    this runs for every attribute and option of the form."""
    return value if isinstance(value, SafeData) else html.escape(str(value))


@dataclass(frozen=True)
class FieldBlock:
    """One field as the page draws it."""

    template: str  # field.html (a label and one control), checkbox.html or choices.html
    name: str
    auto_id: str  # its wrapper is div_<auto_id>; its help text and errors <auto_id>_helptext/_error
    label_for: str
    label: str  # safe HTML when it carries the required mark
    help_text: str
    errors: list[str]
    control: SafeString
    fieldset_attrs: str = ""  # a group's aria-describedby (safe HTML)
    role: str = ""  # shown only to applicants in this role (a question outside its role's section)


@dataclass(frozen=True)
class SectionBlock:
    key: str
    heading: str
    role: str
    notes: list[str]
    fields: list[FieldBlock]


def _attrs(attrs: dict) -> str:
    """The attributes as HTML, as Django's flatatt writes them (a True value as the bare name,
    False and None left out)."""
    return "".join(
        f" {name}" if value is True else f' {name}="{_escape(value)}"'
        for name, value in attrs.items()
        if value is not False and value is not None
    )


def _input(widget: dict) -> str:
    value = "" if widget["value"] is None else f' value="{_escape(widget["value"])}"'
    name, attrs = _escape(widget["name"]), _attrs(widget["attrs"])
    return f'<input type="{widget["type"]}" name="{name}"{value}{attrs}>'


def _textarea(widget: dict) -> str:
    value = _escape(widget["value"]) if widget["value"] else ""
    return (
        f'<textarea name="{_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'
    )


def _select(widget: dict) -> str:
    groups = []
    for group, options, _index in widget["optgroups"]:
        items = "".join(
            f'<option value="{_escape(o["value"])}"{" selected" if o["selected"] else ""}>'
            f"{_escape(o['label'])}</option>"
            for o in options
        )
        groups.append(f'<optgroup label="{_escape(group)}">{items}</optgroup>' if group else items)
    name, attrs = _escape(widget["name"]), _attrs(widget["attrs"])
    return f'<select name="{name}"{attrs}>{"".join(groups)}</select>'


def _options(widget: dict) -> str:
    """A group's radio buttons or checkboxes, each with its own label."""
    return "".join(
        f' <div class="form-check"> <input type="{o["type"]}" name="{_escape(o["name"])}"'
        f' value="{_escape(o["value"])}"{_attrs(o["attrs"])}>'
        f' <label for="{_escape(o["attrs"].get("id", ""))}" class="form-check-label">'
        f"{_escape(o['label'])}</label> </div>"
        for _group, options, _index in widget["optgroups"]
        for o in options
    )


def _css_class(widget, errors) -> str:
    """Bootstrap's class for the control, after crispy-forms' name of the widget."""
    if isinstance(widget, _GROUP):
        base = "form-check-input"
    elif isinstance(widget, forms.CheckboxInput):
        base = "checkboxinput form-check-input"
    elif isinstance(widget, forms.Select):
        base = f"{type(widget).__name__.lower()} form-select"
    else:
        base = f"{type(widget).__name__.lower()} form-control"
    return f"{base} is-invalid" if errors else base


def _model_choices(field) -> list:
    """A model field's choices (the program's areas) from one plain query: its own iterator
    reads through a server-side cursor, several round trips to PostgreSQL."""
    iterator = field.iterator(field)
    blank = [] if field.empty_label is None else [("", field.empty_label)]
    return blank + [iterator.choice(obj) for obj in field.queryset]


def _writer(widget):
    """The field's template and what writes its control, or None for a widget of its own."""
    if isinstance(widget, _GROUP):
        return "choices.html", _options
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox.html", _input
    if isinstance(widget, forms.Textarea):
        return "field.html", _textarea
    if type(widget) is forms.Select:  # not a subclass that renders itself (the time-zone menu)
        return "field.html", _select
    if isinstance(widget, _INPUT):
        return "field.html", _input
    return None


def _control(bound, widget, attrs) -> tuple[str, SafeString]:
    """The field's template and its control's HTML."""
    writer = _writer(widget)
    if writer is None:
        return "field.html", bound.as_widget(attrs=attrs)
    if isinstance(bound.field, forms.ModelChoiceField):
        widget.choices = _model_choices(bound.field)
    context = widget.get_context(bound.html_name, bound.value(), attrs)["widget"]
    template, write = writer
    return template, SafeString(write(context))


def field_block(bound, role: str = "") -> FieldBlock:
    """The field drawn by its kind: radio buttons or checkboxes in a fieldset with a legend,
    one checkbox with its label after it, or a labeled input, text area or menu."""
    widget = bound.field.widget
    errors = list(bound.errors)
    attrs = bound.build_widget_attrs({"class": _css_class(widget, errors)}, widget)
    if "id" not in widget.attrs:
        attrs["id"] = bound.auto_id  # a group's options are <id>_0, <id>_1, ...
    template, control = _control(bound, widget, attrs)
    described = bound.aria_describedby if isinstance(widget, _GROUP) else ""
    return FieldBlock(
        template=TEMPLATES + template,
        name=bound.name,
        auto_id=bound.auto_id,
        label_for=bound.id_for_label,
        label=bound.label,
        help_text=bound.help_text,
        errors=errors,
        control=control,
        fieldset_attrs=SafeString(_attrs({"aria-describedby": described or None})),
        role=role,
    )


def _question_role(question) -> str:
    """A question asked of one role only, outside that role's section, is shown only to
    applicants in that role (static/js/application_form.js), like the role sections."""
    roles = question.roles()
    return roles[0] if len(roles) == 1 else ""


def _section_block(form, section: Section, notes: list[str]) -> SectionBlock:
    blocks = [field_block(form[name]) for name in section.fields if name in form.fields]
    for question in section.questions:
        role = "" if section.role else _question_role(question)
        blocks.append(field_block(form[question_field_name(question)], role))
    return SectionBlock(section.key, section.heading, section.role, notes, blocks)


def section_blocks(form, notes: dict[str, list[str]]) -> list[SectionBlock]:
    """The page's sections in order, each with its notes and its fields drawn."""
    return [_section_block(form, s, notes.get(s.key, [])) for s in form.sections]
