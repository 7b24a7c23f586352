"""Mail servers that fail, as SMTP servers do."""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend

REFUSED = "geweigerd@example.invalid"


class EmailBackend(BaseEmailBackend):
    """A mail server that is down: every send fails, as an SMTP server that refuses would."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("the mail server is down")


class RefusingBackend(LocmemBackend):
    """A mail server that is up but refuses one address (a failure of one mail only)."""

    def send_messages(self, email_messages):
        for message in email_messages:
            if REFUSED in message.to:
                raise smtplib.SMTPRecipientsRefused({REFUSED: (550, b"no such user")})
        return super().send_messages(email_messages)
