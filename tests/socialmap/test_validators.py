import pytest
from django.core.exceptions import ValidationError

from socialmap.validators import validate_dutch_phone


@pytest.mark.parametrize(
    "number",
    [
        "112",
        "0800-2000",
        "0800 0432",
        "0900-8844",
        "0900-1231230",
        "0900 - 222 03 33",
        "0118-677600",
        "0113- 267000",
        "06 12345678",
        "0201234567",
        "113",
        "14 0118",
        "14 020",
        "+31 118 751400",
        "+31 6 12345678",
        "0031 118 751400",
        # Seed 003 writes the area code in brackets.
        "(0118) 751400",
        "(0118)-751400",
        "(020) 555 12 34",
    ],
)
def test_dutch_numbers_are_accepted(number):
    validate_dutch_phone(number)


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("0118*751400", "Gebruik alleen cijfers, spaties, streepjes en haakjes"),
        ("+49 30 1234567", "Dit is geen Nederlands telefoonnummer"),
        ("0118+751400", "Gebruik alleen cijfers, spaties, streepjes en haakjes"),
        ("bel mij", "Gebruik alleen cijfers, spaties, streepjes en haakjes"),
        ("0800-20", "Een 0800- of 0900-nummer heeft 4 of 7 cijfers"),
        ("0900-88445", "Een 0800- of 0900-nummer heeft 4 of 7 cijfers"),
        ("0118-67760", "Dit is geen Nederlands telefoonnummer"),
        ("118-6776001", "Dit is geen Nederlands telefoonnummer"),
        ("0012345678", "Dit is geen Nederlands telefoonnummer"),
        ("114", "Dit is geen Nederlands telefoonnummer"),
        ("14 118", "Dit is geen Nederlands telefoonnummer"),
    ],
)
def test_other_numbers_are_refused_with_a_dutch_reason(number, message):
    with pytest.raises(ValidationError) as refused:
        validate_dutch_phone(number)
    assert message in refused.value.messages[0]


def test_a_plus31_number_is_dialled_with_its_plus():
    from socialmap.validators import phone_digits

    assert phone_digits("+31 6 12345678") == "+31612345678"
    assert phone_digits("0118-751400") == "0118751400"
