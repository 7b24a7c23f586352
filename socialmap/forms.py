from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meldcode.models import Board, School
from meldcode.text_guard import GuardedForm, GuardedModelForm
from socialmap.models import BoardTemplate, Category, Organisation

CONTACT_FIELDS = [
    "name",
    "category",
    "contact_person",
    "address",
    "phone",
    "email",
    "website",
    "notes",
]
CONTACT_WIDGETS = {
    "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    "notes": forms.Textarea(attrs={"rows": 4}),
}
DUPLICATE = _("The social map already has an entry with this name in this category.")


def _explain_contact_fields(form: forms.ModelForm) -> None:
    form.fields["category"].choices = [("", _("Choose a category")), *Category.choices]
    form.fields["phone"].help_text = _("For example 0118-677600, 0800-2000 or 112.")


class OrganisationForm(GuardedModelForm):
    class Meta:
        model = Organisation
        fields = [*CONTACT_FIELDS, "last_checked"]
        widgets = {
            **CONTACT_WIDGETS,
            "last_checked": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, school: School, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.school = school
        self.instance.school = school
        _explain_contact_fields(self)
        # A callable model default makes Django compare against a hidden initial value,
        # which the CSV import does not send: compare against the instance instead.
        self.fields["last_checked"].show_hidden_initial = False

    def clean_last_checked(self) -> dt.date:
        checked = self.cleaned_data["last_checked"]
        if checked > timezone.localdate():
            raise forms.ValidationError(_("The date of the last check cannot be in the future."))
        return checked

    def clean(self) -> dict:
        data = super().clean()
        name, category = data.get("name"), data.get("category")
        # The unique constraint names the school, which is not a form field, so Django
        # would not check it here: say it next to the name instead of failing on save.
        if name and category:
            twins = (
                Organisation.objects.active()
                .filter(school=self.school, name__iexact=name, category=category)
                .exclude(pk=self.instance.pk)
            )
            if twins.exists():
                self.add_error("name", DUPLICATE)
        return data


class BoardTemplateForm(GuardedModelForm):
    class Meta:
        model = BoardTemplate
        fields = CONTACT_FIELDS
        widgets = CONTACT_WIDGETS

    def __init__(self, *args, board: Board, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.board = board
        self.instance.board = board
        _explain_contact_fields(self)

    def clean(self) -> dict:
        data = super().clean()
        name, category = data.get("name"), data.get("category")
        if name and category:
            twins = BoardTemplate.objects.filter(
                board=self.board, name__iexact=name, category=category
            ).exclude(pk=self.instance.pk)
            if twins.exists():
                self.add_error("name", DUPLICATE)
        return data


class SearchForm(GuardedForm):
    marks_required = False  # a search: the labels need no "(niet verplicht)"
    q = forms.CharField(label=_("Search by name"), required=False, max_length=100)
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("All categories")), *Category.choices],
    )
    archived = forms.BooleanField(label=_("Show archived entries"), required=False)


class ImportForm(GuardedForm):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Use the columns of the CSV export. Entries with the same name and category "
            "are updated, the others are added."
        ),
    )
