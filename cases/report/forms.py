"""Forms of the report to Veilig Thuis and of Veilig Thuis's answers."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.access import colleagues
from cases.forms import PersonChoiceField
from cases.report.models import Assessment, NotToldReason, ReportException, Response
from meldcode.text_guard import GuardedForm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})


class ReportForm(GuardedForm):
    parents_told_on = forms.DateField(
        label=_("Talk with the parents about the intended report, on"),
        widget=DATE,
        required=False,
    )
    parents_not_told_reason = forms.ChoiceField(
        label=_("Or: why the parents were not told first"),
        choices=[("", _("— they were told —")), *NotToldReason.choices],
        required=False,
    )
    parents_not_told_explanation = forms.CharField(
        label=_("Explanation"), widget=TEXT, required=False, max_length=5000
    )
    pupil_told_on = forms.DateField(
        label=_("The pupil (12 or older) was told on"), widget=DATE, required=False
    )
    pupil_not_told_reason = forms.CharField(
        label=_("Or: why the pupil was not told"), widget=TEXT, required=False, max_length=5000
    )
    objections = forms.CharField(
        label=_("Objections of the parents or the pupil"),
        widget=TEXT,
        required=False,
        max_length=5000,
    )
    objections_weighed = forms.CharField(
        label=_("How the objections were weighed"), widget=TEXT, required=False, max_length=5000
    )
    reported_on = forms.DateField(label=_("Reported on"), widget=DATE)
    reported_by = PersonChoiceField(label=_("Reported by"), queryset=None)
    reference = forms.CharField(label=_("Veilig Thuis's reference"), required=False, max_length=100)

    def __init__(self, *args, case, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reported_by"].queryset = colleagues(case.school)


class ReportExceptionForm(GuardedForm):
    kind = forms.ChoiceField(
        label=_("Why there is no report of its own"),
        choices=ReportException.Kind.choices,
        widget=forms.RadioSelect,
    )
    on = forms.DateField(label=_("Date of the contact with Veilig Thuis"), widget=DATE)
    vt_employee_role = forms.CharField(
        label=_("Role of the Veilig Thuis employee (with advice)"),
        help_text=_("For example adviseur or triagist; no name is needed."),
        required=False,
        max_length=100,
    )
    reference = forms.CharField(
        label=_("Veilig Thuis's reference (with the noodsituatie call)"),
        required=False,
        max_length=100,
    )
    explanation = forms.CharField(label=_("What Veilig Thuis said"), widget=TEXT, max_length=5000)


class ResponseForm(GuardedForm):
    # Answers recorded before the safety assessment existed keep the old kind; new answers
    # are the assessment, the conclusion or feedback.
    kind = forms.ChoiceField(
        label=_("What Veilig Thuis let you know"),
        choices=[(k, label) for k, label in Response.Kind.choices if k != Response.Kind.DECISION],
        widget=forms.RadioSelect,
    )
    received_on = forms.DateField(label=_("Received on"), widget=DATE)
    assessment = forms.ChoiceField(
        label=_("How the safety assessment ended"),
        choices=[("", "—"), *Assessment.choices],
        required=False,
    )
    conclusion = forms.ChoiceField(
        label=_("Conclusion"),
        choices=[("", "—"), *Response.Conclusion.choices],
        required=False,
    )
    note = forms.CharField(
        label=_("What Veilig Thuis said"), widget=TEXT, required=False, max_length=5000
    )
    school_follow_up = forms.CharField(
        label=_("What the school still does"), widget=TEXT, required=False, max_length=5000
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Only the field of the chosen kind of answer shows (static/js/forms.js); the
        # service asks for it when that kind is chosen.
        self.fields["assessment"].show_when = ("kind", [Response.Kind.ASSESSMENT])
        self.fields["conclusion"].show_when = ("kind", [Response.Kind.CONCLUSION])
        self.fields["assessment"].required_when_shown = True
        self.fields["conclusion"].required_when_shown = True
