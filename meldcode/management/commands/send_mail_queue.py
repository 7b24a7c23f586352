from django.core.management.base import BaseCommand

from accounts.drafts import drafts_purge
from meldcode import submission
from meldcode.outbox import prune_sent, send_queued


class Command(BaseCommand):
    help = (
        "Sends the mails that wait in the outbox (every minute, from cron or a timer), with "
        "growing pauses between attempts; forgets mails sent more than 30 days ago."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--retry-now",
            action="store_true",
            help="try every waiting mail now, also those pausing (after the mail server is back)",
        )

    def handle(self, *args, retry_now: bool = False, **options) -> None:
        result = send_queued(retry_now=retry_now)
        pruned = prune_sent()
        submission.prune()  # the tokens of forms sent more than a day ago
        drafts_purge()  # unsaved text kept more than a day (purge_expired does so too)
        # Counts only: never an address or a subject on a terminal or in a cron mail.
        self.stdout.write(
            f"{result.sent} sent, {result.deferred} waiting for another attempt, "
            f"{result.failed} given up, {pruned} old ones forgotten."
        )
