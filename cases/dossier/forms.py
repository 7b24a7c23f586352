"""One form per kind of dossier entry: each shows only the fields its kind asks for."""

from __future__ import annotations

import decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from cases.dossier import body_map, signal_list
from cases.dossier.models import BodyMark, Entry, EntryAttachment
from cases.dossier.services import KIND_FIELDS, MAX_ATTACHMENTS, MAX_MARKS, REQUIRED_FIELDS
from meldcode.text_guard import GuardedForm

Kind = Entry.Kind

# What the description means for each kind, and a hint that keeps the entry factual.
DESCRIPTION_TEXT: dict[Kind, tuple[str, str]] = {
    Kind.OBSERVATION: (
        _("What did you see, hear or smell?"),
        _("As factually as possible: behaviour and words, no interpretation."),
    ),
    Kind.HYPOTHESIS: (
        _("Your hypothesis or assumption"),
        _("It is shown everywhere as a hypothesis, never as a fact."),
    ),
    Kind.THIRD_PARTY: (_("What did the source tell?"), ""),
    Kind.DIAGNOSIS: (
        _("The diagnosis"),
        _("Only a diagnosis made by a qualified professional (for example an orthopedagoog)."),
    ),
    Kind.CONTACT: (_("What was said?"), ""),
    Kind.DECISION: (_("The decision"), ""),
    Kind.FOLLOW_UP: (_("Follow-up note"), ""),
    Kind.CORRECTION: (
        _("The corrected text"),
        _("The original entry stays visible; this correction is shown next to it."),
    ),
    Kind.PARENTS_VIEW: (
        _("The parents' statement, in their own words"),
        _("It is shown as the parents' view, not as the school's."),
    ),
    Kind.KINDCHECK: (_("How was the kindcheck done, and with whom?"), ""),
}
DATE_LABEL: dict[Kind, str] = {
    Kind.OBSERVATION: _("Date observed"),
    Kind.THIRD_PARTY: _("Date told"),
    Kind.CONTACT: _("Date of the contact"),
    Kind.DECISION: _("Date of the decision"),
}


class EntryLinkField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Entry) -> str:
        # No content in the label: number, date, kind and author identify the entry.
        return (
            f"#{obj.pk} · {date_format(obj.occurred_on)} · {obj.get_kind_display()} · {obj.author}"
        )


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the upload door checks each one's content."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault(
            "widget",
            MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png", "multiple": True}),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None) -> list:
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


class EntryForm(GuardedForm):
    occurred_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    place = forms.CharField(
        label=_("Place"), max_length=200, help_text=_("For example: schoolyard, classroom 5.")
    )
    situation = forms.CharField(
        label=_("Situation"), max_length=500, help_text=_("What was going on at that moment?")
    )
    others_present = forms.CharField(
        label=_("Others present"),
        max_length=200,
        required=False,
        help_text=_("Initials only, for example J.K., M. or juf A."),
    )
    source = forms.CharField(
        label=_("Who told it? (a role, not a name)"),
        max_length=200,
        help_text=_(
            "For example: a parent of group 5, the neighbourhood coach. Never write down the "
            "name of a parent who voices worries."
        ),
    )
    source_role = forms.CharField(
        label=_("In what role?"),
        max_length=200,
        help_text=_("For example: neighbourhood coach, sports coach."),
    )
    source_consent = forms.BooleanField(
        label=_("The source consents to recording this information"), required=False
    )
    contact_with = forms.CharField(
        label=_("With whom?"), max_length=200, help_text=_("For example: mother, at the door.")
    )
    decided_by = forms.CharField(label=_("Decided by"), max_length=200)
    household = forms.CharField(
        label=_("Which children live in the household?"), widget=forms.Textarea(attrs={"rows": 3})
    )
    carers = forms.CharField(
        label=_("Who cares for them?"), widget=forms.Textarea(attrs={"rows": 3})
    )
    # A number, never a list of every entry: a case may hold hundreds. The entry's own
    # "follow-up" and "correct" links fill it in.
    links_to = EntryLinkField(
        label=_("Refers to entry"),
        queryset=Entry.objects.none(),
        widget=forms.NumberInput(attrs={"min": 1}),
        help_text=_("The number after # at the top of the entry."),
        error_messages={"invalid_choice": _("This case has no entry with that number.")},
    )
    outcome = forms.ChoiceField(
        label=_("The hypothesis is"),
        choices=Entry.Outcome.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Why is it corrected?"), widget=forms.Textarea(attrs={"rows": 3})
    )
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}))
    signals = forms.MultipleChoiceField(
        label=_("Signals (signalenlijst)"),
        required=False,
        choices=signal_list.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_(
            "Optional: a scan of a drawing by the child, a letter, a printed e-mail. PDF, JPEG "
            "or PNG, at most 10 MB each."
        ),
    )
    attachment_kind = forms.ChoiceField(
        label=_("What kind of document?"),
        required=False,
        choices=[("", "—"), *EntryAttachment.Kind.choices],
    )
    confirm_names = forms.BooleanField(label=_("I confirm that this is needed"), required=False)

    def __init__(self, *args, kind: Kind, case, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kind = Kind(kind)
        self.show_confirm = bool(self.data.get("confirm_names"))
        keep = {"occurred_on", "description", "confirm_names", "attachments", "attachment_kind"}
        keep |= set(KIND_FIELDS[self.kind])
        # The parents' view is their own statement, not the school's observation: no tags.
        if self.kind != Kind.PARENTS_VIEW:
            keep.add("signals")
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        for name in KIND_FIELDS[self.kind]:
            if self.fields[name].required and name not in REQUIRED_FIELDS.get(self.kind, ()):
                self.fields[name].required = False
        self.fields["occurred_on"].label = DATE_LABEL.get(self.kind, _("Date"))
        self.fields["occurred_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        label, help_text = DESCRIPTION_TEXT[self.kind]
        self.fields["description"].label = label
        self.fields["description"].help_text = help_text
        if "links_to" in self.fields:
            self.fields["links_to"].queryset = Entry.objects.filter(case=case)

    def signal_groups(self) -> list[tuple[signal_list.SignalCategory, list, int]]:
        """Per category: its groups with (signal, checked), and how many are checked."""
        chosen = set(self["signals"].value() or [])
        result = []
        for category in signal_list.categories():
            groups = [
                (group.name, [(signal, signal.code in chosen) for signal in group.signals])
                for group in category.groups
            ]
            count = sum(signal.code in chosen for signal in category.signals)
            result.append((category, groups, count))
        return result

    def entry_kwargs(self) -> dict:
        data = {
            name: self.cleaned_data[name]
            for name in ("occurred_on", "description", "signals", *KIND_FIELDS[self.kind])
            if name in self.cleaned_data
        }
        if "source_consent" in data:
            data["source_consent"] = bool(data["source_consent"])
        data["names_confirmed"] = self.cleaned_data.get("confirm_names", False)
        kind = self.cleaned_data.get("attachment_kind", "")
        data["attachments"] = [(file, kind) for file in self.cleaned_data.get("attachments", [])]
        return data

    def clean(self):
        cleaned = super().clean()
        files = cleaned.get("attachments") or []
        if len(files) > MAX_ATTACHMENTS:
            self.add_error(
                "attachments",
                _("At most %(count)s attachments per entry.") % {"count": MAX_ATTACHMENTS},
            )
        if files and not cleaned.get("attachment_kind"):
            self.add_error("attachment_kind", _("Say what kind of document it is."))
        return cleaned

    def add_service_errors(self, error: ValidationError) -> None:
        """Show the service's errors next to their fields; a name hit shows the confirmation."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, errors in error.error_dict.items():
            if any(item.code == "other_pupil_name" for item in errors):
                self.show_confirm = True
            self.add_error(field if field in self.fields else None, errors)


class BodyMarkForm(GuardedForm):
    """One mark on the body map. Every field but what was said is needed once any is
    filled in; an untouched form is no mark."""

    region = forms.ChoiceField(
        label=_("Place on the body"),
        help_text=_("The child's own left and right."),
    )
    kind = forms.ChoiceField(label=_("Kind of injury"), choices=[("", "—"), *BodyMark.Kind.choices])
    size_cm = forms.DecimalField(
        label=_("Size in cm (about)"),
        min_value=decimal.Decimal("0.1"),
        max_value=BodyMark.MAX_SIZE_CM,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
        help_text=_("The longest side."),
    )
    colour = forms.CharField(
        label=_("Colour"),
        max_length=100,
        help_text=_("For example: red, blue-purple, yellow-green."),
    )
    shape = forms.ChoiceField(label=_("Shape"), choices=[("", "—"), *BodyMark.Shape.choices])
    said = forms.CharField(
        label=_("What did the child or a parent say about it?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("In their own words, and who said it. Leave empty when nothing was said."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("— choose a place —")), *body_map.region_choices()]


class BaseBodyMarkFormSet(forms.BaseFormSet):
    def marks(self) -> list[dict]:
        """The filled-in marks, in the order of the form."""
        return [
            form.cleaned_data
            for form in self.forms
            if form.has_changed() and form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


BodyMarkFormSet = forms.formset_factory(
    BodyMarkForm,
    formset=BaseBodyMarkFormSet,
    extra=MAX_MARKS,
    max_num=MAX_MARKS,
    absolute_max=MAX_MARKS,
    validate_max=True,
)
MARKS_PREFIX = "marks"


def body_mark_formset(data=None) -> BaseBodyMarkFormSet:
    """The marks of the observation form. A form without the body map (the quick form on
    the case page) posts no marks: that is a formset with no marks, not an error."""
    if data is not None and f"{MARKS_PREFIX}-TOTAL_FORMS" not in data:
        data = None
    return BodyMarkFormSet(data, prefix=MARKS_PREFIX)


class DossierFilterForm(GuardedForm):
    marks_required = False  # a search: the labels need no "(niet verplicht)"
    soort = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *Kind.choices]
    )
    signaal = forms.ChoiceField(label=_("Signal"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["signaal"].choices = [("", _("All signals")), *signal_list.choices()]

    def apply(self, entries):
        """Filter a queryset of entries in the database."""
        if not self.is_valid():
            return entries
        kind, code = self.cleaned_data["soort"], self.cleaned_data["signaal"]
        if kind:
            entries = entries.filter(kind=kind)
        if code:
            entries = entries.filter(signals__code=code)
        return entries

    @property
    def active(self) -> bool:
        return self.is_valid() and any(self.cleaned_data.values())
