"""The real render: what `quarto render` leaves in _site/, audited as readers get it."""

from __future__ import annotations

import pytest
from exemplars.cli import main

pytestmark = pytest.mark.render


def test_check_site_with_the_browser_audit_in_both_themes_is_clean(rendered_project, capsys):
    code = main(["check-site", "--root", str(rendered_project)])
    out = capsys.readouterr().out
    assert code == 0, out
