"""The database session engine with the user (and browser, sign-in time, last use) as
columns of the session row: `SESSION_ENGINE = "accounts.session_store"`."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DBStore

USER_AGENT = "meldcode_user_agent"
SIGNED_IN_AT = "meldcode_signed_in_at"
LAST_SEEN = "meldcode_last_seen"


def _moment(value) -> dt.datetime | None:
    return dt.datetime.fromtimestamp(value, dt.UTC) if isinstance(value, int | float) else None


class SessionStore(DBStore):
    @classmethod
    def get_model_class(cls):
        from accounts.models import UserSession

        return UserSession

    def create_model_instance(self, data):
        row = super().create_model_instance(data)
        try:
            row.user_id = int(data.get(SESSION_KEY))
        except (TypeError, ValueError):
            row.user_id = None
        row.user_agent = str(data.get(USER_AGENT, ""))[:300]
        row.signed_in_at = _moment(data.get(SIGNED_IN_AT))
        row.last_seen = _moment(data.get(LAST_SEEN))
        return row
