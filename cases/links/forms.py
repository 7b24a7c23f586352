"""The form that links the case of a brother or sister."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from meldcode.text_guard import GuardedForm


class CaseLinkForm(GuardedForm):
    other = forms.ModelChoiceField(
        label=_("Case of a brother or sister"), queryset=Case.objects.none()
    )

    def __init__(self, *args, choices, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["other"].queryset = choices
        self.fields["other"].label_from_instance = lambda case: f"{case} · {case.pupil.full_name}"
