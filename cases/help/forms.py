"""Forms of the help plan and its evaluation."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.help.models import HelpEvaluation
from meldcode.text_guard import GuardedForm
from socialmap.models import Organisation

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})


class HelpPlanForm(GuardedForm):
    by_school = forms.BooleanField(
        label=_("The school itself gives the help (a handelingsplan in the class)"),
        required=False,
    )
    carried_by = forms.CharField(
        label=_("Who carries the handelingsplan in the school"),
        help_text=_("For example the teacher of group 5, with the ib'er."),
        required=False,
        max_length=200,
    )
    organisation = forms.ModelChoiceField(
        label=_("Or: an organisation of the sociale kaart"),
        queryset=Organisation.objects.none(),
        required=False,
    )
    help_offered = forms.CharField(label=_("What help"), widget=TEXT, max_length=5000)
    case_manager = forms.CharField(
        label=_("Case manager"),
        max_length=200,
        help_text=_("The person who coordinates the help, with their role or organisation."),
    )
    results_agreed = forms.CharField(label=_("Results agreed"), widget=TEXT, max_length=5000)
    term = forms.DateField(label=_("Effect must show by"), widget=DATE)

    field_order = [
        "by_school", "carried_by", "organisation", "help_offered", "case_manager",
        "results_agreed", "term",
    ]  # fmt: skip

    def __init__(self, *args, school, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            school=school, archived_at__isnull=True
        ).order_by("name")


class ArrivedForm(GuardedForm):
    arrived_on = forms.DateField(label=_("Arrived at the help on"), widget=DATE)


class HelpEvaluationForm(GuardedForm):
    held_on = forms.DateField(label=_("Date of the evaluation"), widget=DATE)
    result = forms.CharField(label=_("Result"), widget=TEXT, max_length=5000)
    results_reached = forms.TypedChoiceField(
        label=_("Question 5: does the help reach the agreed results within the agreed term?"),
        choices=[("yes", _("yes")), ("no", _("no"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    outcome = forms.ChoiceField(
        label=_("What follows"), choices=HelpEvaluation.Outcome.choices, widget=forms.RadioSelect
    )
    next_term = forms.DateField(
        label=_("Next term"),
        widget=DATE,
        required=False,
        help_text=_("When the help continues: the date of the next evaluation."),
    )
