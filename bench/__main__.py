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

from bench import upgrade

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.md"

# Targets at the large scale: every page below at one connection, and under load as a
# share of the empty page through all middleware (the case list more).
P95_MS = 50
MAX_QUERIES = 15
SHARE_OF_EMPTY = {"case_list": 25}
SHARE_DEFAULT = 15
PAGES = {
    "empty": "Empty page, through all middleware",
    "home_ib": "Start page (busiest ib'er)",
    "home_af": "Start page (busiest af)",
    "case_list": "Case list (ib)",
    "case_list_teacher": "Case list (teacher)",
    "case_500": "Case page, 500 entries (af)",
    "case_20": "Case page, 20 entries (ib)",
    "actions_af": "Mijn acties (busiest af)",
    "actions_ib": "Mijn acties (busiest ib'er)",
    "evaluation": "Evaluation (school, directie)",
    "evaluation_board": "Evaluation (board, bestuur)",
    "socialmap": "Sociale kaart",
    "talk": "Talk page (ib)",
    "weighing": "Weighing form (af)",
    "chronology": "Chronology, 500 entries (af)",
}
JOBS = ["verify_dossiers", "verify_access_log", "send_reminders", "purge_expired"]
MAX_JOB_MB = 300


def database_url(base: str, name: str) -> str:
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"/{name}"))


def recreate(base: str, name: str) -> None:
    import psycopg

    with psycopg.connect(database_url(base, "postgres"), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def bench_env(base: str, name: str) -> dict:
    """Production settings on a database of the bench's own."""
    recreate(base, name)
    return {
        **os.environ,
        "DATABASE_URL": database_url(base, name),
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "0",
        "DJANGO_SECRET_KEY": "bench-only-" + "x" * 50,
        "MELDCODE_SECRETS_KEY": "bench-only-" + "y" * 50,
        "MELDCODE_UPLOAD_ROOT": tempfile.mkdtemp(prefix="meldcode-bench-"),
    }


def run_upgrade(base: str, cases: int) -> dict:
    """An installation of `cases` cases from before seals, migrated to today (bench/upgrade.py):
    the migration's seconds and peak memory, and whether verify_dossiers then holds."""
    env = bench_env(base, "meldcode_bench_upgrade")
    python = sys.executable
    before = ["manage.py", "migrate", *upgrade.BEFORE_SEALS, "-v", "0"]
    subprocess.run([python, *before], cwd=ROOT, env=env, check=True)
    fill = [python, "-m", "bench.upgrade", "--fill", str(cases)]
    subprocess.run(fill, cwd=ROOT, env=env, check=True)
    result = {"cases": cases}
    for step, command in (("migrate", ["migrate", "-v", "0"]), ("verify", ["verify_dossiers"])):
        done = subprocess.run(
            [python, "-m", "bench.job", *command],
            cwd=ROOT, env=env, capture_output=True, text=True,
        )  # fmt: skip
        result[step] = json.loads(done.stdout) if done.returncode == 0 else None
        if done.returncode:
            result[f"{step}_error"] = done.stderr.strip().splitlines()[-1:]
            break
    return result


def run_scale(base: str, scale: float, seed: int, load_seconds: float) -> dict:
    name = "meldcode_bench_" + str(scale).replace(".", "_")
    env = bench_env(base, name)
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
    a_scale, b_scale = small["scale"], large["scale"]
    load = large.get("load") or {}
    empty_rps = load.get("empty", {}).get("rps", 0)
    lines = [
        f"Measured {time.strftime('%Y-%m-%d %H:%M')} on {os.cpu_count()} cores, PostgreSQL. "
        f"Scale {b_scale:g}: {', '.join(f'{v:,} {k}' for k, v in large['counts'].items())} "
        f"(generated in {large['generated_seconds']:.0f} s).",
        "",
        f"Targets at scale {b_scale:g}: p95 ≤ {P95_MS} ms at one connection, at most "
        f"{MAX_QUERIES} queries, the same number of queries at both scales, and under load "
        f"at least {SHARE_DEFAULT}% of the empty page's requests per second (the case list "
        f"{SHARE_OF_EMPTY['case_list']}%). Under load: gunicorn, 2 workers, production "
        "settings, 4 connections, only 127.0.0.1; the bare view (Django's session and "
        "authentication middleware only) runs right before and after each page.",
        "",
        f"| page | queries at {a_scale:g} | queries at {b_scale:g} | p50 (ms) | p95 (ms) | KB "
        "| requests/s | of the empty page | of the bare view |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for key, label in PAGES.items():
        a, b = small["pages"][key], large["pages"][key]
        marks = []
        if a["queries"] != b["queries"]:
            marks.append(f"{a['queries']} queries at {a_scale:g}, {b['queries']} at {b_scale:g}")
        if b["queries"] > MAX_QUERIES:
            marks.append(f"{b['queries']} queries > {MAX_QUERIES}")
        if b["p95"] > P95_MS:
            marks.append(f"p95 {b['p95']:.0f} ms > {P95_MS} ms")
        rps = share = of_bare = ""
        if key in load:
            figures = load[key]
            rps = f"{figures['rps']:.0f}"
            of_bare = f"{figures['rps'] / figures['bare'] * 100:.1f}%" if figures["bare"] else ""
            if key != "empty" and empty_rps:
                ratio = figures["rps"] / empty_rps * 100
                share = f"{ratio:.0f}%"
                target = SHARE_OF_EMPTY.get(key, SHARE_DEFAULT)
                if ratio < target:
                    marks.append(f"{ratio:.0f}% of the empty page < {target}%")
            if figures["errors"]:
                marks.append(f"{figures['errors']} errors under load")
        missed += [f"{label}: {mark}" for mark in marks]
        lines.append(
            f"| {label}{' ✗' if marks else ''} | {a['queries']} | {b['queries']} | "
            f"{b['p50']:.0f} | {b['p95']:.0f} | {b['bytes'] // 1024} | {rps} | {share} | "
            f"{of_bare} |"
        )
    if load:
        lines += [
            "",
            f"Case page of 500 entries (af) at 1, 4 and 16 connections: "
            f"{load['case_500_c1']['rps']:.0f}, {load['case_500']['rps']:.0f} and "
            f"{load['case_500_c16']['rps']:.0f} requests/s. Worker memory after the load: "
            f"{', '.join(f'{mb:.0f} MB' for mb in load['rss_mb'])}.",
        ]
    lines += ["", "| inspectie PDF | total (s) | weasyprint alone (s) | overhead |",
              "|---|---:|---:|---:|"]  # fmt: skip
    for size, figures in large["pdf"].items():
        overhead = (figures["seconds"] - figures["weasyprint"]) / figures["weasyprint"] * 100
        lines.append(
            f"| {size} entries | {figures['seconds']:.2f} | {figures['weasyprint']:.2f} | "
            f"{overhead:+.0f}% |"
        )
    growth = b_scale / a_scale
    lines += [
        "",
        f"Nightly jobs, each in its own process (peak memory is the process's VmHWM); "
        f"at most linear growth: no more than {growth:g} times the time and memory of "
        f"scale {a_scale:g}, and at most {MAX_JOB_MB} MB.",
        "",
        f"| job | s at {a_scale:g} | s at {b_scale:g} | MB at {a_scale:g} | MB at {b_scale:g} |",
        "|---|---:|---:|---:|---:|",
    ]
    for job in JOBS:
        a, b = small["jobs"][job], large["jobs"][job]
        marks = []
        # A second of start-up is no growth.
        if b["seconds"] > growth * max(a["seconds"], 1.0):
            marks.append(f"{b['seconds']:.1f} s, more than {growth:g} times {a['seconds']:.1f} s")
        if b["peak_mb"] > min(MAX_JOB_MB, growth * a["peak_mb"]):
            marks.append(f"peak {b['peak_mb']:.0f} MB")
        missed += [f"{job}: {mark}" for mark in marks]
        lines.append(
            f"| {job}{' ✗' if marks else ''} | {a['seconds']:.1f} | {b['seconds']:.1f} | "
            f"{a['peak_mb']:.0f} | {b['peak_mb']:.0f} |"
        )
    slowest = large["slowest_page"]
    lines += [
        "",
        f"Slowest page: {PAGES[slowest]}. EXPLAIN ANALYZE of its slowest SELECT:",
        "",
        "```",
        large["pages"][slowest]["slowest_sql"][:1500],
        "",
        large["explain"],
        "```",
        "",
        "Targets missed: " + ("; ".join(missed) if missed else "none."),
    ]
    return "\n".join(lines), missed


def upgrade_table(result: dict) -> tuple[str, list[str]]:
    """The upgrade's line: it must migrate, stay under the jobs' memory and verify."""
    cases, missed = result["cases"], []
    lines = [
        f"Upgrade of an installation of {cases:,} cases from before seals (bench/upgrade.py): "
        "`migrate` seals every case in migrations 0011 and 0016, then `verify_dossiers`.",
        "",
        "| step | s | MB |",
        "|---|---:|---:|",
    ]
    for step in ("migrate", "verify"):
        figures = result.get(step)
        if figures is None:
            error = " ".join(result.get(f"{step}_error", [])) or "not run"
            lines.append(f"| {step} ✗ | {error} | |")
            missed.append(f"upgrade, {step}: {error}")
            continue
        mark = " ✗" if figures["peak_mb"] > MAX_JOB_MB else ""
        if mark:
            missed.append(f"upgrade, {step}: peak {figures['peak_mb']:.0f} MB")
        lines.append(f"| {step}{mark} | {figures['seconds']:.1f} | {figures['peak_mb']:.0f} |")
    return "\n".join(lines), missed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make bench")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--load-seconds", type=float, default=5)
    parser.add_argument("--small", type=float, default=0.1)
    parser.add_argument("--large", type=float, default=1.0)
    parser.add_argument(
        "--upgrade-cases", type=int, default=50_000,
        help="cases of the installation from before seals that is upgraded (0: skip)",
    )  # fmt: skip
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
    if args.upgrade_cases:
        upgraded, upgrade_missed = upgrade_table(run_upgrade(base, args.upgrade_cases))
        text += "\n\n" + upgraded
        missed += upgrade_missed
    print(text)
    RESULTS.write_text("# Benchmark results\n\nWritten by `make bench`.\n\n" + text + "\n")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
