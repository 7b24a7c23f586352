"""The form of Snel vastleggen: which pupil, and where the observation goes. The
observation's own fields are the dossier's observation form (`cases.dossier.forms.EntryForm`)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.dossier.forms import EntryForm
from cases.dossier.models import Entry
from meldcode.models import Pupil, School
from meldcode.text_guard import GuardedForm

EXISTING, SECOND = "bestaande", "tweede"
# Fields of the observation form that Snel vastleggen leaves out (the full form has them).
LEFT_OUT = ("attachments", "attachment_kind")


class PupilField(forms.ModelChoiceField):
    def label_from_instance(self, pupil: Pupil) -> str:
        if pupil.group:
            return f"{pupil.full_name} ({_('group')} {pupil.group})"
        return pupil.full_name


class QuickRecordForm(GuardedForm):
    leerling = forms.CharField(
        label=_("Pupil"),
        required=False,
        max_length=100,
        help_text=_("Type part of the name and choose the pupil."),
    )
    pupil = PupilField(
        label=_("Choose the pupil"),
        queryset=Pupil.objects.none(),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Choose a pupil: type part of the name and choose from the list."),
            "invalid_choice": _("Choose a pupil of your school from the list."),
        },
    )
    bestemming = forms.ChoiceField(
        label=_("This pupil already has an open case"),
        choices=[
            (EXISTING, _("Add the observation to that case")),
            (SECOND, _("Open a second case beside it")),
        ],
        required=False,
        initial=EXISTING,
        widget=forms.RadioSelect,
    )
    second_case_reason = forms.CharField(
        label=_("Why a second case?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required for a second case; it is kept with the opening of the case."),
    )

    def __init__(self, *args, school: School, results=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["pupil"]
        field.queryset = school.pupils.all()
        if results is not None:
            # Without JavaScript: the pupils found by "Zoeken" as a list to choose from.
            field.widget = forms.Select()
            field.label = _("Choose the pupil")
            field.widget.choices = [
                ("", _("Choose a pupil")),
                *[(pupil.pk, field.label_from_instance(pupil)) for pupil in results],
            ]

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("bestemming") == SECOND
            and not cleaned.get("second_case_reason", "").strip()
        ):
            self.add_error(
                "second_case_reason", _("Say why a second case is needed beside the open one.")
            )
        return cleaned

    def second_case_reason_or_none(self) -> str | None:
        """The reason when a second case is asked for; None adds to the open case."""
        if self.cleaned_data.get("bestemming") != SECOND:
            return None
        return self.cleaned_data.get("second_case_reason", "")


def observation_form(data=None, initial=None) -> EntryForm:
    """The dossier's observation form, without the attachments (those go on the case page)."""
    form = EntryForm(
        data,
        kind=Entry.Kind.OBSERVATION,
        case=None,
        initial=initial or {"occurred_on": timezone.localdate()},
    )
    for name in LEFT_OUT:
        del form.fields[name]
    # One screen, also on a phone: shorter labels instead of a line of help under each.
    fields = form.fields
    fields["description"].widget.attrs["rows"] = 2
    fields["description"].help_text = _("Only facts, no interpretation.")
    fields["occurred_on"].label = _("Date")
    fields["others_present"].label = _("Others present (initials only)")
    for name in ("place", "situation", "others_present"):
        fields[name].help_text = ""
    return form
