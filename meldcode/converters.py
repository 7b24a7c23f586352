"""URL converters. `<id:pk>` is a database id: digits that fit in a bigint, so that a
very long number in an address is a plain 404, never an overflow inside the database."""


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)
