"""The accessibility audit: axe-core over every page, in the light and the dark theme.

The site is served on 127.0.0.1 and opened in the machine's Chromium through Playwright; axe-core
(from axe-playwright-python) checks each page as the reader's browser built it, after Quarto's
scripts ran. The theme is chosen the way Quarto's toggle remembers it, in localStorage under
`quarto-color-scheme` ("default" or "alternate"); the body's `quarto-dark` class tells which one
a page shows, so a page with a single theme is audited once.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from html import unescape
from typing import TYPE_CHECKING, Any

from exemplars.findings import Finding, finding
from exemplars.serve import serving
from exemplars.site.built_site import BuiltSite

if TYPE_CHECKING:
    from playwright.async_api import Browser

SENTINELS = ("default", "alternate")  # Quarto's stored choice: the author's theme, the other
THEMES = ["light", "dark"]  # the order findings name them in
SERIOUS = frozenset({"critical", "serious"})
VIEWPORT = {"width": 1400, "height": 1000}
TIMEOUT_MS = 60_000
THEME_SCRIPT = "try { localStorage.setItem('quarto-color-scheme', '%s'); } catch (e) {}"
THEME_SHOWN = "document.body.classList.contains('quarto-dark') ? 'dark' : 'light'"
ID_IN_SELECTOR = re.compile(r"#((?:\\.|[\w-])+)")
URL_IN_TAG = re.compile(r'^<\w+[^>]*?\s(?:src|href)="([^"]*)"')


class MissingAuditTools(Exception):
    """Playwright or axe-playwright-python is not installed."""


@dataclass(frozen=True)
class Violation:
    """One element of one page that breaks one axe-core rule, in one theme."""

    page: str
    theme: str
    rule: str
    impact: str
    help: str
    selector: str
    help_url: str = ""
    html: str = ""  # the element's start tag as axe-core quotes it


def audit_site(site: BuiltSite, chromium: str) -> list[Finding]:
    """Every page of the site audited by axe-core in Chromium, in each theme it offers."""
    try:
        from axe_playwright_python.async_playwright import Axe
        from playwright.async_api import async_playwright
    except ImportError as exc:
        raise MissingAuditTools(
            "the audit needs Playwright and axe-playwright-python (uv sync --group dev)"
        ) from exc

    async def audit(base: str) -> list[_ThemeAudit]:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=chromium)
            try:
                # One browser context per theme, side by side: axe-core's colour checks on a long
                # page take seconds, and each context's pages render in their own process.
                return await asyncio.gather(
                    *(_audit_theme(browser, Axe(), base, sorted(site.pages), s) for s in SENTINELS)
                )
            finally:
                await browser.close()

    with serving(site.folder) as base:
        audits = asyncio.run(audit(base))
    violations, failures = _merge(audits)
    return _findings(site, violations) + [
        finding(site.file(page), 1, "SITE014", f"the browser could not audit it: {reason}")
        for page, reason in failures
    ]


@dataclass
class _ThemeAudit:
    """What one pass over the pages found: per page, the theme it showed and its violations."""

    shown: dict[str, tuple[str, list[Violation]]] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)


async def _audit_theme(
    browser: Browser, axe: Any, base: str, pages: list[str], sentinel: str
) -> _ThemeAudit:
    from playwright.async_api import Error as PlaywrightError

    found = _ThemeAudit()
    context = await browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(TIMEOUT_MS)
    await context.add_init_script(THEME_SCRIPT % sentinel)
    try:
        tab = await context.new_page()
        for path in pages:
            try:
                response = await tab.goto(base + path, wait_until="load")
                if response is not None and not response.ok:
                    found.failures[path] = f"HTTP {response.status}"
                    continue
                theme = await tab.evaluate(THEME_SHOWN)
                results = await axe.run(tab)
                found.shown[path] = (theme, _violations(path, theme, results.response))
            except PlaywrightError as exc:
                found.failures[path] = str(exc).splitlines()[0]
    finally:
        await context.close()
    return found


def _merge(audits: list[_ThemeAudit]) -> tuple[list[Violation], list[tuple[str, str]]]:
    """The violations of each page in each theme it showed (a one-theme page counts once)."""
    violations: list[Violation] = []
    seen: set[tuple[str, str]] = set()
    failures: dict[str, str] = {}
    for audit in audits:
        failures |= audit.failures
        for path, (theme, found) in audit.shown.items():
            if (path, theme) not in seen:
                seen.add((path, theme))
                violations += found
    return violations, sorted(failures.items())


def _violations(page: str, theme: str, response: dict) -> list[Violation]:
    return [
        Violation(
            page,
            theme,
            rule["id"],
            node.get("impact") or rule.get("impact") or "minor",
            rule.get("help", ""),
            " >> ".join(_flatten(node.get("target", []))),
            rule.get("helpUrl", ""),
            node.get("html", ""),
        )
        for rule in response.get("violations", [])
        for node in rule.get("nodes", [])
    ]


def _flatten(target: list) -> list[str]:
    """axe-core's target: a selector per frame or shadow root, each a string or a list."""
    return [part if isinstance(part, str) else " ".join(_flatten(part)) for part in target]


def _findings(site: BuiltSite, violations: list[Violation]) -> list[Finding]:
    """One finding per page, rule and element, naming the themes it fails in."""
    grouped: dict[tuple[str, str, str], list[Violation]] = {}
    for violation in violations:
        key = (violation.page, violation.rule, violation.selector)
        grouped.setdefault(key, []).append(violation)
    findings = []
    for (page, rule, selector), found in grouped.items():
        first = found[0]
        themes = sorted({v.theme for v in found}, key=THEMES.index)
        code = "SITE011" if first.impact in SERIOUS else "SITE012"
        message = f"{rule} ({first.impact}, {' and '.join(themes)}): {first.help}: {selector}"
        details = {"rule": rule, "impact": first.impact, "selector": selector, "themes": themes}
        details["help_url"] = first.help_url
        line = _line_of(site, page, selector, first.html)
        findings.append(finding(site.file(page), line, code, message, details))
    return findings


def _line_of(site: BuiltSite, page: str, selector: str, html: str) -> int:
    """Where the element is in the HTML file: by an id its selector names, else by the URL in
    its `src` or `href`, else the page's `<main>` (the browser's DOM keeps no source lines)."""
    parsed = site.pages[page]
    for ident in reversed(ID_IN_SELECTOR.findall(selector)):
        if (unescaped := re.sub(r"\\(.)", r"\1", ident)) in parsed.ids:
            return parsed.ids[unescaped]
    if found := URL_IN_TAG.search(html):
        url = unescape(found.group(1))
        lines = [ref.line for ref in parsed.references if ref.url == url]
        if len(lines) == 1:
            return lines[0]
    return parsed.main_line
