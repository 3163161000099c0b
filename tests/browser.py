"""The machine's own Chromium for tests of what readers see, driven by Playwright.

Playwright never downloads a browser here: it is pointed at an installed Chromium (Debian's
`chromium`, or the path in EXEMPLARS_CHROMIUM, e.g. Chrome on a CI runner). Without one the browser
tests skip and say why, unless EXEMPLARS_REQUIRE_BROWSER is set (CI sets it): then they fail, so a
CI run can never pass with its browser tests silently skipped.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import pytest
from exemplars.site.chromium import chromium_path

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page


def require_chromium() -> str:
    """The Chromium's path, or skip (fail when EXEMPLARS_REQUIRE_BROWSER is set)."""
    path = chromium_path()
    if path is None:
        reason = "no Chromium on this machine (apt-get install chromium, or set EXEMPLARS_CHROMIUM)"
        if os.environ.get("EXEMPLARS_REQUIRE_BROWSER"):
            pytest.fail(f"{reason}; EXEMPLARS_REQUIRE_BROWSER is set, so this is a failure")
        pytest.skip(reason)
    return path


@contextmanager
def launched_browser() -> Iterator[Browser]:
    """A headless Chromium for the duration of the block."""
    from playwright.sync_api import sync_playwright

    path = require_chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def watched_page(browser: Browser, **options) -> Iterator[Page]:
    """A page in a context of its own (Playwright's context `options`); an error thrown by a
    script of the page fails the test when the block ends."""
    context = browser.new_context(**options)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield page
    finally:
        context.close()
    assert errors == []
