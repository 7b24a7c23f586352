"""Dutch phone numbers as a school writes them down: 112 and 113, 0800/0900 numbers, the
municipal 14 numbers (14 0118), ten digits, the same written as +31, and with the area
code in brackets as seed 003 does: (0118) 751400, (0118)-751400.

The `phonenumbers` library (Google's libphonenumber data, region NL) decides whether a
number exists; it does not know the emergency and municipal short numbers, so those are
checked here first.
"""

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ALLOWED = re.compile(r"^\+?[0-9 \-().]+$")
SHORT_NUMBERS = ("112", "113")
# The municipality's number: 14 followed by its area code (14 020, 14 0118).
MUNICIPAL = re.compile(r"^140\d{2,3}$")
# 0800 and 0900 numbers have four or seven digits after the prefix (0800-2000, 0900-1231230).
SERVICE_NUMBER = re.compile(r"^0[89]00(\d{4}|\d{7})$")


def phone_digits(value: str) -> str:
    """The number as dialled: digits only, with a leading + kept for +31 numbers."""
    digits = re.sub(r"\D", "", value)
    return f"+{digits}" if value.strip().startswith("+") else digits


def _national(digits: str) -> str:
    """+31 6 12345678 and 0031 6 12345678 are dialled at home as 06 12345678."""
    for prefix in ("+31", "0031"):
        if digits.startswith(prefix):
            return "0" + digits[len(prefix) :]
    return digits


def validate_dutch_phone(value: str) -> None:
    value = value.strip()
    if not value:
        return
    if not ALLOWED.match(value):
        raise ValidationError(
            _(
                "Use only digits, spaces, dashes and brackets (and + for +31), for example "
                "0118-677600."
            ),
            code="phone_characters",
        )
    digits = _national(phone_digits(value))
    if digits in SHORT_NUMBERS or MUNICIPAL.match(digits):
        return
    if digits.startswith(("0800", "0900")):
        if not SERVICE_NUMBER.match(digits):
            raise ValidationError(
                _("A 0800 or 0900 number has 4 or 7 digits after the 0800 or 0900."),
                code="phone_service_number",
            )
        return
    if not _is_dutch_number(value):
        raise ValidationError(
            _(
                "This is not a Dutch phone number: use 112, a 0800 or 0900 number, a 14 "
                "number of the municipality, or ten digits starting with 0 (for example "
                "0118-677600)."
            ),
            code="phone_invalid",
        )


def _is_dutch_number(value: str) -> bool:
    try:
        number = phonenumbers.parse(value, "NL")
    except phonenumbers.NumberParseException:
        return False
    return number.country_code == 31 and phonenumbers.is_valid_number(number)
