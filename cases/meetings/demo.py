"""Demo talks: every demo case that passes step 3 holds a talk with the parents first."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cases.meetings.services import meeting_plan, report_record
from cases.models import Case
from meldcode.models import User


def hold_parent_talk(case: Case, by: User, owner: User) -> None:
    meeting = meeting_plan(
        case=case,
        by=by,
        kind="parents",
        # Held just now: after the case was opened, before its report is written.
        starts_at=max(case.opened_at, timezone.now() - dt.timedelta(minutes=1)),
        place="Kamer van de intern begeleider",
        agenda="",
        staff=[by],
        others="moeder\nvader",
        teacher_stays_out=True,
    )
    report_record(
        meeting=meeting,
        by=by,
        report="Doel van het gesprek uitgelegd; de waarnemingen uit het logboek besproken "
        "(blauwe plekken, vermoeidheid). Daarna samen gekeken wat er thuis speelt.",
        reaction="Moeder herkent de vermoeidheid; vader is het oneens met de zorg over de "
        "blauwe plekken ('gevallen bij het voetballen').",
        agreements=[
            {
                "description": "Ouders melden zich aan bij het wijkteam.",
                "owner": by,
                "due_on": timezone.localdate() + dt.timedelta(days=7),
            },
            {
                "description": "Leerkracht houdt het logboek bij en bespreekt het over twee "
                "weken met de IB'er.",
                "owner": owner,
                "due_on": timezone.localdate() + dt.timedelta(days=14),
            },
        ],
    )
