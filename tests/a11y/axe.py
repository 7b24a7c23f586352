"""axe-core in the browser tests: an accessibility check of the page as the person sees it.

axe-core is a test-only tool, pinned in tests/a11y/package-lock.json and installed with
`npm ci --prefix tests/a11y` (.ci/run does so). Where it is missing, the check is skipped
with a hint, unless MELDCODE_REQUIRE_AXE=1 (as in CI) makes that a failure.

The page's Content-Security-Policy allows only the application's own scripts, so axe is
not added as a <script> tag: its source is evaluated through the DevTools protocol
(`page.evaluate`), which the policy does not govern, and the page itself stays as strict
as in production.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"


def axe_source() -> str:
    if not AXE.exists():
        message = (
            f"axe-core not found at {AXE}: run 'npm ci --prefix tests/a11y' to run the "
            "accessibility checks."
        )
        if os.environ.get("MELDCODE_REQUIRE_AXE") == "1":
            pytest.fail(message + " MELDCODE_REQUIRE_AXE=1 makes this fatal.")
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


def axe_violations(page) -> list[dict]:
    """Every violation axe finds on the page as it is now (WCAG 2.1 A and AA and axe's
    best practices), each with its rule, impact and the elements it concerns."""
    source = axe_source()
    page.evaluate(f"() => {{ {source}\n }}")
    result = page.evaluate(
        """async () => {
            const found = await axe.run(document, {
                runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                                 "best-practice"]},
            });
            return found.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map((n) => n.target.join(" ")),
            }));
        }"""
    )
    return result


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — {', '.join(v['nodes'][:5])}" for v in violations
    )
