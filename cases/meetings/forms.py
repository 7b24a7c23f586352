"""Forms of the talks: plan or move, report with agreements, sign-off of the parents."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.access import colleagues
from cases.forms import PersonChoiceField
from cases.glossary import GLOSSARY
from cases.meetings.models import Meeting, ParentSignoff
from meldcode.models import User
from meldcode.text_guard import GuardedForm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TEXT = forms.Textarea(attrs={"rows": 4})
AGREEMENT_ROWS = 3


class StaffField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


class MeetingForm(GuardedForm):
    # The jargon's line of help stands with the choice where the word appears, not above
    # the form as if every talk were a casuïstiekoverleg.
    kind = forms.ChoiceField(
        label=_("Kind of talk"), choices=Meeting.Kind.choices, help_text=GLOSSARY["casuistry"]
    )
    starts_at = forms.DateTimeField(
        label=_("Date and time"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M"]
    )
    place = forms.CharField(label=_("Place"), max_length=200)
    agenda = forms.CharField(
        label=_("Agenda"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text=_("Purpose first, then the facts from the logboek, then the reaction; only "
                    "then interpretation, and agreements at the end."),
    )  # fmt: skip
    staff = StaffField(
        label=_("Staff taking part"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("They get a calendar invitation without names or details."),
    )
    others = forms.CharField(
        label=_("Others taking part (name and role)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )
    teacher_stays_out = forms.BooleanField(
        label=_("The teacher stays out of this talk, to protect the relationship"),
        required=False,
    )

    def __init__(self, *args, case, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = colleagues(case.school)


class MoveForm(GuardedForm):
    starts_at = forms.DateTimeField(
        label=_("New date and time"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M"]
    )
    place = forms.CharField(label=_("Place"), max_length=200)


class ReportForm(GuardedForm):
    report = forms.CharField(label=_("Report"), widget=TEXT, max_length=20000)
    reaction = forms.CharField(
        label=_("The parents' (or pupil's) own reaction, also where they disagree"),
        widget=TEXT,
        max_length=10000,
    )

    def __init__(self, *args, case, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        people = colleagues(case.school)
        for n in range(1, AGREEMENT_ROWS + 1):
            self.fields[f"agreement_{n}"] = forms.CharField(
                label=_("Agreement %(n)s") % {"n": n}, required=False, max_length=2000
            )
            self.fields[f"agreement_{n}_owner"] = PersonChoiceField(
                label=_("Who"), queryset=people, required=False
            )
            self.fields[f"agreement_{n}_due_on"] = forms.DateField(
                label=_("By when"), widget=DATE, required=False
            )

    def agreement_rows(self):
        return [
            (self[f"agreement_{n}"], self[f"agreement_{n}_owner"], self[f"agreement_{n}_due_on"])
            for n in range(1, AGREEMENT_ROWS + 1)
        ]

    def clean(self):
        data = super().clean()
        for n in range(1, AGREEMENT_ROWS + 1):
            parts = [data.get(f"agreement_{n}{suffix}") for suffix in ("", "_owner", "_due_on")]
            if any(parts) and not all(parts):
                self.add_error(f"agreement_{n}", _("An agreement says what, who and by when."))
        return data

    def agreements(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "description": data[f"agreement_{n}"],
                "owner": data[f"agreement_{n}_owner"],
                "due_on": data[f"agreement_{n}_due_on"],
            }
            for n in range(1, AGREEMENT_ROWS + 1)
            if data.get(f"agreement_{n}")
        ]


class ParentSignoffForm(GuardedForm):
    status = forms.ChoiceField(
        label=_("The parents"), choices=ParentSignoff.Status.choices, widget=forms.RadioSelect
    )
    on = forms.DateField(label=_("Date"), widget=DATE, initial=dt.date.today)
    scan = forms.FileField(
        label=_("Scan of the signed report (PDF, JPEG or PNG, at most 10 MB)"), required=False
    )
