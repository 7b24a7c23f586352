"""Free text that fits a real dossier: a length limit on every text field and no invisible
control characters, anywhere: forms, services, CSV uploads.

A NUL byte breaks PostgreSQL (and is kept silently by SQLite); the other C0 control
characters and the bidirectional overrides make text that reads differently from what it
says (a "Trojan source" line in a dossier). Tab, line feed and carriage return stay.

Limits: a CharField keeps its own `max_length`; a long text (a description, a reasoning,
a report) may hold `LONG_TEXT` characters, some four printed pages, far more than any
entry of the protocols' examples and small enough that no entry bloats a case page.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

LONG_TEXT = 10_000

# C0 controls except tab, LF and CR; DEL; C1 controls; bidi embeddings, overrides, isolates.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def first_control(text: str) -> str | None:
    """The first forbidden character, as U+XXXX, or None."""
    match = CONTROL.search(text)
    return f"U+{ord(match.group()):04X}" if match else None


@deconstructible
class NoControlCharacters:
    message = _(
        "This text contains an invisible control character (%(char)s). Remove it (retype the "
        "text, or paste it without formatting) and try again."
    )
    code = "control_character"

    def __call__(self, value) -> None:
        if isinstance(value, str) and (char := first_control(value)):
            raise ValidationError(self.message, code=self.code, params={"char": char})

    def __eq__(self, other) -> bool:
        return isinstance(other, NoControlCharacters)


class LongTextLimit(MaxLengthValidator):
    message = _(
        "This text is too long: at most %(limit_value)d characters, it has %(show_value)d. "
        "Split it into more entries, or attach the full document."
    )


def check_instance(instance) -> None:
    """Refuse, before saving, text that is too long or holds control characters. Raises a
    ValidationError keyed by field, so a form shows it next to the field."""
    errors: dict[str, list] = {}
    for field in instance._meta.concrete_fields:
        if field.get_internal_type() not in ("CharField", "TextField"):
            continue
        value = getattr(instance, field.attname)
        if not isinstance(value, str):
            continue
        limit = field.max_length or LONG_TEXT
        try:
            NoControlCharacters()(value)
            LongTextLimit(limit)(value)
        except ValidationError as error:
            errors[field.name] = error.error_list
    if errors:
        raise ValidationError(errors)


class TextGuardMixin:
    """Every text field of the form refuses control characters and, where it has no limit
    of its own, text over LONG_TEXT characters: a Dutch message next to the field."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not isinstance(field, forms.CharField):
                continue
            # Ours names the character and says what to do; Django's would say it twice.
            field.validators = [
                validator
                for validator in field.validators
                if not isinstance(validator, ProhibitNullCharactersValidator)
            ]
            field.validators.append(NoControlCharacters())
            if field.max_length is None:
                field.max_length = LONG_TEXT
                field.validators.append(LongTextLimit(LONG_TEXT))
                field.widget.attrs.setdefault("maxlength", str(LONG_TEXT))


class GuardedForm(TextGuardMixin, forms.Form):
    """The base of every form of the application."""


class GuardedModelForm(TextGuardMixin, forms.ModelForm):
    """The base of every model form of the application."""


GUARDED_APPS = frozenset({"meldcode", "cases", "socialmap"})


def _before_save(sender, instance, raw=False, **kwargs) -> None:
    if raw or sender._meta.app_label not in GUARDED_APPS:
        return
    if sender.__name__.startswith("Historical"):
        return  # a copy of a record that was checked when it was saved
    check_instance(instance)


def connect() -> None:
    """Every record of the application is checked before it is saved, however it comes
    in (a form, a service, an import), so bad text never reaches the database."""
    from django.db.models.signals import pre_save

    pre_save.connect(_before_save, dispatch_uid="meldcode-text-guard")
