"""axe-core in the browser tests: inject the vendored ``axe.min.js`` into a Playwright page,
run every rule and list each violation, of every impact level.

axe-core 4.14.1 (MPL-2.0) is vendored under ``vendor/axe-core/`` for the tests only: it is not
under a ``static/`` directory, so it is never collected or served (see its README there)."""

import re
from pathlib import Path
from typing import Any

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"

# The WCAG 2.x A/AA rules and axe's best practices: everything axe runs by default. No rule is
# disabled for our pages.
RUN_OPTIONS: dict[str, Any] = {"resultTypes": ["violations"]}


def violations(page: Any, *, where: str, disable: tuple[str, ...] = ()) -> list[str]:
    """Run axe on the page as it is now and describe each violation on one line per element:
    ``where: rule (impact): help — selector: what to fix``. ``disable`` turns rules off by id;
    a caller that passes one says why beside the call."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # evaluate() goes through the DevTools protocol, so a Content-Security-Policy that
        # forbids inline scripts does not keep axe out.
        page.evaluate(AXE.read_text(encoding="utf-8"))
    options = dict(RUN_OPTIONS)
    if disable:
        options["rules"] = {rule: {"enabled": False} for rule in disable}
    result = page.evaluate("options => axe.run(document, options)", options)
    lines = []
    for violation in result["violations"]:
        for node in violation["nodes"]:
            summary = re.sub(r"\s+", " ", node.get("failureSummary") or "").strip()
            lines.append(
                f"{where}: {violation['id']} ({violation['impact']}): {violation['help']}"
                f" — {' '.join(str(t) for t in node['target'])}: {summary}"
            )
    return lines


def id_problems(page: Any, *, where: str) -> list[str]:
    """Duplicate ids, and ``aria-describedby``, ``aria-labelledby``, ``aria-controls`` or
    ``<label for>`` naming an id the page lacks. axe-core 4.14 no longer has its duplicate-id
    rules, and it passes an ``aria-describedby`` as long as one of the ids it names exists: a
    help text or error message a screen reader should read with the field would be lost."""
    found = page.evaluate(
        """() => {
            const problems = [];
            const seen = new Map();
            for (const e of document.querySelectorAll('[id]')) {
                seen.set(e.id, (seen.get(e.id) || 0) + 1);
            }
            for (const [id, n] of seen) {
                if (n > 1) problems.push(`id "${id}" is used ${n} times`);
            }
            const refs = ['aria-describedby', 'aria-labelledby', 'aria-controls'];
            for (const attr of refs) {
                for (const e of document.querySelectorAll(`[${attr}]`)) {
                    for (const id of e.getAttribute(attr).split(/\\s+/).filter(Boolean)) {
                        if (!document.getElementById(id)) {
                            problems.push(`${attr} of #${e.id || e.name} names missing id "${id}"`);
                        }
                    }
                }
            }
            for (const label of document.querySelectorAll('label[for]')) {
                if (!document.getElementById(label.htmlFor)) {
                    problems.push(`<label for="${label.htmlFor}"> names a missing id`);
                }
            }
            return problems;
        }"""
    )
    return [f"{where}: {problem}" for problem in found]


def horizontal_overflow(page: Any, *, where: str) -> list[str]:
    """A line naming the page if it scrolls sideways at the viewport's width, and the widest
    elements that stick out (what to fix)."""
    width = page.viewport_size["width"]
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    if scroll_width <= width:
        return []
    wide = page.evaluate(
        """width => {
            // A table scrolling in its own box may stick out of the screen: the page does not.
            const scrolledInside = e => {
                for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
                    if (['auto', 'scroll'].includes(getComputedStyle(a).overflowX)) return true;
                }
                return false;
            };
            return Array.from(document.querySelectorAll('body *'))
            .filter(e => e.getBoundingClientRect().right > width + 1)
            .filter(e => !scrolledInside(e))
            .filter(e => !e.parentElement.closest('[data-overflowing]') &&
                         (e.setAttribute('data-overflowing', ''), true))
            .slice(0, 5)
            .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') +
                 ' (' + Math.round(e.getBoundingClientRect().right) + ' px)');
        }""",
        width,
    )
    return [f"{where}: the page is {scroll_width} px wide at {width} px; sticking out: {wide}"]
