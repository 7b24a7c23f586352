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
    """A test client past the password and the second factor, like a real sign-in."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    from accounts.models import AuthenticatorApp
    from accounts.second_factor import FACTOR_AT
    from meldcode.security import LAST_SEEN, SIGNED_IN_AT

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = AuthenticatorApp.objects.get(user=user).persistent_id
    session[SIGNED_IN_AT] = session[LAST_SEEN] = session[FACTOR_AT] = time.time() + 3600
    session.save()
    return client


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
    slowest = max(queries, key=lambda query: float(query["time"]), default=None)
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


def under_load(urls: dict, cookies: dict, seconds: float) -> dict:
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
        results = {}
        plan = [
            ("bare", urls["bare"], cookies["ib"], 4),
            ("empty", urls["empty"], cookies["ib"], 4),
            ("case_list", urls["case_list_ib"], cookies["ib"], 4),
            ("actions", urls["actions"], cookies["ib"], 4),
            ("bare_again", urls["bare"], cookies["ib"], 4),
            ("case_page_c1", urls["case_20"], cookies["ib"], 1),
            ("case_page_c4", urls["case_20"], cookies["ib"], 4),
            ("case_page_c16", urls["case_20"], cookies["ib"], 16),
        ]
        _hammer(port, urls["bare"], cookies["ib"], 2, 2)  # warm both workers
        _hammer(port, urls["case_list_ib"], cookies["ib"], 2, 2)
        for name, path, cookie, concurrency in plan:
            results[name] = _hammer(port, path, cookie, concurrency, seconds)
        results["rss_mb"] = _rss_mb(server.pid)
        return results
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def _analyze() -> None:
    """Fresh planner statistics after the bulk load, as autovacuum keeps them in use."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def explain(sql: str) -> str:
    from django.db import connection

    if not sql or connection.vendor != "postgresql":
        return ""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--load-seconds", type=float, default=0)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    _setup()
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from bench.generate import generate
    from meldcode.models import User

    started = time.perf_counter()
    world = generate(args.scale, args.seed)
    _analyze()
    generated = time.perf_counter() - started
    setup_test_environment()  # the test client's host; mail stays in memory
    users = {role: User.objects.get(pk=getattr(world, role)) for role in
             ("ib", "leerkracht", "af", "directie")}  # fmt: skip
    clients = {role: signed_in(user) for role, user in users.items()}
    urls = {
        "home": reverse("home"),
        "case_list_ib": reverse("cases:list"),
        "case_list_teacher": reverse("cases:list"),
        "case_20": reverse("cases:detail", args=[world.case_20]),
        "case_500": reverse("cases:detail", args=[world.case_500]),
        "actions": reverse("cases:actions"),
        "socialmap": reverse("socialmap:list"),
        "evaluation": reverse("cases:evaluation"),
        "empty": "/bench/empty/",
        "bare": "/bench/bare/",
    }
    who = {"case_list_teacher": "leerkracht", "evaluation": "directie", "home": "ib"}
    pages = {}
    for name, url in urls.items():
        if name == "bare":
            continue
        pages[name] = time_page(clients[who.get(name, "ib")], url, args.runs)
    slowest = max(pages, key=lambda name: pages[name]["p95"])
    report = {
        "scale": args.scale,
        "counts": world.counts,
        "generated_seconds": generated,
        "pages": pages,
        "slowest_page": slowest,
        "explain": explain(pages[slowest]["slowest_sql"]),
        "pdf": time_pdfs(world, users),
    }
    if args.load_seconds:
        cookies = {role: client.cookies["sessionid"].value for role, client in clients.items()}
        report["load"] = under_load(urls, cookies, args.load_seconds)
    Path(args.out).write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
