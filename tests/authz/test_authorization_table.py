"""One authorization table: every URL name of the application, asked by every member of
the cast with GET and POST, answers as `TABLE` declares. A URL missing from the table
fails the test, so every new view must be declared. Every URL with an object id is also
asked with the id of another school's object: 404 for everyone at this school. Every
response carries the security headers.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.authz.table import TABLE
from tests.authz.world import objects_for
from tests.conftest import authenticator, pass_second_factor

CAST = ["leerkracht", "leerkracht_b", "ib", "af", "directie", "other_leerkracht", "bestuur",
        "outsider", "anonymous"]  # fmt: skip
SCHOOL_STAFF = ["leerkracht", "leerkracht_b", "ib", "af", "directie"]
STRING_ARGS = {"to": "closed", "kind": "melding", "version": "inspectie",
               "uidb64": "MQ", "token": "x-y", "item": "parents"}  # fmt: skip
ENTRY_KIND = "observation"


def url_names() -> list[tuple[str, list[str]]]:
    """Every named URL of the application (the admin is checked below by its own rule)."""

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield namespace + pattern.name, list(pattern.pattern.converters)

    return sorted(set((name, tuple(args)) for name, args in walk(get_resolver().url_patterns)))


def kwargs_for(name: str, args, objects) -> dict:
    ids = {
        "upload_id": objects.upload.pk, "meeting_id": objects.meeting.pk,
        "agreement_id": objects.agreement.pk, "plan_id": objects.plan.pk,
        "report_id": objects.report.pk, "pupil_id": objects.pupil.pk,
        "request_id": objects.inzage_request.pk, "release_id": objects.release.pk,
        "export_id": objects.export.pk,
        "device_id": authenticator(objects.case.responsible).pk,
    }  # fmt: skip
    kwargs = {}
    for arg in args:
        if arg == "pk":
            if name.startswith("cases:staff_signal"):
                kwargs[arg] = objects.signal.pk
            elif name.startswith("socialmap:template"):
                kwargs[arg] = objects.template.pk
            elif name.startswith("socialmap:"):
                kwargs[arg] = objects.organisation.pk
            else:
                kwargs[arg] = objects.case.pk
        elif arg in ids:
            kwargs[arg] = ids[arg]
        elif arg == "kind" and name == "cases:entry_new":
            kwargs[arg] = ENTRY_KIND
        else:
            kwargs[arg] = STRING_ARGS[arg]
    return kwargs


def has_object_id(args) -> bool:
    return any(arg == "pk" or arg.endswith("_id") for arg in args)


@pytest.fixture
def world(cast, settings, tmp_path):
    settings.MELDCODE_UPLOAD_ROOT = tmp_path
    here = objects_for(cast.school, cast.pupil, cast.leerkracht, cast.af, cast.bestuur)
    elsewhere = objects_for(cast.other_school, cast.other_pupil, cast.other_leerkracht,
                            _other_af(cast), cast.bestuur)  # fmt: skip
    return here, elsewhere


def _other_af(cast):
    from meldcode.models import Role
    from tests.factories import member

    return member(cast.other_school, Role.AANDACHTSFUNCTIONARIS, username="af_elders")


def client_as(cast, who: str) -> Client:
    client = Client()
    if who != "anonymous":
        user = getattr(cast, who)
        client.force_login(user)
        pass_second_factor(client, user)
    return client


def check_headers(response, where: str) -> None:
    assert response["Cache-Control"] == "no-store", where
    assert "Permissions-Policy" in response, where
    if response.get("Content-Type", "").startswith("text/html") and response.status_code == 200:
        assert "Content-Security-Policy" in response, where


def ask(cast, who: str, method: str, url: str):
    """One request by a fresh client, rolled back after: no request changes what the next
    one finds (a POST that archives or deletes must not decide the rows after it)."""
    with transaction.atomic():
        response = getattr(client_as(cast, who), method)(url)
        transaction.set_rollback(True)
    return response


def observe(cast, objects) -> dict:
    observed: dict = {}
    for name, args in url_names():
        url = reverse(name, kwargs=kwargs_for(name, args, objects))
        for who in CAST:
            for method in ("get", "post"):
                response = ask(cast, who, method, url)
                check_headers(response, f"{method.upper()} {url} as {who}")
                observed.setdefault(name, {}).setdefault(method, {})[who] = response.status_code
    return observed


def test_every_url_answers_every_member_of_the_cast_as_the_table_declares(cast, world, capsys):
    here, _elsewhere = world
    observed = observe(cast, here)
    missing = sorted(set(observed) - set(TABLE))
    assert not missing, f"Declare these URL names in tests/authz/table.py: {missing}\n" + "\n".join(
        f"    {name!r}: {observed[name]!r}," for name in missing
    )
    mismatches = [
        (name, method, who, TABLE[name][method][who], code)
        for name, methods in observed.items()
        for method, answers in methods.items()
        for who, code in answers.items()
        if TABLE[name][method][who] != code
    ]
    checks = sum(len(a) for m in observed.values() for a in m.values())
    with capsys.disabled():
        print(f"\nauthorization table: {checks} checks, {len(mismatches)} mismatches")
    assert mismatches == []


def test_an_object_of_another_school_is_404_for_everyone_at_this_school(cast, world, capsys):
    _here, elsewhere = world
    checks = 0
    for name, args in url_names():
        if not has_object_id(args) or name.startswith("socialmap:template"):
            continue  # board templates belong to the board both schools share
        url = reverse(name, kwargs=kwargs_for(name, args, elsewhere))
        for who in SCHOOL_STAFF:
            for method in ("get", "post"):
                response = ask(cast, who, method, url)
                checks += 1
                # A method the view does not take answers 405 before any lookup: no hint.
                expected = 405 if TABLE[name][method][who] == 405 else 404
                assert response.status_code == expected, f"{method.upper()} {url} as {who}"
    with capsys.disabled():
        print(f"\nobject swap: {checks} checks, 0 mismatches")


def test_nobody_of_the_cast_gets_into_the_admin(cast, world):
    admin_names = [
        (f"admin:{p.name}", list(p.pattern.converters)) for p in _admin_patterns() if p.name
    ]
    for name, args in admin_names:
        kwargs = {arg: "1" for arg in args}
        if "app_label" in kwargs:
            kwargs["app_label"] = "cases"
        try:
            url = reverse(name, kwargs=kwargs)
        except Exception:
            continue
        for who in CAST:
            for method in ("get", "post"):
                response = ask(cast, who, method, url)
                assert response.status_code == 302, f"{method.upper()} {url} as {who}"
                check_headers(response, url)


def _admin_patterns():
    from django.contrib import admin

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns)
            else:
                yield pattern

    return list(walk(admin.site.urls[0]))
