"""The website around the post: its configuration, and what the post reads from it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from exemplars.data.reading_list import InvalidList
from exemplars.data.schema import EXEMPLAR_COLUMNS
from exemplars.post.site import find_root, history_url, load_list_and_venues, updates_markdown
from exemplars.quarto.markdown import parse_markdown

from tests.helpers import ROOT, row, write_csv


def config(name: str) -> dict:
    return yaml.safe_load((ROOT / name).read_text(encoding="utf-8"))


def write_config(root: Path, website: dict) -> None:
    (root / "_quarto.yml").write_text(yaml.safe_dump({"website": website}), encoding="utf-8")


def test_the_post_finds_the_project_from_its_own_folder(tmp_path):
    post = tmp_path / "posts" / "exemplars"
    post.mkdir(parents=True)
    write_config(tmp_path, {})
    assert find_root(post) == tmp_path.resolve()
    with pytest.raises(FileNotFoundError, match=re.escape("no _quarto.yml")):
        find_root(tmp_path.parent)


def test_history_and_issue_links_come_from_the_one_repo_url(tmp_path):
    write_config(tmp_path, {"repo-url": "https://github.com/someone/reading-list/"})
    post = tmp_path / "posts" / "exemplars" / "index.qmd"
    assert history_url(tmp_path, post) == (
        "https://github.com/someone/reading-list/commits/main/posts/exemplars/index.qmd"
    )
    markdown = tmp_path / "updates.md"
    markdown.write_text(updates_markdown(tmp_path, post), encoding="utf-8")
    assert [link.value for link in parse_markdown(markdown).links] == [
        "https://github.com/someone/reading-list/commits/main/posts/exemplars/index.qmd",
        "https://github.com/someone/reading-list/issues",
    ]


def test_a_site_without_a_repository_cannot_link_its_history(tmp_path):
    write_config(tmp_path, {"site-url": "https://example.org"})
    with pytest.raises(ValueError, match="no website: repo-url"):
        history_url(tmp_path, tmp_path / "posts" / "x.qmd")


def test_the_post_refuses_a_list_with_errors(small_project):
    write_csv(small_project / "data/exemplars.csv", EXEMPLAR_COLUMNS, [row(year="20x4")])
    with pytest.raises(InvalidList, match=re.escape('data/exemplars.csv:2: error: year "20x4"')):
        load_list_and_venues(small_project)


def test_the_render_is_gated_by_the_checks_and_publishes_the_downloads():
    project = config("_quarto.yml")["project"]
    assert project["type"] == "website"
    assert "exemplars check" in project["pre-render"]
    assert {"/references.bib", "/data/exemplars.csv"} <= set(project["resources"])
    assert config("_quarto.yml")["execute"]["freeze"] == "auto"


def test_forkers_set_the_site_and_repository_addresses_in_one_place():
    text = (ROOT / "_quarto.yml").read_text(encoding="utf-8")
    website = config("_quarto.yml")["website"]
    assert website["site-url"].startswith("https://") and website["repo-url"].startswith("https://")
    # Every other use of the repository address is a YAML alias of the one definition.
    assert text.count(website["repo-url"]) == 1
    assert text.count(website["site-url"]) == 1


def test_posts_read_like_a_distill_article():
    shared = config("posts/_metadata.yml")
    assert shared["reference-location"] == "margin"  # footnotes become sidenotes
    assert shared["citation-location"] == "margin"
    assert shared["execute"]["echo"] is False  # readers see output, not code
    assert shared["citation"] and shared["google-scholar"] and shared["license"]
    assert shared["format"]["html"]["code-tools"]["source"] == "repo"
