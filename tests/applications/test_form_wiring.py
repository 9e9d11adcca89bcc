"""Every field of the application form is wired for assistive technology, whatever its kind: its
label or legend tied to its controls, its help text and its errors tied by aria-describedby,
aria-invalid on a control with an error, the required mark, and the error summary's links
leading to a control of the field. And the page reads what it shows in plain queries."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.applications.factories import CohortQuestionFactory
from tests.applications.helpers import apply_url

pytestmark = pytest.mark.django_db

KINDS = ["short_text", "long_text", "choice", "multiple_choice", "yes_no", "scale", "number"]
VOID = {"input", "br", "hr", "img", "meta", "link", "source", "wbr", "col", "area", "base"}


@dataclass
class Element:
    tag: str
    attrs: dict
    parent: "Element | None"
    children: list = field(default_factory=list)
    text: list = field(default_factory=list)

    def __getitem__(self, name):
        return self.attrs.get(name)

    def content(self) -> str:
        return "".join([*self.text, *(child.content() for child in self.children)])

    def descendants(self):
        for child in self.children:
            yield child
            yield from child.descendants()

    def inside(self, other) -> bool:
        node = self.parent
        while node is not None:
            if node is other:
                return True
            node = node.parent
        return False


class _Tree(HTMLParser):
    def __init__(self):
        super().__init__()
        self.root = Element("root", {}, None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.text.append(data)


def _page(content: bytes) -> list[Element]:
    tree = _Tree()
    tree.feed(content.decode())
    return list(tree.root.descendants())


def _one(elements, tag=None, **attrs) -> Element:
    found = [
        e
        for e in elements
        if (tag is None or e.tag == tag) and all(e[k] == v for k, v in attrs.items())
    ]
    assert len(found) == 1, f"{attrs}: {len(found)} elements"
    return found[0]


def _described_by(element) -> list[str]:
    return (element["aria-describedby"] or "").split()


def _check_field(elements, form, name):
    bound = form[name]
    plain = str(bound.field.plain_label)
    wrapper = _one(elements, id=f"div_{bound.auto_id}")
    controls = [e for e in elements if e["name"] == name and e.tag != "button"]
    assert controls, name
    assert all(c.inside(wrapper) or c is wrapper for c in controls), name
    group = isinstance(bound.field.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple))
    if group:
        fieldset = next(e for e in wrapper.descendants() if e.tag == "fieldset")
        legend = next(e for e in fieldset.children if e.tag == "legend")
        assert plain in legend.content(), name
        caption, described = legend, fieldset
        assert all(c.inside(fieldset) for c in controls), name
    else:
        assert len(controls) == 1, name
        caption = _one(elements, tag="label", **{"for": bound.auto_id})
        assert plain in caption.content(), name
        assert controls[0]["id"] == bound.auto_id, name
        described = controls[0]
    for control in controls:  # each radio button and checkbox is named by its own label
        assert control["id"], name
        labels = [e for e in elements if e.tag == "label" and e["for"] == control["id"]]
        assert len(labels) == 1 and labels[0].content().strip(), (name, control["id"])
    if bound.help_text:
        help_text = _one(elements, id=f"{bound.auto_id}_helptext")
        assert help_text.content().strip(), name
        assert help_text["id"] in _described_by(described), name
    if name in form.required_names:
        assert any(e["class"] == "required-mark" for e in caption.descendants()), name
        assert all("required" in c.attrs or c["aria-required"] == "true" for c in controls) or (
            isinstance(bound.field.widget, forms.CheckboxSelectMultiple)
        ), name
    else:
        assert not any(e["class"] == "required-mark" for e in caption.descendants()), name
    if bound.errors:
        error = _one(elements, id=f"{bound.auto_id}_error")
        assert error.inside(wrapper), name
        for message in bound.errors:
            assert message in error.content(), name
        assert error["id"] in _described_by(described), name
        assert all(c["aria-invalid"] == "true" for c in controls), name
        if group:  # under the question, before its options: seen before a long list is read
            assert elements.index(legend) < elements.index(error), name
            assert elements.index(error) < elements.index(controls[0]), name
    else:
        assert not any(c["aria-invalid"] for c in controls), name
        assert not [e for e in elements if e["id"] == f"{bound.auto_id}_error"], name


def _check_form(response):
    form = response.context["form"]
    elements = _page(response.content)
    for name in form.fields:
        _check_field(elements, form, name)
    summary = [e for e in elements if e["id"] == "form-errors"]
    links = [e for e in summary[0].descendants() if e.tag == "a"] if summary else []
    assert len(links) == len(form.error_list())
    for link, error in zip(links, form.error_list(), strict=True):
        target = _one(elements, id=link["href"].removeprefix("#"))
        assert target["name"] and target.inside(_one(elements, id=f"div_{error.field_id}"))
    return form


def test_every_field_of_every_kind_is_labeled_described_and_marked(client, cohort, applicant):
    sections = ["about", "mentee", "interests", "working", "mentor", "membership", "commitments"]
    for kind, section in zip(KINDS, sections, strict=True):
        CohortQuestionFactory(
            cohort=cohort, kind=kind, required=True, section=section, help_text=f"About {kind}."
        )
        CohortQuestionFactory(cohort=cohort, kind=kind, section="working", asked_of="mentor")
    CohortQuestionFactory(
        cohort=cohort, kind="choice", choices="\n".join(f"Choice {n}" for n in range(9))
    )  # more choices than radio buttons: a menu
    client.force_login(applicant)

    form = _check_form(client.get(apply_url(cohort)))
    assert len(form.fields) > 40
    assert not form.errors

    # Every required answer missing, and answers of the wrong type: errors on most fields.
    posted = {"action": "review", "role": "mentor", "years_experience": "ten"}
    form = _check_form(client.post(apply_url(cohort), posted))
    assert len(form.errors) > 15
    kinds = {type(form.fields[name].widget) for name in form.errors}
    assert {forms.RadioSelect, forms.CheckboxSelectMultiple, forms.Textarea} <= kinds
    assert {forms.CheckboxInput, forms.TextInput, forms.Select, forms.NumberInput} <= kinds


def test_the_form_page_reads_the_areas_in_one_plain_query(client, cohort, applicant):
    """The areas' checkboxes come from one SELECT: a model field's own iterator reads through a
    server-side cursor (DECLARE, FETCH, CLOSE: round trips on every view of the page)."""
    client.force_login(applicant)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(apply_url(cohort)).content.decode()
    statements = [query["sql"] for query in queries.captured_queries]
    assert not [sql for sql in statements if "DECLARE" in sql.upper()]
    assert len([sql for sql in statements if "areaofinterest" in sql]) == 1
    for area in cohort.program.areas.all():
        assert f'name="areas" value="{area.pk}"' in page
