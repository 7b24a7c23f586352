"""One nightly job in a process of its own, for the benchmark: prints one JSON line with
its seconds and its peak memory (VmHWM, this process's own high-water mark: exec starts
it anew, unlike ru_maxrss, which carries the parent's).

    DJANGO_SETTINGS_MODULE=bench.settings python -m bench.job verify_dossiers
"""

from __future__ import annotations

import io
import json
import os
import sys
import time
from pathlib import Path


def peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command(*argv, stdout=io.StringIO(), stderr=sys.stderr)
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb()}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
