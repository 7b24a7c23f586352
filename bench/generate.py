"""The benchmark's world: a large board, repeatable from a seed, written in bulk.

At scale 1: 20 schools, 500 staff and a board member, 5,000 pupils, 5,000 cases spread
over every step at every school (each with its moves), a held talk for every case in
step 3 (every other one reported, with agreements for the ib'er, the aandachtsfunctionaris
and a teacher, some late), 100,000 dossier entries (one case holds 500, one 50 and one
20, for the case page and the PDF), 200,000 access-log rows in valid per-school chains
(one in a hundred reads the case of 500 entries, so its PDF carries a long read log), and
a filled sociale kaart per school. `scale` shrinks or grows every count.

The people measured are the heaviest of their kind: the aandachtsfunctionaris and the
ib'er with the most items in Mijn acties (`busiest`), and the board member.

Bulk inserts wherever the rules allow: entries go through `bulk_create`, which seals
them like any other write (cases.seal); access-log rows are chained here with the
application's own hash functions. Every name is invented.
"""

from __future__ import annotations

import datetime as dt
import os
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

FIRST = ["Daan", "Sem", "Noah", "Lucas", "Finn", "Levi", "Mila", "Tess", "Nora", "Julia",
         "Yara", "Saar", "Zoë", "Sven", "Ilse", "Bram", "Fenna", "Jesse", "Lotte"]  # fmt: skip
LAST = ["Benchhuis", "Proefveld", "Meetstra", "Testerink", "Lastdijk", "Klokhof",
        "Tijdema", "Snelders", "Wachtveld", "Rekenga", "Teller", "Schaalsma"]  # fmt: skip
# Every step early (a tiny scale still has them all), then 1 to 3 twice as often.
STEPS = ["1", "2", "3", "4", "5a", "5b", "closed", "1", "2", "3"]
PASSWORD = "bench-password-not-for-production"


@dataclass
class World:
    """What the measurements need: people and cases of the first school."""

    ib: int
    leerkracht: int
    af: int
    directie: int
    bestuur: int
    case_20: int
    case_50: int
    case_500: int
    pupil_500: int
    meeting: tuple[int, int]  # (case, meeting): a reported talk of the first school
    counts: dict


def _count(base: int, scale: float, least: int = 1) -> int:
    return max(least, round(base * scale))


def generate(scale: float = 1.0, seed: int = 1, school_count: int | None = None) -> World:
    """A board at `scale` (1: 20 schools, 5,000 cases), the same for the same seed;
    `school_count` sets the number of schools alone (tests compare two board sizes)."""
    from django.contrib.auth.hashers import make_password

    from accounts.models import AuthenticatorApp
    from accounts.secrets import encrypt
    from cases.access_log import AccessLog
    from cases.dossier.models import Entry, EntrySignal
    from cases.meetings.models import Agreement, Meeting, MeetingReport
    from cases.models import Case, Transition
    from cases.seal import seal_records
    from meldcode.models import Board, Membership, Pupil, Role, School, User
    from socialmap.models import Organisation
    from socialmap.services import school_seed_socialmap

    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate()
    schools_n = school_count or _count(20, scale)
    staff_n = _count(500, scale, least=4 * schools_n)
    pupils_n = _count(5000, scale, least=schools_n)
    cases_n = _count(5000, scale, least=3)
    entries_n = _count(100_000, scale, least=570)
    reads_n = _count(200_000, scale)

    with transaction.atomic():
        board = Board.objects.create(name="Scholengroep Bench")
        schools = School.objects.bulk_create(
            School(board=board, name=f"Benchschool {n + 1:02d}") for n in range(schools_n)
        )
        password = make_password(PASSWORD)
        users = User.objects.bulk_create(
            User(
                username=f"bench{n:04d}",
                first_name=rng.choice(FIRST),
                last_name=rng.choice(LAST),
                email=f"bench{n:04d}@example.invalid",
                password=password,
            )
            for n in range(staff_n)
        )
        roles = [Role.IB, Role.AANDACHTSFUNCTIONARIS, Role.DIRECTIE]
        memberships, staff_of = [], {school.pk: [] for school in schools}
        for n, user in enumerate(users):
            school = schools[n % schools_n]
            position = n // schools_n
            role = roles[position] if position < len(roles) else Role.LEERKRACHT
            memberships.append(Membership(user=user, school=school, board=board, role=role))
            staff_of[school.pk].append((user, role))
        # The board member: the board evaluation over every school.
        bestuur = User.objects.create(
            username="bench-bestuur",
            first_name=rng.choice(FIRST),
            last_name=rng.choice(LAST),
            email="bench-bestuur@example.invalid",
            password=password,
        )
        memberships.append(Membership(user=bestuur, school=None, board=board, role=Role.BESTUUR))
        Membership.objects.bulk_create(memberships)
        AuthenticatorApp.objects.bulk_create(
            AuthenticatorApp(
                user=user, name="bench phone", confirmed=True, encrypted_key=encrypt(os.urandom(20))
            )
            for user in [*users, bestuur]
        )

        pupils = Pupil.objects.bulk_create(
            Pupil(
                school=schools[n % schools_n],
                first_name=f"{rng.choice(FIRST)}{n}",
                last_name=rng.choice(LAST),
                date_of_birth=dt.date(2014 + n % 8, 1 + n % 12, 1 + n % 28),
                group=str(1 + n % 8),
            )
            for n in range(pupils_n)
        )

        def people(school, role):
            return [user for user, held in staff_of[school.pk] if held == role]

        cases, moves = [], []
        for n in range(cases_n):
            # The first three cases (500, 50 and 20 entries) are at the first school.
            pupil = pupils[(n * schools_n) % pupils_n] if n < 3 else pupils[n % pupils_n]
            school = pupil.school
            teachers = people(school, Role.LEERKRACHT) or people(school, Role.IB)
            # Case n is at school n % schools: walk the steps per school, so every school
            # has cases in every step (not one step per school).
            step = STEPS[((n - 3) // schools_n) % len(STEPS)] if n >= 3 else "4"
            responsible = {
                "1": teachers[n % len(teachers)],
                "2": people(school, Role.IB)[0],
                "3": people(school, Role.IB)[0],
            }.get(step, people(school, Role.AANDACHTSFUNCTIONARIS)[0])
            cases.append(
                Case(
                    school=school,
                    pupil=pupil,
                    step=step,
                    opened_by=teachers[n % len(teachers)],
                    responsible=responsible,
                )
            )
        cases = Case.objects.bulk_create(cases)
        # Back-date, so terms and "stalled" have something to find.
        for n, case in enumerate(cases):
            case.opened_at = now - dt.timedelta(days=30 + n % 300)
            case.step_entered_at = now - dt.timedelta(days=n % 40)
        Case.objects.bulk_update(cases, ["opened_at", "step_entered_at"], batch_size=1000)
        seal_records(Case, [case.pk for case in cases])  # the identity, as opening seals it
        for case in cases:
            moves.append(
                Transition(case=case, from_step="", to_step="1", by=case.opened_by, reason="")
            )
            if case.step != "1":
                moves.append(
                    Transition(
                        case=case,
                        from_step="1",
                        to_step=case.step,
                        by=case.responsible,
                        responsible=case.responsible,
                        reason="Besluit in het zorgteam (benchmark).",
                    )
                )
        Transition.objects.bulk_create(moves, batch_size=2000)
        talks = _talks(rng, now, today, cases, people, Entry, Meeting, MeetingReport, Agreement)

        # Entries: 500, 50 and 20 in the first three cases, the rest spread over all.
        sizes = [500, 50, 20]
        rest = entries_n - sum(sizes)
        plan = [(cases[i], sizes[i]) for i in range(3)]
        others = cases[3:] or cases
        for n in range(rest):
            plan.append((others[n % len(others)], 1))
        kinds = ["observation", "observation", "observation", "hypothesis", "contact"]
        batch, made = [], 0
        for case, count in plan:
            for _ in range(count):
                kind = kinds[made % len(kinds)]
                batch.append(
                    Entry(
                        case=case,
                        author=case.opened_by,
                        kind=kind,
                        occurred_on=today - dt.timedelta(days=made % 60),
                        description=(
                            f"Aantekening {made}: het kind kwam zonder ontbijt en was stil in "
                            "de kring; na de pauze huilde het kort."
                        ),
                        place="Klas" if kind == "observation" else "",
                        situation="Kringgesprek" if kind == "observation" else "",
                        contact_with="moeder, aan de deur" if kind == "contact" else "",
                    )
                )
                made += 1
            if len(batch) >= 2000:
                _entries(Entry, EntrySignal, batch)
                batch = []
        _entries(Entry, EntrySignal, batch)

        # The access log: per school, a valid chain, written in bulk.
        by_school: dict[int, list] = {}
        for n in range(reads_n):
            # One read in a hundred is of the case of 500 entries: a long read log.
            case = cases[0] if n % 100 == 0 else cases[rng.randrange(len(cases))]
            by_school.setdefault(case.school_id, []).append(case)
        rows = []
        for school_id, read_cases in sorted(by_school.items()):
            prev = ""
            readers = [user for user, _role in staff_of[school_id]]
            for n, case in enumerate(read_cases):
                reader = readers[n % len(readers)]
                row = AccessLog(
                    at=now - dt.timedelta(minutes=len(read_cases) - n),
                    user=reader,
                    username=reader.username,
                    case_id=case.pk,
                    action="view",
                    school_id=school_id,
                    prev_hash=prev,
                )
                row.digest = row.compute_digest()
                row.row_hash = row.compute_hash()
                prev = row.row_hash
                rows.append(row)
            if len(rows) >= 5000:
                AccessLog.objects.bulk_create(rows, batch_size=5000)
                rows = []
        AccessLog.objects.bulk_create(rows, batch_size=5000)

        for school in schools:
            school_seed_socialmap(school=school)
        Organisation.objects.bulk_create(
            Organisation(
                school=school,
                name=f"Wijkteam {rng.choice(LAST)} {n}",
                category="cjg",
                phone="0118 751400",
                last_checked=today - dt.timedelta(days=n * 20),
            )
            for school in schools
            for n in range(25)
        )

    first = schools[0]
    return World(
        ib=people(first, Role.IB)[0].pk,
        leerkracht=people(first, Role.LEERKRACHT)[0].pk,
        af=people(first, Role.AANDACHTSFUNCTIONARIS)[0].pk,
        directie=people(first, Role.DIRECTIE)[0].pk,
        bestuur=bestuur.pk,
        case_500=cases[0].pk,
        case_50=cases[1].pk,
        case_20=cases[2].pk,
        pupil_500=cases[0].pupil_id,
        meeting=next((c, m) for c, m, school_id in talks if school_id == first.pk),
        counts={
            "schools": schools_n,
            "staff": staff_n + 1,
            "pupils": pupils_n,
            "cases": cases_n,
            "talks": len(talks),
            "entries": entries_n + len(talks),  # with the reports of the talks
            "access-log rows": reads_n,
        },
    )


def busiest(role: str) -> int:
    """The user of `role` with the most items in Mijn acties (the heaviest such page)."""
    from cases.actions.services import actions_for
    from meldcode.models import User

    candidates = User.objects.filter(memberships__role=role).distinct().order_by("pk")
    return max(candidates, key=lambda user: len(actions_for(user))).pk


def _talks(rng, now, today, cases, people, Entry, Meeting, MeetingReport, Agreement):
    """A held talk with the parents for every case in step 3 (and the first case, so the
    first school has one); every other one reported, with three agreements."""
    from meldcode.models import Role

    chosen = [case for case in cases if case.step == "3"]
    chosen = [cases[0], *chosen]
    meetings = Meeting.objects.bulk_create(
        Meeting(
            case=case,
            kind="parents",
            starts_at=now - dt.timedelta(days=1 + n % 20, hours=2),
            place="Kamer van de ib'er",
            agenda="Zorg delen; reactie van de ouders; afspraken.",
            created_by=people(case.school, Role.IB)[0],
        )
        for n, case in enumerate(chosen)
    )
    Staff = Meeting.staff.through
    Staff.objects.bulk_create(
        Staff(meeting_id=meeting.pk, user_id=person.pk)
        for meeting, case in zip(meetings, chosen, strict=True)
        for person in (people(case.school, Role.IB)[0],
                       people(case.school, Role.AANDACHTSFUNCTIONARIS)[0])
    )  # fmt: skip
    reported = list(zip(meetings, chosen, strict=True))[::2]
    entries = Entry.objects.bulk_create(
        Entry(
            case=case,
            author=people(case.school, Role.IB)[0],
            kind="contact",
            occurred_on=timezone.localdate(meeting.starts_at),
            contact_with="Gesprek met de ouders",
            description="Verslag van het gesprek: zorg gedeeld.\n\nEigen reactie: herkennen het.",
        )
        for meeting, case in reported
    )
    reports = MeetingReport.objects.bulk_create(
        MeetingReport(
            meeting=meeting,
            report="Zorg gedeeld.",
            reaction="Herkennen het.",
            entry=entry,
            by=people(case.school, Role.IB)[0],
        )
        for (meeting, case), entry in zip(reported, entries, strict=True)
    )
    Agreement.objects.bulk_create(
        Agreement(
            report=report,
            description=f"Afspraak {n}: terugkoppelen aan de ouders.",
            owner=owner,
            due_on=today + dt.timedelta(days=rng.randrange(-40, 20)),
        )
        for n, (report, (meeting, case)) in enumerate(zip(reports, reported, strict=True))
        for owner in (
            people(case.school, Role.IB)[0],
            people(case.school, Role.AANDACHTSFUNCTIONARIS)[0],
            (people(case.school, Role.LEERKRACHT) or people(case.school, Role.IB))[0],
        )
    )
    return [(case.pk, meeting.pk, case.school_id) for meeting, case in reported]


def _entries(Entry, EntrySignal, batch) -> None:
    created = Entry.objects.bulk_create(batch, batch_size=2000)
    EntrySignal.objects.bulk_create(
        EntrySignal(entry=entry, code="lichamelijk-welzijn.kind-is-hongerig")
        for entry in created[::4]
    )
