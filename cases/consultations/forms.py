"""Forms of step 2: a consultation, the parents' consent, the Verwijsindex."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.consultations.models import Consent, Consultation
from meldcode.text_guard import GuardedForm
from socialmap.models import Organisation

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})


class ConsultationForm(GuardedForm):
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    party = forms.ChoiceField(
        label=_("With whom"), choices=Consultation.Party.choices, widget=forms.RadioSelect
    )
    colleague_role = forms.CharField(
        label=_("Colleague (role)"),
        required=False,
        max_length=100,
        help_text=_("A role, not a name: for example zorgteam, remedial teacher."),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), required=False
    )
    anonymous = forms.BooleanField(
        label=_("Anonymous: the pupil was not named"),
        required=False,
        help_text=_(
            "Outside the school, a pupil is discussed by name only with the parents' written "
            "consent. Veilig Thuis can always be asked for advice anonymously."
        ),
    )
    question = forms.CharField(label=_("Question"), widget=TEXT, max_length=5000)
    advice = forms.CharField(label=_("Advice received"), widget=TEXT, max_length=5000)

    def __init__(self, *args, school, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Only the fields of the chosen party are shown (static/js/forms.js); the service
        # ignores the others, so the form also works without JavaScript.
        self.fields["colleague_role"].show_when = ("party", [Consultation.Party.COLLEAGUE])
        self.fields["organisation"].show_when = ("party", [Consultation.Party.ORGANISATION])
        self.fields["colleague_role"].required_when_shown = True
        self.fields["organisation"].required_when_shown = True
        self.fields["anonymous"].show_when = (
            "party",
            [Consultation.Party.ORGANISATION, Consultation.Party.VEILIG_THUIS],
        )
        self.fields["organisation"].queryset = Organisation.objects.filter(
            school=school, archived_at__isnull=True
        ).order_by("name")


class ConsentForm(GuardedForm):
    status = forms.ChoiceField(
        label=_("Consent of the parents"), choices=Consent.Status.choices, widget=forms.RadioSelect
    )
    on = forms.DateField(label=_("Date"), widget=DATE)
    form = forms.FileField(
        label=_("Signed form (PDF, JPEG or PNG, at most 10 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )
    note = forms.CharField(label=_("Note"), widget=TEXT, required=False, max_length=5000)


class VerwijsindexForm(GuardedForm):
    registered = forms.TypedChoiceField(
        label=_("Registered in the Verwijsindex?"),
        choices=[("no", _("no, considered and not registered")), ("yes", _("yes"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    registered_on = forms.DateField(label=_("Registered on"), widget=DATE, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["registered_on"].show_when = ("registered", ["yes"])
        self.fields["registered_on"].required_when_shown = True

    note = forms.CharField(label=_("What was considered"), widget=TEXT, max_length=5000)
