"""Forms for every input of the route; they parse, the services decide."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.access import CasePeople, colleagues
from cases.matrix import MATRIX_ROLES
from cases.models import AccessChange, Case, EmergencyCall
from cases.workflow import REASON_CATEGORIES, Step, reason_question
from meldcode.models import Pupil, Role, School, User
from meldcode.text_guard import GuardedForm
from socialmap.models import Organisation


class _PeopleChoices(ModelChoiceIterator):
    """The choices of a `PersonChoiceField`: from its list of people when it was given one
    (no query), else from its queryset."""

    def __iter__(self):
        people = self.field.loaded_people
        if people is None:
            # A school's staff, read at once: Django's own iterator streams the rows
            # through a server-side cursor, three round trips on PostgreSQL.
            people = self.queryset
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for person in people:
            yield self.choice(person)

    def __len__(self) -> int:
        people = self.field.loaded_people
        if people is None:
            return super().__len__()
        return len(people) + (1 if self.field.empty_label is not None else 0)

    def __bool__(self) -> bool:
        people = self.field.loaded_people
        if people is None:
            return super().__bool__()
        return self.field.empty_label is not None or bool(people)


class PersonChoiceField(forms.ModelChoiceField):
    """A choice of one person. Given `people` (a list already loaded, in the order to show),
    it shows them without a query and accepts only them."""

    iterator = _PeopleChoices
    loaded_people: list[User] | None = None

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("empty_label", _("Choose a person"))
        super().__init__(*args, **kwargs)

    def set_people(self, people: list[User]) -> None:
        self.loaded_people = list(people)
        self.queryset = User.objects.filter(pk__in=[person.pk for person in self.loaded_people])

    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


def in_user_order(people: list[User]) -> list[User]:
    """`people`, in name order, as `User.Meta.ordering` lists them: the same full name is
    ordered by username (instead of by id)."""
    first_at: dict[tuple[str, str], int] = {}
    for index, person in enumerate(people):
        first_at.setdefault((person.first_name, person.last_name), index)
    return sorted(people, key=lambda p: (first_at[(p.first_name, p.last_name)], p.username))


def apply_errors(form: forms.Form, error: ValidationError, rename: dict | None = None) -> None:
    """Put a service's ValidationError next to the matching field (else above the form)."""
    rename = rename or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        target = rename.get(field, field)
        form.add_error(target if target in form.fields else None, messages)


class CaseFilterForm(GuardedForm):
    marks_required = False  # a search: the labels need no "(niet verplicht)"
    q = forms.CharField(label=_("Search pupil"), required=False, max_length=100)
    step = forms.ChoiceField(label=_("Step"), required=False)
    responsible = PersonChoiceField(
        label=_("Responsible"), queryset=User.objects.none(), required=False
    )
    overdue = forms.BooleanField(label=_("Only cases past the term of their step"), required=False)

    def __init__(self, *args, school: School | None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [("", _("All steps")), *Step.choices]
        self.fields["responsible"].empty_label = _("Everyone")
        if school is not None:
            self.fields["responsible"].queryset = colleagues(school)


class PupilChoiceField(forms.ModelChoiceField):
    """Pupils by name and group. A pupil with an open case the user can see gets a link to
    it (the page shows it), so that signals go to that case rather than to a second one.
    Cases the user may not see are never hinted at."""

    def label_from_instance(self, pupil: Pupil) -> str:
        if pupil.group:
            return f"{pupil.full_name} ({_('group')} {pupil.group})"
        return pupil.full_name


class CaseOpenForm(GuardedForm):
    pupil = PupilChoiceField(
        label=_("Pupil"),
        queryset=Pupil.objects.none(),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a pupil: search by name or group first.")},
    )

    def __init__(self, *args, school: School, user: User, results=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["pupil"]
        # Any pupil of the school is valid; only the search results are shown.
        field.queryset = school.pupils.all()
        field.empty_label = None
        shown = [pupil.pk for pupil in results]
        # Per pupil shown, the newest open case the user may see (ordered oldest first).
        self.open_cases: dict[int, int] = dict(
            Case.objects.visible_to(user)
            .open()
            .filter(school=school, pupil_id__in=shown)
            .order_by("opened_at", "pk")
            .values_list("pupil_id", "pk")
        )
        field.widget.choices = [
            (ModelChoiceIteratorValue(pupil.pk, pupil), field.label_from_instance(pupil))
            for pupil in results
        ]

    def clean_pupil(self) -> Pupil:
        """Never a silent second case: a pupil with an open case (seen or not) gets the
        observation in that case through Snel vastleggen, where a second case needs a
        reason (cases.quick)."""
        pupil = self.cleaned_data["pupil"]
        if Case.objects.filter(pupil=pupil).open().exists():
            raise ValidationError(
                _(
                    "This pupil already has an open case. Record what you saw with "
                    "'Snel vastleggen' on the start page: it goes into that case. A second "
                    "case beside it is only opened there, with the reason."
                ),
                code="open_case",
            )
        return pupil

    def pupil_choices(self) -> list[tuple]:
        """Each radio of the pupils shown, with the number of its open case (or None)."""
        return [(radio, self.open_cases.get(radio.data["value"].value)) for radio in self["pupil"]]


class SeenStepForm(GuardedForm):
    """The step the user saw when they chose a move (guards against a stale page)."""

    seen_step = forms.ChoiceField(choices=Step.choices, widget=forms.HiddenInput)


class MoveForm(GuardedForm):
    """One possible move of a case; the page shows one per move the user may make."""

    to = forms.ChoiceField(choices=Step.choices, widget=forms.HiddenInput)
    reason_category = forms.ChoiceField(label=_("On which ground"), required=False)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea, required=False)
    responsible = PersonChoiceField(
        label=_("Responsible in the new step"), queryset=User.objects.none(), required=False
    )

    def __init__(
        self,
        *args,
        case: Case,
        to: Step,
        may_name_responsible: bool,
        people: CasePeople | None = None,
        **kwargs,
    ) -> None:
        kwargs.setdefault("prefix", f"move-{to}")
        kwargs.setdefault("initial", {"to": to.value})
        super().__init__(*args, **kwargs)
        self.target = to
        question = reason_question(Step(case.step), to)
        if question:
            self.fields["reason"].label = question
            self.fields["reason"].required = True
        else:
            self.fields["reason"].label = _("Note")
        categories = REASON_CATEGORIES.get((Step(case.step), to))
        if categories:
            self.fields["reason_category"].choices = [("", "—"), *categories.choices]
            self.fields["reason_category"].required = True
        else:
            del self.fields["reason_category"]
        if may_name_responsible:
            people = people or CasePeople(case)
            self.fields["responsible"].set_people(in_user_order(people.eligible(to)))
            self.fields["responsible"].empty_label = _("The default person")
        else:
            del self.fields["responsible"]

    @property
    def button_label(self) -> str:
        if self.target == Step.CLOSED:
            return _("Close the case")
        if self.target == Step.SIGNALS:
            return _("Reopen the case")
        return _("Move to %(step)s") % {"step": self.target.label}

    def clean_to(self) -> Step:
        if self.cleaned_data["to"] != self.target:
            raise ValidationError(_("This form is for another move."))
        return Step(self.cleaned_data["to"])


WHEN = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
WHEN_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class EmergencyForm(GuardedForm):
    """Whom was called (one or more of Veilig Thuis, 112 / police and the crisis service),
    each with its time and reference, by whom, and what was said."""

    SERVICES = [
        ("vt", EmergencyCall.Service.VEILIG_THUIS),
        ("police", EmergencyCall.Service.POLICE),
        ("crisis", EmergencyCall.Service.CRISIS),
    ]

    called_by = PersonChoiceField(label=_("Called by"), queryset=User.objects.none())
    summary = forms.CharField(
        label=_("What was said and agreed, and why it was urgent"), widget=forms.Textarea
    )

    def __init__(
        self, *args, case: Case, user: User, people: CasePeople | None = None, **kwargs
    ) -> None:
        kwargs.setdefault("prefix", "emergency")
        now = timezone.localtime().replace(second=0)
        initial = {"called_by": user.pk}
        for key, _service in self.SERVICES:
            initial[f"{key}_at"] = now
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        fields = {}
        for key, service in self.SERVICES:
            fields[f"{key}_called"] = forms.BooleanField(
                label=_("Called: %(service)s") % {"service": service.label}, required=False
            )
            fields[f"{key}_at"] = forms.DateTimeField(
                label=_("When"), widget=WHEN, input_formats=WHEN_FORMATS, required=False
            )
            fields[f"{key}_reference"] = forms.CharField(
                label=_("Reference (if given)"), required=False, max_length=100
            )
            if key == "crisis":
                fields["crisis_organisation"] = forms.ModelChoiceField(
                    label=_("Crisis service (sociale kaart)"),
                    queryset=Organisation.objects.filter(
                        school=case.school, archived_at__isnull=True
                    ).order_by("name"),
                    required=False,
                )
        self.fields = {**fields, **self.fields}
        self.fields["called_by"].set_people((people or CasePeople(case)).colleagues())

    def clean(self):
        data = super().clean()
        calls = []
        for key, service in self.SERVICES:
            if not data.get(f"{key}_called"):
                continue
            if not data.get(f"{key}_at"):
                self.add_error(f"{key}_at", _("Give the time of this call."))
                continue
            calls.append(
                {
                    "service": service.value,
                    "called_at": data[f"{key}_at"],
                    "reference": data.get(f"{key}_reference", ""),
                    "organisation": data.get("crisis_organisation") if key == "crisis" else None,
                }
            )
        if not calls and not self.errors:
            self.add_error(
                "vt_called", _("Say whom you called: Veilig Thuis, 112 or the crisis service.")
            )
        data["calls"] = calls
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {"called_by": data["called_by"], "summary": data["summary"], "calls": data["calls"]}


class ResponsibleForm(GuardedForm):
    person = PersonChoiceField(label=_("Responsible now"), queryset=User.objects.none())

    def __init__(self, *args, case: Case, people: CasePeople | None = None, **kwargs) -> None:
        kwargs.setdefault("prefix", "responsible")
        kwargs.setdefault("initial", {"person": case.responsible_id})
        super().__init__(*args, **kwargs)
        people = people or CasePeople(case)
        self.fields["person"].set_people(in_user_order(people.eligible(Step(case.step))))


class GrantForm(GuardedForm):
    person = PersonChoiceField(label=_("Colleague"), queryset=User.objects.none())
    level = forms.ChoiceField(
        label=_("Access"),
        choices=[
            (AccessChange.Level.READ, _("Read")),
            (AccessChange.Level.CONTRIBUTE, _("Read and contribute")),
        ],
        widget=forms.RadioSelect,
        initial=AccessChange.Level.READ,
    )

    def __init__(self, *args, case: Case, people: CasePeople | None = None, **kwargs) -> None:
        kwargs.setdefault("prefix", "grant")
        super().__init__(*args, **kwargs)
        self.fields["person"].set_people((people or CasePeople(case)).colleagues())


class RevokeForm(GuardedForm):
    person = forms.ModelChoiceField(queryset=User.objects.all(), widget=forms.HiddenInput)


def matrix_field_name(step: Step, role: str) -> str:
    return f"cell_{step.value}_{role}"


class MatrixForm(GuardedForm):
    """The responsibility matrix as a grid of checkboxes, one per step and role."""

    def __init__(self, *args, matrix: dict[Step, set[str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for step in Step:
            for role in MATRIX_ROLES:
                self.fields[matrix_field_name(step, role)] = forms.BooleanField(
                    label=f"{step.label}: {Role(role).label}",
                    required=False,
                    initial=role in matrix[step],
                )

    def clean(self) -> dict:
        cleaned = super().clean()
        for step in Step:
            if not any(cleaned.get(matrix_field_name(step, role)) for role in MATRIX_ROLES):
                self.add_error(
                    matrix_field_name(step, MATRIX_ROLES[0]),
                    _("Choose at least one role for this step."),
                )
        return cleaned

    def matrix(self) -> dict[Step, set[str]]:
        return {
            step: {
                role
                for role in MATRIX_ROLES
                if self.cleaned_data.get(matrix_field_name(step, role))
            }
            for step in Step
        }

    def rows(self) -> list[dict]:
        """One row per step, with its checkboxes and its errors (shown next to the row)."""
        rows = []
        for step in Step:
            cells = [self[matrix_field_name(step, role)] for role in MATRIX_ROLES]
            errors = [error for cell in cells for error in cell.errors]
            rows.append({"step": step, "cells": cells, "errors": errors})
        return rows

    @staticmethod
    def roles() -> list[str]:
        return [Role(role).label for role in MATRIX_ROLES]


class TermsForm(GuardedForm):
    """Days a case may stay in each open step before it is escalated."""

    def __init__(self, *args, terms: dict[Step, int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for step, days in terms.items():
            self.fields[step.value] = forms.IntegerField(
                label=step.label, min_value=1, max_value=365, initial=days
            )

    def terms(self) -> dict[Step, int]:
        return {Step(name): days for name, days in self.cleaned_data.items()}
