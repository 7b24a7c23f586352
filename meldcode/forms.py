from django import forms
from django.utils.translation import gettext_lazy as _

from meldcode.models import School
from meldcode.text_guard import GuardedForm, GuardedModelForm


class SchoolSwitchForm(GuardedForm):
    school = forms.ModelChoiceField(queryset=None, label=_("School"), empty_label=None)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = user.schools()


class PupilImportForm(GuardedForm):
    file = forms.FileField(
        label=_("CSV file from the pupil administration"),
        help_text=_(
            "Columns: voornaam, tussenvoegsel, achternaam, geboortedatum, groep. "
            "Separated by ; or , (as Excel saves it)."
        ),
    )


class RetentionForm(GuardedModelForm):
    """The school's bewaartermijn for closed cases (the directie sets it)."""

    class Meta:
        model = School
        fields = ["retention_years", "retention_from"]
        help_texts = {
            "retention_years": _(
                "Between 1 and 20 years. The protocol keeps the signals until two years after "
                "the pupil left the school."
            ),
        }
