"""How the application form presents itself: its sections (applications.fields, with the
cohort's own questions), the required marks, the error summary's links and the progress list.

The form (applications.forms) keeps the fields and their checks; this module only arranges and
describes them, so the page can say what it needs before the applicant submits.
"""

from dataclasses import dataclass

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext as _

from . import eligibility
from .fields import Section, question_field_name


def _is_group(widget) -> bool:
    """Radio buttons and checkbox lists: one question, several controls, a fieldset."""
    return isinstance(widget, forms.RadioSelect)  # CheckboxSelectMultiple is one too


def _section_names(form, section: Section) -> list[str]:
    """The section's fields, built-in first, then the cohort's own questions."""
    names = [name for name in section.fields if name in form.fields]
    names += [question_field_name(q) for q in section.questions]
    return names


def required_names(form) -> set[str]:
    """The fields marked required: the built-in ones every applicant who sees them must
    answer, and the program's required questions."""
    names = eligibility.marked_required(cohort=form.cohort) & set(form.fields)
    names |= {question_field_name(q) for q in form.questions if q.required}
    return names


def prepare(form) -> None:
    """Mark the required fields (a visible asterisk, and aria-required or the required
    attribute for assistive technology) and put the fields in the page's order, so the error
    summary lists them as the applicant meets them."""
    form.required_names = required_names(form)
    for name, field in form.fields.items():
        field.plain_label = str(field.label)
        if name not in form.required_names:
            continue
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple):
            # No single box is required; the legend says the group is.
            field.label = format_html(
                '{}<span class="required-mark" aria-hidden="true">*</span>'
                '<span class="visually-hidden"> ({})</span>',
                field.label,
                _("required"),
            )
            continue
        if isinstance(widget, forms.RadioSelect):
            widget.attrs["required"] = True
        else:
            widget.attrs["aria-required"] = "true"
        field.label = format_html(
            '{}<span class="required-mark" aria-hidden="true">*</span>', field.label
        )
    order = [name for section in form.sections for name in _section_names(form, section)]
    form.order_fields(order)


# --- the error summary -------------------------------------------------------------------------


@dataclass(frozen=True)
class ErrorLink:
    anchor: str  # the id of the control that takes the focus
    label: str
    errors: list[str]
    field_id: str = ""  # the field's id (its wrapper is div_<field_id>)


def control_id(bound_field) -> str:
    """The id of the field's first control: the first radio button or checkbox of a group."""
    if _is_group(bound_field.field.widget):
        return f"{bound_field.auto_id}_0"
    return bound_field.id_for_label or bound_field.auto_id


def error_list(form) -> list[ErrorLink]:
    """Every field's errors in the page's order, each linking to its first control."""
    return [
        ErrorLink(control_id(bf), bf.field.plain_label, list(bf.errors), bf.auto_id)
        for bf in form
        if bf.errors
    ]


# --- the progress list -------------------------------------------------------------------------


@dataclass(frozen=True)
class SectionProgress:
    key: str
    number: int
    heading: str
    role: str  # shown only to applicants in this role ("" for everyone)
    required: tuple[str, ...]  # the required fields shown in it (for the page's script)
    status: str  # "done", "to_do", "attention", "optional" or "skipped" (another role's)

    @property
    def status_label(self) -> str:
        return {
            "done": _("complete"),
            "to_do": _("to do"),
            "attention": _("needs attention"),
            "optional": _("optional"),
            "skipped": _("not for your role"),
        }[self.status]


@dataclass(frozen=True)
class Progress:
    sections: list[SectionProgress]

    @property
    def counted(self) -> list[SectionProgress]:
        return [s for s in self.sections if s.status not in ("optional", "skipped")]

    @property
    def done(self) -> int:
        return sum(1 for s in self.counted if s.status == "done")

    @property
    def total(self) -> int:
        return len(self.counted)


def _answered(bound_field) -> bool:
    value = bound_field.value()
    if isinstance(value, (list, tuple)):
        return any(v not in (None, "") for v in value)
    if isinstance(value, str):
        return bool(value.strip())
    return value not in (None, False)


def progress(form) -> Progress:
    """Each section's state from the answers on the page: complete when every required answer
    shown in it is given, "needs attention" when one has an error. The role's sections count
    once a role is chosen."""
    role = form["role"].value() or ""
    roles = eligibility.roles_of(role)
    rows = []
    for number, section in enumerate(form.sections, start=1):
        names = _section_names(form, section)
        required = [n for n in names if n in form.required_names]
        shown_required = [
            n for n in required if not n.startswith("q_") or _asked(form, n, roles, role)
        ]
        if section.role and role and section.role not in roles:
            status = "skipped"  # another role's section: hidden
        elif any(form[n].errors for n in names):
            status = "attention"
        elif not shown_required:
            status = "optional"
        elif all(_answered(form[n]) for n in shown_required):
            status = "done"
        else:
            status = "to_do"
        rows.append(
            SectionProgress(
                key=section.key,
                number=number,
                heading=str(section.heading),
                role=section.role,
                required=tuple(required),
                status=status,
            )
        )
    return Progress(rows)


def _asked(form, name: str, roles: list[str], role: str) -> bool:
    question = form.fields[name].question
    return not role or question.applies_to(roles)
