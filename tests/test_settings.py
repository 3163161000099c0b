"""`[tool.exemplars]` in pyproject.toml: defaults, partial tables, the one contact address."""

from __future__ import annotations

from exemplars.config import load_settings
from exemplars.http import user_agent


def test_defaults_without_a_pyproject(tmp_path):
    settings = load_settings(tmp_path)
    assert settings.contact == ""
    assert settings.fetch_bib.arxiv.interval == 3.0
    assert settings.fetch_bib.crossref.url == "https://api.crossref.org"


def test_a_partial_source_table_keeps_the_other_defaults(tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        '[tool.exemplars]\ncontact = "me@example.org"\n\n'
        "[tool.exemplars.fetch-bib.arxiv]\ninterval = 5\n"
    )
    settings = load_settings(tmp_path)
    assert (settings.fetch_bib.arxiv.url, settings.fetch_bib.arxiv.interval) == (
        "https://export.arxiv.org",
        5.0,
    )
    assert user_agent(settings.contact).endswith(" (mailto:me@example.org)")
