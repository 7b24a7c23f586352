"""Forms of the signals about a staff member."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.access import colleagues
from cases.forms import PersonChoiceField
from cases.staff_signals.models import StaffSignalAction
from meldcode.models import School, User
from meldcode.text_guard import GuardedForm


class StaffSignalForm(GuardedForm):
    concerns = PersonChoiceField(label=_("About which colleague"), queryset=User.objects.none())
    description = forms.CharField(
        label=_("What did you see or hear?"),
        help_text=_("As factually as possible: date, place, what happened, who was present."),
        widget=forms.Textarea,
    )

    def __init__(self, *args, school: School, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["concerns"].queryset = colleagues(school).exclude(pk=user.pk)


class StaffSignalActionForm(GuardedForm):
    kind = forms.ChoiceField(label=_("What was done"), choices=StaffSignalAction.Kind.choices)
    occurred_on = forms.DateField(
        label=_("On"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        required=False,
        help_text=_("Empty means today."),
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea)
