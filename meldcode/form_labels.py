"""How every form field is labelled (a template builtin, like meldcode.submission).

Each field says "(verplicht)" or "(niet verplicht)" after its label, the same on every
form, so nobody has to guess what they may leave empty; a single checkbox that need not
be ticked says nothing (it is a choice, not a field to fill in).
"""

from __future__ import annotations

from django import forms, template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


def _mark(field) -> str:
    if not getattr(field.form, "marks_required", True):
        return ""  # a search or filter form: nothing in it is ever required
    if field.field.required or getattr(field.field, "required_when_shown", False):
        return format_html(' <span class="required-mark">({})</span>', _("required"))
    if isinstance(field.field.widget, forms.CheckboxInput):
        return ""
    return format_html(' <span class="optional-mark">({})</span>', _("not required"))


@register.filter
def marked_label(field) -> str:
    """The field's label (a <label> for one input, the text alone for a fieldset's
    legend), followed by whether it is required."""
    if field.use_fieldset:
        return format_html("{}{}", field.label, _mark(field))
    return field.label_tag(contents=format_html("{}{}", field.label, _mark(field)), label_suffix="")


def _anchor(bound) -> str:
    """The id of the element the summary's link focuses: the field's input, or for a group
    (radios, checkboxes, a date and time pair), which has no element with the field's own
    id, its first input."""
    if bound.id_for_label:
        return bound.id_for_label
    if not bound.auto_id:
        return ""
    if isinstance(bound.field.widget, forms.MultiWidget):
        return f"{bound.auto_id}_0"
    for option in bound.subwidgets:
        return option.id_for_label or bound.auto_id
    return bound.auto_id


@register.filter
def form_errors(form) -> list[tuple[str, str, str]]:
    """Every error of a bound form as (anchor id, label, message) for the error summary
    at its top: the form's own errors first (no anchor), then each field's in order."""
    if form is None or not getattr(form, "is_bound", False) or not form.errors:
        return []
    rows = [("", "", message) for message in form.non_field_errors()]
    for name, errors in form.errors.items():
        if name not in form.fields:
            continue
        bound = form[name]
        if bound.field.widget.is_hidden:
            rows.extend(("", "", message) for message in errors)
            continue
        anchor = _anchor(bound)
        rows.extend((anchor, bound.label, message) for message in errors)
    return rows


@register.filter
def show_when(field) -> str:
    """Data attributes for a field shown only for some answers of another field of its
    form (`field.show_when = (other field name, [values])`): static/js/forms.js hides it
    otherwise. The server never relies on the hiding."""
    condition = getattr(field.field, "show_when", None)
    if not condition:
        return ""
    name, values = condition
    return format_html(
        ' data-show-when="{}" data-show-values="{}"',
        field.form.add_prefix(name),
        " ".join(str(value) for value in values),
    )
