"""Forms of an inzage: the request, the extension, the refusal, and the review of a part."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cases.forms import PersonChoiceField
from cases.inzage.models import Ground, Requester
from meldcode.text_guard import GuardedForm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})


class RequestForm(GuardedForm):
    requester = forms.ChoiceField(
        label=_("Who asked"), choices=Requester.choices, widget=forms.RadioSelect
    )
    requester_name = forms.CharField(
        label=_("Name of who asked"),
        max_length=200,
        help_text=_("Check that a parent has parental authority (gezag) before answering."),
    )
    received_on = forms.DateField(label=_("Received on"), widget=DATE)
    handled_by = PersonChoiceField(label=_("Handled by"), queryset=None)

    def __init__(self, *args, handlers, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handled_by"].queryset = handlers


class ExtendForm(GuardedForm):
    told_on = forms.DateField(label=_("Who asked was told of the extension on"), widget=DATE)
    reason = forms.CharField(label=_("Reason for the extension"), widget=TEXT, max_length=5000)


class RefuseForm(GuardedForm):
    reason = forms.CharField(
        label=_("Reason for the refusal, as told to who asked"), widget=TEXT, max_length=5000
    )


def span_value(key: str, start: int, end: int) -> str:
    return f"{key}:{start}:{end}"


def parse_span(value: str) -> tuple[str, int, int]:
    key, start, end = value.rsplit(":", 2)
    return key, int(start), int(end)


class UnitForm(GuardedForm):
    """The review of one part: the suggestions kept ticked are left out; a span marked by
    hand stays marked while ticked; more words to leave out, one per line; and, for a
    dossier entry, whether it is withheld and why."""

    accept = forms.MultipleChoiceField(
        label=_("Leave out"), required=False, widget=forms.CheckboxSelectMultiple
    )
    keep = forms.MultipleChoiceField(
        label=_("Marked by hand"), required=False, widget=forms.CheckboxSelectMultiple
    )
    hide = forms.CharField(
        label=_("Also leave out (the exact words, one per line)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )
    ground = forms.ChoiceField(
        label=_("Not for inspection"),
        choices=[("", _("— given for inspection —")), *Ground.choices],
        required=False,
    )
    explanation = forms.CharField(
        label=_("Why (kept by the school, not shown to who asked)"),
        widget=TEXT,
        required=False,
        max_length=5000,
    )

    def __init__(
        self,
        *args,
        unit: dict,
        suggestions: list[str],
        marked: list[str],
        withhold: bool = True,
        **kwargs,
    ):
        # Many parts on one page: ids unique per part, names the same for every part.
        kwargs.setdefault("auto_id", f"id_{unit['key']}_%s")
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.fields["accept"].choices = [(value, value) for value in suggestions]
        self.fields["keep"].choices = [(value, value) for value in marked]
        if unit["entry_id"] is None or not withhold:  # only an entry of the parents' copy
            del self.fields["ground"]
            del self.fields["explanation"]

    def clean_hide(self) -> list[tuple[str, int, int]]:
        """Every place in the part's texts where a line occurs, as (text key, start, end)."""
        from cases.pdf.redaction import text_key

        spans, missing = [], []
        for line in (self.cleaned_data.get("hide") or "").splitlines():
            words = line.strip()
            if not words:
                continue
            found = False
            for text in self.unit["texts"]:
                at = text.find(words)
                while at != -1:
                    spans.append((text_key(text), at, at + len(words)))
                    found = True
                    at = text.find(words, at + len(words))
            if not found:
                missing.append(words)
        if missing:
            raise ValidationError(
                _("These words are not in the texts of this part: %(words)s")
                % {"words": "; ".join(missing)}
            )
        return spans

    def clean(self):
        data = super().clean()
        if data.get("ground") and not (data.get("explanation") or "").strip():
            self.add_error("explanation", _("Explain why this entry is not given for inspection."))
        return data
