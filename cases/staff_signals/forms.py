"""Forms of the signals about anyone working at the school."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.access import colleagues
from cases.forms import PersonChoiceField
from cases.staff_signals.models import PersonRole, StaffSignalAction, Suspicion
from meldcode.forms import GuardedModelForm
from meldcode.models import Board, Pupil, School, User
from meldcode.text_guard import GuardedForm


class StaffSignalForm(GuardedForm):
    concerns = PersonChoiceField(
        label=_("About which colleague"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Someone with an account at this school."),
    )
    concerns_name = forms.CharField(
        label=_("Or: the name of the person"),
        max_length=200,
        required=False,
        help_text=_(
            "Someone without an account who has tasks at the school: an overblijfkracht, a "
            "volunteer, an intern, a gym teacher from outside, a driver, a board member."
        ),
    )
    concerns_role = forms.ChoiceField(
        label=_("Their task at the school"),
        choices=[("", "—"), *PersonRole.choices],
        required=False,
    )
    description = forms.CharField(
        label=_("What did you see or hear?"),
        help_text=_("As factually as possible: date, place, what happened, who was present."),
        widget=forms.Textarea,
    )

    def __init__(self, *args, school: School, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["concerns"].queryset = colleagues(school).exclude(pk=user.pk)
        self.fields["concerns"].empty_label = _("Someone without an account (name below)")

    def clean(self) -> dict:
        data = super().clean()
        if data.get("concerns") and (data.get("concerns_name") or data.get("concerns_role")):
            self.add_error("concerns_name", _("Choose a colleague or give a name, not both."))
        elif not data.get("concerns"):
            if not data.get("concerns_name"):
                self.add_error(
                    "concerns_name", _("Choose a colleague, or give the name of the person.")
                )
            if not data.get("concerns_role"):
                self.add_error("concerns_role", _("Choose the person's task at the school."))
        return data


class StaffSignalActionForm(GuardedForm):
    kind = forms.ChoiceField(label=_("What was done"), choices=StaffSignalAction.Kind.choices)
    occurred_on = forms.DateField(
        label=_("On"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        required=False,
        help_text=_("Empty means today."),
    )
    suspicion = forms.ChoiceField(
        label=_("Outcome of the consultation: is there a redelijk vermoeden?"),
        choices=[("", "—"), *Suspicion.choices],
        required=False,
        help_text=_("Only for a consultation with the vertrouwensinspecteur."),
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea)


class StaffSignalPupilForm(GuardedForm):
    pupil = forms.ModelChoiceField(
        label=_("Pupil the signal concerns"), queryset=Pupil.objects.none()
    )

    def __init__(self, *args, school: School, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pupil"].queryset = Pupil.objects.filter(school=school).order_by(
            "last_name", "first_name", "pk"
        )
        self.fields["pupil"].label_from_instance = lambda pupil: (
            f"{pupil.full_name} ({pupil.group})" if pupil.group else pupil.full_name
        )


class StaffSignalRetentionForm(GuardedModelForm):
    """The board's term for closed staff signals."""

    class Meta:
        model = Board
        fields = ["staff_signal_retention_years"]
        help_texts = {
            "staff_signal_retention_years": _(
                "Counted from the day a signal is closed; between 1 and 20 years. The default "
                "of five years is the civil limitation period during which the board may "
                "have to show what it did with a signal."
            ),
        }
