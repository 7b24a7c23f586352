"""A server process holds the application with the garbage collector set for requests
(meldcode.runtime): what it loaded at start-up frozen out of the collector's passes."""

import os
import subprocess
import sys
from pathlib import Path

from meldcode import runtime

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import gc
import meldcode.wsgi
import sys
print(gc.get_freeze_count(), *gc.get_threshold(), 'cases.views' in sys.modules)
"""


def test_a_server_process_freezes_what_it_loaded_and_collects_less_often():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="a-long-random-production-key-" + "x7Qz9" * 10,
        MELDCODE_SECRETS_KEY="another-long-random-value-" * 2,
    )
    started = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert started.returncode == 0, started.stderr
    frozen, *thresholds, views_loaded = started.stdout.split()
    # Tens of thousands of objects of Django and the app, the views included.
    assert int(frozen) > 10_000
    assert tuple(int(n) for n in thresholds) == runtime.GC_THRESHOLDS
    assert views_loaded == "True"
