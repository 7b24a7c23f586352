"""One scale of the benchmark, in its own process on its own database: generate the
world, time every page in-process (queries, p50, p95), and at the large scale put it
under load behind gunicorn. Writes its figures as JSON for `bench` to tabulate.

    DJANGO_SETTINGS_MODULE=bench.settings python -m bench.measure --scale 1 --out f.json
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()


def signed_in(user):
    """A test client past the password and the second factor, like a real sign-in an hour
    ago, last seen a minute ago: its first request writes the session (as the
    once-a-minute write does in real use), and under load it is written once a minute."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    from accounts.models import AuthenticatorApp
    from accounts.second_factor import FACTOR_AT
    from meldcode.security import LAST_SEEN, SIGNED_IN_AT

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = AuthenticatorApp.objects.get(user=user).persistent_id
    now = time.time()
    session[SIGNED_IN_AT] = now - 3600
    session[FACTOR_AT] = now - 3500
    session[LAST_SEEN] = now - 61
    session.save()
    return client


def is_select(sql: str) -> bool:
    return sql.lstrip().upper().startswith("SELECT")


def time_page(client, url: str, runs: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):  # warm-up: templates, caches, connection
        assert client.get(url).status_code == 200, url
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    # Read now: every request starts by clearing the connection's query log.
    queries = list(captured.captured_queries)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    # The capture also holds BEGIN, COMMIT and the writes (the access log, the session):
    # only a SELECT may be explained again (EXPLAIN ANALYZE runs the statement).
    slowest = max(
        (query for query in queries if is_select(query["sql"])),
        key=lambda query: float(query["time"]),
        default=None,
    )
    return {
        "queries": len(queries),
        "p50": statistics.median(times),
        "p95": times[max(0, round(0.95 * len(times)) - 1)],
        "bytes": len(response.content),
        "slowest_sql": slowest["sql"] if slowest else "",
        "slowest_ms": float(slowest["time"]) * 1000 if slowest else 0,
    }


def time_pdfs(world, users) -> dict:
    from cases.models import Case
    from cases.pdf.services import pdf_html, pdf_render
    from meldcode.pdf_output import pdf_from_html

    pdf_from_html("<p>warm-up</p>")
    found = {}
    for size, pk in (("50", world.case_50), ("500", world.case_500)):
        case = Case.objects.get(pk=pk)
        started = time.perf_counter()
        pdf_render(case=case, version="inspectie", by=users["af"])
        total = time.perf_counter() - started
        html = pdf_html(case=case, version="inspectie", by=users["af"])
        started = time.perf_counter()
        pdf_from_html(html)
        alone = time.perf_counter() - started
        found[size] = {"seconds": total, "weasyprint": alone}
    return found


# --- under load ------------------------------------------------------------------------------


def _hammer(port: int, path: str, cookie: str, concurrency: int, seconds: float) -> dict:
    """Keep `concurrency` connections busy on one path for `seconds`; count answers."""
    deadline = time.monotonic() + seconds
    counts, errors = [0] * concurrency, [0] * concurrency

    def worker(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Cookie": f"sessionid={cookie}", "Host": "127.0.0.1"}
        while time.monotonic() < deadline:
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status == 200:
                    counts[index] += 1
                else:
                    errors[index] += 1
            except (OSError, http.client.HTTPException):
                errors[index] += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(concurrency)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return {"rps": sum(counts) / elapsed, "errors": sum(errors)}


def _rss_mb(master: int) -> list[float]:
    children = Path(f"/proc/{master}/task/{master}/children")
    pids = children.read_text().split() if children.exists() else []
    sizes = []
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return sizes


def under_load(pages: dict, seconds: float) -> dict:
    """Each page at 4 connections for `seconds`, with the bare view right before and after
    it (so a page is compared with the machine as it was at that moment)."""
    port = 8765
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "bench.wsgi:application", "--workers", "2",
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--timeout", "120"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("HEAD", "/")
                break
            except OSError:
                time.sleep(0.2)
        bare_cookie = pages["empty"]["cookie"]
        _hammer(port, "/bench/bare/", bare_cookie, 2, 2)  # warm both workers
        results = {}
        before = _hammer(port, "/bench/bare/", bare_cookie, 4, seconds)
        for name, page in pages.items():
            _hammer(port, page["url"], page["cookie"], 2, 1)  # warm-up
            found = _hammer(port, page["url"], page["cookie"], 4, seconds)
            after = _hammer(port, "/bench/bare/", bare_cookie, 4, seconds)
            found["bare"] = (before["rps"] + after["rps"]) / 2
            found["bare_errors"] = before["errors"] + after["errors"]
            results[name] = found
            before = after
        case_page = pages["case_500"]
        for concurrency in (1, 16):
            results[f"case_500_c{concurrency}"] = _hammer(
                port, case_page["url"], case_page["cookie"], concurrency, seconds
            )
        results["rss_mb"] = _rss_mb(server.pid)
        return results
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


# Jobs that only read run twice (see run_jobs); a second run of the others would find
# their work done (a reminder is sent once a day, a purged case is gone).
READ_ONLY_JOBS = {"verify_dossiers", "verify_access_log"}


def run_jobs() -> dict:
    """The nightly jobs, each in a process of its own: seconds and peak memory (VmHWM).
    A job that only reads runs twice and counts its faster run and its higher peak:
    growth is judged on a factor of ten, and a busy moment of the machine must not pass
    for growth of the job; memory hardly varies, so the higher peak is kept."""
    jobs = {
        "verify_dossiers": ["verify_dossiers"],
        "verify_access_log": ["verify_access_log"],
        "send_reminders": ["send_reminders"],
        "purge_expired": ["purge_expired"],
    }
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        # Reminders go to a mailer in memory: the job is measured, not a mail server.
        "BENCH_MAIL_IN_MEMORY": "1",
    }
    found = {}
    for name, command in jobs.items():
        measured = []
        for _ in range(2 if name in READ_ONLY_JOBS else 1):
            completed = subprocess.run(
                [sys.executable, "-m", "bench.job", *command],
                cwd=ROOT, env=env, capture_output=True, text=True,
            )  # fmt: skip
            if completed.returncode != 0:
                raise SystemExit(f"{name} failed:\n{completed.stderr[-3000:]}")
            measured.append(json.loads(completed.stdout.strip().splitlines()[-1]))
        found[name] = {
            "seconds": min(run["seconds"] for run in measured),
            "peak_mb": max(run["peak_mb"] for run in measured),
        }
    return found


def _analyze() -> None:
    """Fresh planner statistics after the bulk load, as autovacuum keeps them in use."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def explain(sql: str) -> str:
    from django.db import connection

    if not sql or not is_select(sql) or connection.vendor != "postgresql":
        return ""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


# page -> (who, how to find its URL)
PAGES = {
    "empty": ("ib", lambda w: "/bench/empty/"),
    "home_ib": ("ib_busy", lambda w: reverse("home")),
    "home_af": ("af_busy", lambda w: reverse("home")),
    "case_list": ("ib", lambda w: reverse("cases:list")),
    "case_list_teacher": ("leerkracht", lambda w: reverse("cases:list")),
    "case_500": ("af", lambda w: reverse("cases:detail", args=[w.case_500])),
    "case_20": ("ib", lambda w: reverse("cases:detail", args=[w.case_20])),
    "actions_af": ("af_busy", lambda w: reverse("cases:actions")),
    "actions_ib": ("ib_busy", lambda w: reverse("cases:actions")),
    "evaluation": ("directie", lambda w: reverse("cases:evaluation")),
    "evaluation_board": ("bestuur", lambda w: reverse("cases:evaluation") + "?scope=board"),
    "socialmap": ("ib", lambda w: reverse("socialmap:list")),
    "talk": ("ib", lambda w: reverse("cases:meeting_detail", args=list(w.meeting))),
    "weighing": ("af", lambda w: reverse("cases:weighing_new", args=[w.case_500])),
    "chronology": ("af", lambda w: reverse("cases:pupil_chronology", args=[w.pupil_500])),
}


def say(text: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def reverse(*args, **kwargs) -> str:
    from django.urls import reverse as django_reverse

    return django_reverse(*args, **kwargs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--load-seconds", type=float, default=0)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    # Mail stays in memory (bench/settings.py). Not Django's test environment: it makes
    # every template render send a signal that the test client answers with a copy of the
    # context, which production does not pay (Mijn acties renders 340 includes).
    os.environ["BENCH_MAIL_IN_MEMORY"] = "1"
    _setup()

    from bench.generate import busiest, generate
    from meldcode import runtime
    from meldcode.models import Role, User

    say(f"scale {args.scale:g}: generating")
    started = time.perf_counter()
    world = generate(args.scale, args.seed)
    _analyze()
    generated = time.perf_counter() - started
    people = {role: getattr(world, role) for role in
              ("ib", "leerkracht", "af", "directie", "bestuur")}  # fmt: skip
    people["af_busy"] = busiest(Role.AANDACHTSFUNCTIONARIS)
    people["ib_busy"] = busiest(Role.IB)
    users = {role: User.objects.get(pk=pk) for role, pk in people.items()}
    clients = {role: signed_in(user) for role, user in users.items()}
    # The process now holds the application like a server process does (meldcode/wsgi.py).
    runtime.settle()
    say(f"generated in {generated:.0f} s; timing the pages")
    pages = {}
    for name, (who, url_of) in PAGES.items():
        pages[name] = time_page(clients[who], url_of(world), args.runs)
        pages[name]["who"] = who
    slowest = max(pages, key=lambda name: pages[name]["p95"])
    report = {
        "scale": args.scale,
        "counts": world.counts,
        "generated_seconds": generated,
        "pages": pages,
        "slowest_page": slowest,
        "explain": explain(pages[slowest]["slowest_sql"]),
    }
    say("the PDF")
    report["pdf"] = time_pdfs(world, users)
    say("the jobs")
    report["jobs"] = run_jobs()
    if args.load_seconds:
        load_pages = {
            name: {"url": url_of(world), "cookie": clients[who].cookies["sessionid"].value}
            for name, (who, url_of) in PAGES.items()
        }
        say("under load")
        report["load"] = under_load(load_pages, args.load_seconds)
    Path(args.out).write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
