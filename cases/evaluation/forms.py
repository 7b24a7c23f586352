"""Forms of the evaluation: the period, a case's evaluation, the school's themes."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cases.evaluation.models import EvaluationTheme
from meldcode.text_guard import GuardedForm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodForm(GuardedForm):
    start = forms.DateField(label=_("From"), widget=DATE)
    end = forms.DateField(label=_("To"), widget=DATE)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise ValidationError({"end": _("The end lies after the start.")})
        return data


class BoardPeriodForm(GuardedForm):
    """The board chooses a fixed period: free dates would let one day be subtracted."""

    periode = forms.ChoiceField(label=_("Period"))

    def __init__(self, *args, periods, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["periode"].choices = [(period.key, period.label) for period in periods]


class CaseEvaluationForm(GuardedForm):
    went_well = forms.CharField(
        label=_("What went well?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    themes_well = forms.ModelMultipleChoiceField(
        label=_("Themes that went well"),
        queryset=EvaluationTheme.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    should_change = forms.CharField(
        label=_("What should change?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    themes_change = forms.ModelMultipleChoiceField(
        label=_("Themes to change"),
        queryset=EvaluationTheme.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, themes, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        ids = [theme.pk for theme in themes]
        for name in ("themes_well", "themes_change"):
            self.fields[name].queryset = EvaluationTheme.objects.filter(pk__in=ids)


class ThemeForm(GuardedForm):
    name = forms.CharField(label=_("New theme"), max_length=100)
