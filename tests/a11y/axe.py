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
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(f"() => {{ {source}\n }}")
    result = page.evaluate(
        """async () => {
            // One run at a time: the check of every page (EveryPage) runs beside a test
            // that may call axe itself, and axe refuses a second run while one is going.
            while (window.__axeRunning) await new Promise((done) => setTimeout(done, 50));
            window.__axeRunning = true;
            let found;
            try {
              found = await axe.run(document, {
                runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                                 "best-practice"]},
              });
            } finally {
              window.__axeRunning = false;
            }
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


def axe_available() -> bool:
    """Whether axe-core is installed; where it is not and MELDCODE_REQUIRE_AXE=1 (CI), a
    browser test fails instead of running unchecked."""
    if AXE.exists():
        return True
    if os.environ.get("MELDCODE_REQUIRE_AXE") == "1":
        pytest.fail(f"axe-core not found at {AXE}; MELDCODE_REQUIRE_AXE=1 makes this fatal.")
    return False


class EveryPage:
    """axe-core on every page of the application a browser test visits: after each load,
    and once more at the end of the test for what the page became (an opened disclosure,
    an error summary). A violation fails the test, naming the page and the rule."""

    def __init__(self, page) -> None:
        self.page = page
        self.found: dict[str, list[dict]] = {}
        self.checked: list[str] = []
        page.on("load", lambda _page=None: self.check())

    def check(self) -> None:
        page = self.page
        try:
            ours = "() => !!document.querySelector('main#main')"
            blanked = "() => document.body.classList.contains('hidden-now')"
            if page.is_closed() or not page.evaluate(ours):
                return  # not one of ours: a PDF, a blank page, the test's OpenID provider
            if page.evaluate(blanked):
                return  # "Scherm verbergen" blanked it on purpose; the hidden page is checked
            url = page.url
            violations = axe_violations(page)
            if page.evaluate(blanked) or page.url != url:
                return  # blanked or left while axe ran: it saw a page on its way out
        except Exception as error:  # the page moved on while it was checked: its next load is
            if "context was destroyed" in str(error) or "navigat" in str(error).lower():
                return
            raise
        self.checked.append(url)
        if violations:
            self.found.setdefault(url, []).extend(violations)

    def report(self) -> str:
        return "\n".join(
            f"{url}:\n{describe(violations)}" for url, violations in self.found.items()
        )
