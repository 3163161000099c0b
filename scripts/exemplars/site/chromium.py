"""Which Chromium drives the accessibility audit: the machine's own, never a downloaded one.

Debian's `chromium` package, Chrome on a CI runner, or whatever EXEMPLARS_CHROMIUM names.
The tests find their browser through the same function.
"""

from __future__ import annotations

import os
import shutil

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
INSTALL_HINT = "install Chromium (apt-get install chromium) or set EXEMPLARS_CHROMIUM to a Chrome"


def chromium_path() -> str | None:
    """The Chromium to drive: EXEMPLARS_CHROMIUM if set, else the first one on PATH."""
    if configured := os.environ.get("EXEMPLARS_CHROMIUM"):
        return configured if os.access(configured, os.X_OK) else None
    return next((found for name in CANDIDATES if (found := shutil.which(name))), None)
