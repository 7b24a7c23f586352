"""Refused looks at a case are logged without limit on who gets counted, but not on the
chain: the first refusal of a day per person, kind of target and chain is a chained
`denied` row; every refusal is counted, so an auditor sees who probed what and how often,
and guessing case numbers cannot flood the access log."""

import datetime as dt

from django.urls import reverse

from cases.access_log import AccessLog, DeniedReads, access_log_deny, access_log_verify

NO_SUCH_CASE = 900_000


def test_thirty_guessed_case_numbers_make_one_chained_row_and_a_count_of_thirty(cast, client_for):
    client = client_for(cast.leerkracht)
    before = AccessLog.objects.count()
    for number in range(NO_SUCH_CASE, NO_SUCH_CASE + 30):
        assert client.get(reverse("cases:detail", args=[number])).status_code == 404
    rows = list(AccessLog.objects.order_by("pk")[before:])
    assert [(row.user, row.case_id, row.action) for row in rows] == [
        (cast.leerkracht, NO_SUCH_CASE, "denied")
    ]
    counter = DeniedReads.objects.get()
    assert (counter.user, counter.kind, counter.count) == (cast.leerkracht, "no_case", 30)
    assert (counter.first_case_id, counter.last_case_id) == (NO_SUCH_CASE, NO_SUCH_CASE + 29)
    assert access_log_verify().holds


def test_a_case_of_another_school_is_counted_apart_and_chained_in_that_schools_log(
    cast, client_for, case_at
):
    case = case_at()
    client = client_for(cast.other_leerkracht)
    client.get(reverse("cases:detail", args=[NO_SUCH_CASE]))
    client.get(reverse("cases:detail", args=[case.pk]))
    client.get(reverse("cases:detail", args=[case.pk]))
    denied = AccessLog.objects.filter(action="denied").order_by("pk")
    assert [(row.case_id, row.school_id) for row in denied] == [
        (NO_SUCH_CASE, 0),
        (case.pk, cast.school.pk),
    ]
    counts = dict(DeniedReads.objects.values_list("kind", "count"))
    assert counts == {"no_case": 1, "case": 2}


def test_each_person_is_counted_on_their_own(cast, client_for):
    for user in (cast.leerkracht, cast.ib):
        client = client_for(user)
        for number in range(NO_SUCH_CASE, NO_SUCH_CASE + 3):
            client.get(reverse("cases:detail", args=[number]))
    assert AccessLog.objects.filter(action="denied").count() == 2
    assert sorted(DeniedReads.objects.values_list("username", "count")) == [
        ("ib", 3),
        ("leerkracht", 3),
    ]


def test_the_first_refusal_of_a_new_day_is_chained_again(cast):
    access_log_deny(user=cast.leerkracht, case_id=NO_SUCH_CASE)
    assert access_log_deny(user=cast.leerkracht, case_id=NO_SUCH_CASE + 1) is None
    yesterday = dt.date.today() - dt.timedelta(days=1)
    DeniedReads.objects.update(day=yesterday)
    row = access_log_deny(user=cast.leerkracht, case_id=NO_SUCH_CASE + 2)
    assert row is not None and row.action == "denied"
    assert sorted(DeniedReads.objects.values_list("count", flat=True)) == [1, 2]
