"""Mail never fails an action: every mail is written to an outbox in the same transaction
as the action, then sent.

`mail_queue` inserts one `OutgoingMail` row per recipient inside the caller's
transaction; when that transaction commits, the mails are tried at once. If the mail
server is down the action still stands, the rows wait, and the page says that the mail
follows (`OutboxNoticeMiddleware`). `python manage.py send_mail_queue`, run every minute
(cron or a systemd timer), sends what waits, with growing pauses between attempts, and
gives up after `MAX_ATTEMPTS` (the row stays, marked failed, in the admin). Two runs at
once never send one mail twice: each row is claimed with `SELECT … FOR UPDATE SKIP
LOCKED` on PostgreSQL. A run stops at the first sign that the mail server itself is
down or slow (`SERVER_DOWN`): a page then waits for one timeout, not one per address,
and the mails not tried wait for the next run.

Once sent or given up, a mail's body and attachment are emptied: a body may hold a link
with a password-reset token, and nothing of it should stay. Errors are kept as the
exception's class name only, never with text that could quote the mail.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import logging
import smtplib
import socket
import threading
from collections.abc import Iterable, Iterator

from django.contrib import messages
from django.core.mail import EmailMessage, mailers
from django.db import close_old_connections, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
# The attempt when the action commits keeps a person waiting (or a worker busy): a mail
# server that accepts and never answers costs at most this, and the mail waits for the
# queue's run, which has the mailer's own, longer timeout (settings.MAILERS).
ON_COMMIT_TIMEOUT = 3
KEEP_SENT = dt.timedelta(days=30)
# Failures of the server, not of one mail: trying the next mail would only wait again.
SERVER_DOWN = (
    ConnectionError,
    TimeoutError,
    socket.gaierror,
    smtplib.SMTPConnectError,
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPAuthenticationError,
)


class OutgoingMail(models.Model):
    created_at = models.DateTimeField(gettext_lazy("queued at"), default=timezone.now)
    to = models.CharField(gettext_lazy("to"), max_length=254)
    subject = models.CharField(gettext_lazy("subject"), max_length=200)
    body = models.TextField(gettext_lazy("body"), blank=True)
    attachment_name = models.CharField(max_length=100, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    attachment = models.BinaryField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(gettext_lazy("attempts"), default=0)
    next_attempt_at = models.DateTimeField(gettext_lazy("next attempt"), default=timezone.now)
    last_error = models.CharField(gettext_lazy("last error"), max_length=100, blank=True)
    sent_at = models.DateTimeField(gettext_lazy("sent at"), null=True, blank=True)
    failed = models.BooleanField(gettext_lazy("given up"), default=False)

    class Meta:
        verbose_name = gettext_lazy("outgoing mail")
        verbose_name_plural = gettext_lazy("outgoing mail")
        ordering = ["pk"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(sent_at__isnull=True, failed=False),
                name="outgoing_mail_due",
            )
        ]

    def __str__(self) -> str:
        return f"{self.to} · {self.subject}"

    @property
    def status(self) -> str:
        if self.sent_at is not None:
            return gettext_lazy("sent")
        return gettext_lazy("given up") if self.failed else gettext_lazy("waiting")

    def message(self) -> EmailMessage:
        message = EmailMessage(subject=self.subject, body=self.body, to=[self.to])
        if self.attachment is not None:
            message.attach(self.attachment_name, bytes(self.attachment), self.attachment_type)
        return message


# Mails of this request that could not be sent at once (for the notice on the page).
_deferred: contextvars.ContextVar[list | None] = contextvars.ContextVar("deferred", default=None)


def mail_queue(
    *,
    subject: str,
    body: str,
    to: list[str],
    attachment: tuple[str, bytes, str] | None = None,
    background: bool = False,
) -> list[OutgoingMail]:
    """Queue one mail per address in the current transaction; try them when it commits
    (in a thread when `background`, so that the answer's timing tells nothing)."""
    name, content, mimetype = attachment or ("", None, "")
    rows = OutgoingMail.objects.bulk_create(
        OutgoingMail(
            to=address,
            subject=subject[:200],
            body=body,
            attachment_name=name,
            attachment=content,
            attachment_type=mimetype,
        )
        for address in dict.fromkeys(to)
        if address
    )
    _try_on_commit([row.pk for row in rows], background)
    return rows


def mails_queue(*, mails: Iterable[tuple[str, str, str]], background: bool = False) -> int:
    """Queue many mails, each `(address, subject, body)` with its own body (a personal
    link), in one insert; they are tried together when the transaction commits."""
    rows = OutgoingMail.objects.bulk_create(
        (
            OutgoingMail(to=address, subject=subject[:200], body=body)
            for address, subject, body in mails
        ),
        batch_size=500,
    )
    _try_on_commit([row.pk for row in rows], background)
    return len(rows)


# Inside `sent_together()`: the ids of the mails committed so far, tried at its end.
_together: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar(
    "mails_together", default=None
)


@contextlib.contextmanager
def sent_together() -> Iterator[None]:
    """Many transactions that each queue a mail (the daily reminders, one person each):
    the mails committed inside are tried together at the end, through one connection, so
    a mail server that hangs costs the run one timeout, not one per mail."""
    ids: list[int] = []
    token = _together.set(ids)
    try:
        yield
    finally:
        _together.reset(token)
    # After the commits above have added their mails (at once outside a transaction).
    transaction.on_commit(lambda: ids and _send_now(ids), robust=True)


def _try_on_commit(ids: list[int], background: bool) -> None:
    if not ids:
        return
    together = _together.get()
    if together is not None:
        transaction.on_commit(lambda: together.extend(ids))
        return
    # robust: whatever goes wrong in the attempt, the committed action stands.
    if background:
        transaction.on_commit(lambda: _in_background(ids), robust=True)
    else:
        transaction.on_commit(lambda: _send_now(ids), robust=True)


def _in_background(ids: list[int]) -> None:
    def run() -> None:
        try:
            send_queued(ids=ids, timeout=ON_COMMIT_TIMEOUT)
        except Exception as error:
            # The rows wait for send_mail_queue; the class name only, never content.
            log.warning("Mail %s not tried in the background (%s)", ids, type(error).__name__)
        finally:
            close_old_connections()

    threading.Thread(target=run, daemon=True).start()


def _send_now(ids: list[int]) -> None:
    result = send_queued(ids=ids, timeout=ON_COMMIT_TIMEOUT)
    if result.deferred:
        waiting = _deferred.get()
        if waiting is not None:
            waiting.append(result.deferred)


class SendResult:
    def __init__(self) -> None:
        self.sent = 0
        self.deferred = 0
        self.failed = 0


def _backoff(attempts: int) -> dt.timedelta:
    # 1, 2, 4, … minutes, at most six hours between attempts.
    return dt.timedelta(minutes=min(2 ** (attempts - 1), 360))


def _mailer(timeout: float | None):
    """The default mailer; with `timeout`, waiting at most that long on the server."""
    mailer = mailers.default
    if timeout is not None and hasattr(mailer, "timeout"):
        mailer.timeout = min(mailer.timeout or timeout, timeout)
    return mailer


def send_queued(
    *, ids: list[int] | None = None, retry_now: bool = False, timeout: float | None = None
) -> SendResult:
    """Send the waiting mails (these ids, or every one that is due); each in its own
    transaction, claimed so that a parallel run skips it. `timeout` shortens the
    mailer's own."""
    result = SendResult()
    now = timezone.now()
    waiting = OutgoingMail.objects.filter(sent_at__isnull=True, failed=False)
    if ids is not None:
        waiting = waiting.filter(pk__in=ids)
    elif not retry_now:
        waiting = waiting.filter(next_attempt_at__lte=now)
    due = list(waiting.order_by("pk").values_list("pk", flat=True)[:1000])
    # One mailer for the run: its connection is opened by the first mail and kept.
    mailer = _mailer(timeout)
    try:
        _send_each(due, mailer, result)
    finally:
        mailer.close()
    return result


def _send_each(due: list[int], mailer, result: SendResult) -> None:
    for index, pk in enumerate(due):
        with transaction.atomic():
            claim = OutgoingMail.objects.filter(pk=pk, sent_at__isnull=True, failed=False)
            if connection.features.has_select_for_update_skip_locked:
                claim = claim.select_for_update(skip_locked=True)
            mail = claim.first()
            if mail is None:
                continue  # sent or claimed by another run
            try:
                mailer.open()  # a no-op once open
                mailer.send_messages([mail.message()])
            except Exception as error:
                mail.attempts += 1
                mail.last_error = type(error).__name__[:100]
                mail.next_attempt_at = timezone.now() + _backoff(mail.attempts)
                mail.failed = mail.attempts >= MAX_ATTEMPTS
                if mail.failed:
                    mail.body, mail.attachment = "", None  # never sent: nothing of it stays
                mail.save(
                    update_fields=[
                        "attempts",
                        "last_error",
                        "next_attempt_at",
                        "failed",
                        "body",
                        "attachment",
                    ]
                )
                log.warning(
                    "Mail %s not sent (%s), attempt %s", mail.pk, mail.last_error, mail.attempts
                )
                result.failed += mail.failed
                result.deferred += not mail.failed
                if isinstance(error, SERVER_DOWN):
                    # The rest of this run would wait for the same timeout each; they stay
                    # due for the next run.
                    result.deferred += len(due) - index - 1
                    break
            else:
                mail.attempts += 1
                mail.sent_at = timezone.now()
                mail.body, mail.attachment = "", None
                mail.save(update_fields=["attempts", "sent_at", "body", "attachment"])
                result.sent += 1


def prune_sent(now: dt.datetime | None = None) -> int:
    """Forget mails sent, or given up, more than KEEP_SENT ago (their bodies are empty
    already)."""
    cutoff = (now or timezone.now()) - KEEP_SENT
    deleted, _rows = OutgoingMail.objects.filter(
        models.Q(sent_at__lt=cutoff) | models.Q(failed=True, created_at__lt=cutoff)
    ).delete()
    return deleted


class OutboxNoticeMiddleware:
    """When a mail of this request could not be sent at once, the page says it follows."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        token = _deferred.set([])
        try:
            response = self.get_response(request)
            if _deferred.get() and hasattr(request, "_messages"):
                messages.warning(
                    request,
                    _(
                        "The action is saved. The e-mail about it could not be sent yet; it "
                        "will follow automatically."
                    ),
                )
        finally:
            _deferred.reset(token)
        return response
