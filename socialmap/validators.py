"""Dutch phone numbers as a school writes them down: 112, 0800/0900 numbers, ten digits."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ALLOWED = re.compile(r"^[0-9 \-]+$")
# 0800 and 0900 numbers have four or seven digits after the prefix (0800-2000, 0900-1231230).
SERVICE_NUMBER = re.compile(r"^0[89]00(\d{4}|\d{7})$")
# Geographic and mobile numbers: ten digits, starting with a single zero.
TEN_DIGITS = re.compile(r"^0[1-9]\d{8}$")


def phone_digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def validate_dutch_phone(value: str) -> None:
    value = value.strip()
    if not value:
        return
    if not ALLOWED.match(value):
        raise ValidationError(
            _("Use only digits, spaces and dashes, for example 0118-677600."),
            code="phone_characters",
        )
    digits = phone_digits(value)
    if digits == "112":
        return
    if digits.startswith(("0800", "0900")):
        if not SERVICE_NUMBER.match(digits):
            raise ValidationError(
                _("A 0800 or 0900 number has 4 or 7 digits after the 0800 or 0900."),
                code="phone_service_number",
            )
        return
    if not TEN_DIGITS.match(digits):
        raise ValidationError(
            _(
                "This is not a Dutch phone number: use 112, a 0800 or 0900 number, "
                "or ten digits starting with 0 (for example 0118-677600)."
            ),
            code="phone_invalid",
        )
