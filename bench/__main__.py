"""`make bench`: the benchmark at scale 0.1 and 1 on PostgreSQL, one table, the targets.

Each scale gets a database of its own on the server of DATABASE_URL
(`meldcode_bench_0_1`, `meldcode_bench_1`), dropped and made anew, so a developer's own
database is never touched. Prints the table, writes it to bench/results.md, and exits
1 when a target is missed (the table says which).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.md"

TARGETS_MS = {"case_list_ib": 100, "case_list_teacher": 100, "case_500": 250, "actions": 150}
PAGES = {
    "empty": "Empty page, through all middleware",
    "home": "Start page (ib)",
    "case_list_ib": "Case list, as ib'er",
    "case_list_teacher": "Case list, as teacher",
    "case_20": "Case page, 20 entries",
    "case_500": "Case page, 500 entries",
    "actions": "Mijn acties (ib)",
    "socialmap": "Sociale kaart",
    "evaluation": "Evaluation (directie)",
}


def database_url(base: str, name: str) -> str:
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"/{name}"))


def recreate(base: str, name: str) -> None:
    import psycopg

    with psycopg.connect(database_url(base, "postgres"), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def run_scale(base: str, scale: float, seed: int, load_seconds: float) -> dict:
    name = "meldcode_bench_" + str(scale).replace(".", "_")
    recreate(base, name)
    env = {
        **os.environ,
        "DATABASE_URL": database_url(base, name),
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "0",
        "DJANGO_SECRET_KEY": "bench-only-" + "x" * 50,
        "MELDCODE_UPLOAD_ROOT": tempfile.mkdtemp(prefix="meldcode-bench-"),
    }
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    # As in production: static files collected, with their hashed names.
    subprocess.run(
        [python, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        command = [python, "-m", "bench.measure", "--scale", str(scale), "--seed", str(seed)]
        command += ["--out", out.name, "--load-seconds", str(load_seconds)]
        subprocess.run(command, cwd=ROOT, env=env, check=True)
        return json.loads(Path(out.name).read_text())


def table(small: dict, large: dict) -> tuple[str, list[str]]:
    missed = []
    lines = [
        f"Measured {time.strftime('%Y-%m-%d %H:%M')} on {os.cpu_count()} cores, PostgreSQL. "
        f"Scale 1: {', '.join(f'{v:,} {k}' for k, v in large['counts'].items())} "
        f"(generated in {large['generated_seconds']:.0f} s).",
        "",
        "| page | queries at 0.1 | queries at 1 | p50 (ms) | p95 (ms) | target p95 | KB |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for key, label in PAGES.items():
        a, b = small["pages"][key], large["pages"][key]
        target = TARGETS_MS.get(key)
        mark = ""
        if a["queries"] != b["queries"]:
            missed.append(f"{label}: {a['queries']} queries at 0.1, {b['queries']} at 1")
            mark = " ✗"
        if target and b["p95"] > target:
            missed.append(f"{label}: p95 {b['p95']:.0f} ms > {target} ms")
            mark = " ✗"
        lines.append(
            f"| {label}{mark} | {a['queries']} | {b['queries']} | {b['p50']:.0f} | "
            f"{b['p95']:.0f} | {f'≤ {target}' if target else ''} | {b['bytes'] // 1024} |"
        )
    lines += ["", "| inspectie PDF | total (s) | weasyprint alone (s) | overhead |",
              "|---|---:|---:|---:|"]  # fmt: skip
    for size, figures in large["pdf"].items():
        overhead = (figures["seconds"] - figures["weasyprint"]) / figures["weasyprint"] * 100
        lines.append(
            f"| {size} entries | {figures['seconds']:.2f} | {figures['weasyprint']:.2f} | "
            f"{overhead:+.0f}% |"
        )
        if size == "500" and figures["seconds"] > 10:
            missed.append(f"PDF of 500 entries: {figures['seconds']:.1f} s > 10 s")
        if size == "500" and overhead > 10:
            missed.append(f"PDF of 500 entries: our overhead {overhead:.0f}% > 10%")
    load = large.get("load")
    if load:
        bare = (load["bare"]["rps"] + load["bare_again"]["rps"]) / 2
        lines += [
            "",
            "Under load: gunicorn, 2 workers, 127.0.0.1, 4 connections unless said.",
            "",
            "| | requests/s | of the bare view | errors |",
            "|---|---:|---:|---:|",
        ]
        for key, label in [("bare", "bare Django view (signed in)"),
                           ("empty", "the same view through all the project's middleware"),
                           ("case_list", "case list (ib)"), ("actions", "Mijn acties (ib)"),
                           ("case_page_c1", "case page, 1 connection"),
                           ("case_page_c4", "case page, 4 connections"),
                           ("case_page_c16", "case page, 16 connections")]:  # fmt: skip
            rps = load[key]["rps"]
            ratio = rps / bare * 100 if bare else 0
            lines.append(f"| {label} | {rps:.0f} | {ratio:.0f}% | {load[key]['errors']} |")
            if key in ("case_list", "actions") and ratio < 40:
                missed.append(f"{label}: {ratio:.0f}% of the bare view < 40%")
        rss = load["rss_mb"]
        lines += ["", f"Worker memory after the load: {', '.join(f'{mb:.0f} MB' for mb in rss)}."]
        if any(mb > 200 for mb in rss):
            missed.append(f"worker memory {max(rss):.0f} MB > 200 MB")
    lines += [
        "",
        f"Slowest page: {PAGES[large['slowest_page']]}. EXPLAIN ANALYZE of its slowest query:",
        "",
        "```",
        large["pages"][large["slowest_page"]]["slowest_sql"][:1500],
        "",
        large["explain"],
        "```",
        "",
        "Targets missed: " + ("; ".join(missed) if missed else "none."),
    ]
    return "\n".join(lines), missed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make bench")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--load-seconds", type=float, default=10)
    parser.add_argument("--small", type=float, default=0.1)
    parser.add_argument("--large", type=float, default=1.0)
    args = parser.parse_args(argv)
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres://", "postgresql://")):
        print(
            "make bench runs on PostgreSQL: set DATABASE_URL to a server it may create "
            "databases on, e.g.\n  DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres "
            "make bench",
            file=sys.stderr,
        )
        return 2
    small = run_scale(base, args.small, args.seed, 0)
    large = run_scale(base, args.large, args.seed, args.load_seconds)
    text, missed = table(small, large)
    print(text)
    RESULTS.write_text("# Benchmark results\n\nWritten by `make bench`.\n\n" + text + "\n")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
