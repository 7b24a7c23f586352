"""Forms of the leaving checklist, one per item, and of the close "leerling vertrokken"."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.leaving.models import ContactRole, HandoverGround, Item
from meldcode.text_guard import GuardedForm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})


class _ItemForm(GuardedForm):
    item: Item
    occurred_on = forms.DateField(label=_("On"), widget=DATE)

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("prefix", self.item.value)
        super().__init__(*args, **kwargs)


class ParentsForm(_ItemForm):
    item = Item.PARENTS
    note = forms.CharField(
        label=_("How were the parents informed, and how did they react?"),
        widget=TEXT,
        max_length=5000,
    )


class VeiligThuisForm(_ItemForm):
    item = Item.VEILIG_THUIS
    report_needed = forms.TypedChoiceField(
        label=_("Is a report to Veilig Thuis needed now that the family leaves?"),
        choices=[("yes", _("yes, reported")), ("no", _("no"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reported_on = forms.DateField(label=_("Reported on"), widget=DATE, required=False)
    note = forms.CharField(
        label=_("Why (the weighing, in a few sentences)"), widget=TEXT, max_length=5000
    )


class HandoverForm(_ItemForm):
    item = Item.HANDOVER
    receiving_school = forms.CharField(label=_("Receiving school"), max_length=200)
    contact_name = forms.CharField(label=_("With whom"), max_length=200)
    contact_role = forms.ChoiceField(
        label=_("Their role"), choices=ContactRole.choices, widget=forms.RadioSelect
    )
    ground = forms.ChoiceField(
        label=_("On which ground"), choices=HandoverGround.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("What was shared"), widget=TEXT, max_length=5000)


class RapportForm(_ItemForm):
    item = Item.RAPPORT
    occurred_on = forms.DateField(label=_("Put in the onderwijskundig rapport on"), widget=DATE)


ITEM_FORMS: dict[str, type[_ItemForm]] = {
    form.item.value: form for form in (ParentsForm, VeiligThuisForm, HandoverForm, RapportForm)
}


class DepartureCloseForm(GuardedForm):
    reason = forms.CharField(widget=TEXT, max_length=5000)

    def __init__(self, *args, **kwargs) -> None:
        from cases.workflow import DEPARTURE_QUESTION

        kwargs.setdefault("prefix", "departure")
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = DEPARTURE_QUESTION
