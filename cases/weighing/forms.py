"""The weighing form: the afwegingsvragen with their reasoning, then the two decisions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.weighing.models import Answer, WeighedWith
from cases.weighing.services import QUESTIONS, WEIGHED_HERE
from meldcode.text_guard import GuardedForm

YES_NO = [(Answer.YES.value, Answer.YES.label), (Answer.NO.value, Answer.NO.label)]
DECISION = [("yes", _("yes")), ("no", _("no"))]


def _to_bool(value: str) -> bool:
    return value == "yes"


# The definitions of the afwegingskader (2019), beside question 2.
UNSAFETY_DEFINITIONS = _(
    "Acute unsafety: someone is in a situation of (threatening) physical or sexual violence, "
    "severe neglect or danger to life, so that acting at once is needed to make them safe. "
    "Structural unsafety: violence or neglect that recurs, a chronic situation of physical, "
    "psychological or sexual unsafety, or earlier help that did not make the situation "
    "lastingly safe. Doubt counts as yes."
)


class WeighingForm(GuardedForm):
    weighed_with = forms.MultipleChoiceField(
        label=_("Weighed together with"),
        help_text=_("The seeds weigh together: name every role that weighed along."),
        choices=WeighedWith.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    staff_involved = forms.BooleanField(
        label=_("A staff member of the school is involved in the signals"), required=False
    )
    board_informed = forms.BooleanField(
        label=_("The bevoegd gezag (the board) knows"),
        help_text=_("Required when a staff member is involved (seed 001, bijlage 4)."),
        required=False,
    )
    veilig_thuis_contact = forms.CharField(
        label=_("Contact with Veilig Thuis"),
        help_text=_(
            "With question 2 answered yes or doubt, questions 3 and 4 are answered together "
            "with Veilig Thuis: when, with whom, what was agreed."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )
    report_needed = forms.TypedChoiceField(
        label=_("Is a report to Veilig Thuis necessary?"),
        choices=DECISION,
        coerce=_to_bool,
        widget=forms.RadioSelect,
        required=False,
    )
    help_possible = forms.TypedChoiceField(
        label=_("Is help (also) possible?"),
        choices=DECISION,
        coerce=_to_bool,
        widget=forms.RadioSelect,
        required=False,
    )
    reason = forms.CharField(
        label=_("Reason, if the decision deviates from the advice"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        answer_fields = {}
        for question in WEIGHED_HERE:
            choices = YES_NO + ([(Answer.DOUBT.value, Answer.DOUBT.label)] if question == 2 else [])
            answer_fields[f"q{question}"] = forms.ChoiceField(
                label=f"{question}. {QUESTIONS[question]}",
                choices=choices,
                widget=forms.RadioSelect,
                required=False,
                help_text=UNSAFETY_DEFINITIONS if question == 2 else "",
            )
            answer_fields[f"q{question}_reasoning"] = forms.CharField(
                label=_("Reasoning"),
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                max_length=5000,
            )
        self.fields = {**answer_fields, **self.fields}

    def questions(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"q{q}"], self[f"q{q}_reasoning"]) for q in WEIGHED_HERE]

    def answers(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {
            q: (data.get(f"q{q}") or "", data.get(f"q{q}_reasoning") or "")
            for q in WEIGHED_HERE
            if data.get(f"q{q}")
        }

    def plain_answers(self) -> dict[int, str]:
        return {q: answer for q, (answer, _reasoning) in self.answers().items()}

    def clean(self):
        data = super().clean()
        for field in ("report_needed", "help_possible"):
            if data.get(field) in (None, "") and self.data.get("record"):
                self.add_error(field, _("Decide yes or no."))
        return data
