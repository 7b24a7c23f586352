from django import forms
from django.utils.translation import gettext_lazy as _

from meldcode.models import Pupil, School, pupils_matching
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
            "Columns: voornaam, tussenvoegsel, achternaam, geboortedatum, groep, and "
            "optionally uitschrijfdatum (the day the pupil leaves the school). Separated by ; "
            "or , (as Excel saves it)."
        ),
    )


class StaffImportForm(GuardedForm):
    file = forms.FileField(
        label=_("CSV file with the staff"),
        help_text=_(
            "Columns: naam, e-mail, school, rol (leerkracht, ib, aandachtsfunctionaris or "
            "directie; one row per role). Separated by ; or , (as Excel saves it)."
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


PUPIL_RESULTS = 25


class PupilSearchForm(GuardedForm):
    """Find the pupil by name or group: a school's whole list is never sent to the page."""

    marks_required = False  # a search: the labels need no "(niet verplicht)"

    zoek = forms.CharField(label=_("Name"), required=False, max_length=100)
    groep = forms.ChoiceField(label=_("Group"), required=False)

    def __init__(self, *args, school: School, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        groups = (
            school.pupils.exclude(group="").order_by("group").values_list("group", flat=True)
        ).distinct()
        self.fields["groep"].choices = [
            ("", _("All groups")),
            *[(group, group) for group in dict.fromkeys(groups)],
        ]

    def results(self, school: School) -> tuple[list[Pupil], bool]:
        """Up to PUPIL_RESULTS matching pupils, and whether there were more."""
        if not self.is_valid() or not (self.cleaned_data["zoek"] or self.cleaned_data["groep"]):
            return [], False
        found = list(
            pupils_matching(school, self.cleaned_data["zoek"], self.cleaned_data["groep"])[
                : PUPIL_RESULTS + 1
            ]
        )
        return found[:PUPIL_RESULTS], len(found) > PUPIL_RESULTS


class PupilLeftForm(GuardedForm):
    left_on = forms.DateField(
        label=_("Left the school on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Empty when the pupil did not leave after all."),
    )


class StaffAddForm(GuardedForm):
    """One new colleague (meldcode.staff): the schools and roles the actor may give."""

    name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("The new colleague signs in with this address and gets the e-mail here."),
    )
    school = forms.ModelChoiceField(queryset=None, label=_("School"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=())

    def __init__(self, *args, schools, roles, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["role"].choices = roles
        if len(only := list(schools[:2])) == 1:
            self.fields["school"].empty_label = None
            self.fields["school"].initial = only[0].pk
