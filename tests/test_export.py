"""`exemplars export` on the real list: each file it writes into the built site is read by the
kind of program readers use (feedparser for the feed, rispy for RIS, pandoc's citeproc for
CSL-JSON, the BibTeX scanner for each exemplar's file), and bad input writes nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import subprocess
from pathlib import Path

import feedparser
import pytest
import rispy
import yaml
from exemplars.cli import main
from exemplars.data.bibliography import bibtex_keys
from exemplars.data.csl import KIND_TYPES
from exemplars.data.schema import KINDS
from exemplars.normalise import fold
from exemplars.post.site import load_list_and_venues
from exemplars.quarto.markdown import pandoc_path

from tests.helpers import ROOT, snapshot
from tests.test_pre_render import split_like_quarto

FEED = "posts/exemplars/additions.xml"
SITE_URL = "https://USERNAME.github.io/exemplars"  # _quarto.yml's site-url


def project_files(root: Path) -> dict[str, str]:
    """Hashes of the files a reader of the project could find changed."""
    found = snapshot(root / "posts") | snapshot(root / "data")
    return found | {
        "references.bib": hashlib.sha256((root / "references.bib").read_bytes()).hexdigest()
    }


@pytest.fixture(scope="module")
def rows():
    return load_list_and_venues(ROOT)[0]


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    """The real list exported into an empty site folder; the project itself is left as it was."""
    site = tmp_path_factory.mktemp("site")
    before = project_files(ROOT)
    assert main(["export", str(site), "--root", str(ROOT)]) == 0
    assert project_files(ROOT) == before
    return site


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["export", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# What readers get.


def test_feedparser_reads_the_feed_cleanly_one_entry_per_exemplar(exported, rows):
    feed = feedparser.parse((exported / FEED).read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert len(feed.entries) == len(rows) == 117
    by_key = {row.key: row for row in rows}
    for entry in feed.entries:
        key = entry.link.partition("#")[2]
        row = by_key[key]
        assert entry.link == entry.id == f"{SITE_URL}/posts/exemplars/#{key}"
        assert entry.title == row.title
        assert entry.summary == row.note
        assert entry.updated_parsed[:3] == row.added.timetuple()[:3]
        assert entry.authors and all(author["name"] for author in entry.authors)
    assert sorted(entry.link.partition("#")[2] for entry in feed.entries) == sorted(by_key)


def test_the_feed_is_valid_atom_with_id_title_updated_author_and_self_link(exported, rows):
    feed = feedparser.parse((exported / FEED).read_bytes()).feed
    assert feed.id == f"{SITE_URL}/{FEED}"
    assert feed.title == "Exemplars: additions to the list"
    assert feed.author == "Surya"  # the post's author
    assert feed.updated_parsed[:3] == max(row.added for row in rows).timetuple()[:3]
    links = {link["rel"]: link["href"] for link in feed.links}
    assert links == {"self": f"{SITE_URL}/{FEED}", "alternate": f"{SITE_URL}/posts/exemplars/"}


def test_an_entry_names_every_author_of_the_work(exported):
    feed = feedparser.parse((exported / FEED).read_bytes())
    entry = next(e for e in feed.entries if e.link.endswith("#kucukelbir2016automatic"))
    assert [author["name"] for author in entry.authors] == [
        "Alp Kucukelbir",
        "Dustin Tran",
        "Rajesh Ranganath",
        "Andrew Gelman",
        "David M. Blei",
    ]


def test_rispy_reads_every_record_with_the_rows_keys_and_titles(exported, rows):
    records = rispy.load(exported / "references.ris")
    assert [record["id"] for record in records] == [row.key for row in rows]
    for record, row in zip(records, rows, strict=True):
        assert fold(record["title"]) == fold(row.title), row.key
        assert record["authors"] and record["year"], row.key
        if row.doi:
            assert record["doi"] == row.doi


def test_citeproc_formats_every_csl_json_entry(exported, rows):
    document = "---\nnocite: '@*'\n---\n"
    result = subprocess.run(
        [
            pandoc_path(),
            "--citeproc",
            "--to=html",
            f"--bibliography={exported / 'references.json'}",
        ],
        input=document,
        capture_output=True,
        text=True,
        check=True,
    )
    entries = re.findall(r'<div id="ref-([^"]+)" class="csl-entry"', result.stdout)
    assert sorted(entries) == sorted(row.key for row in rows)
    assert "WARNING" not in result.stderr


def test_csl_json_ids_are_the_keys_in_list_order_each_typed(exported, rows):
    import json

    items = json.loads((exported / "references.json").read_text(encoding="utf-8"))
    assert [item["id"] for item in items] == [row.key for row in rows]
    assert all(item["type"] and item["title"] for item in items)
    by_key = {item["id"]: item for item in items}
    assert by_key["pearl1996art"]["type"] == "speech"  # a @misc entry, typed by the row's kind
    assert by_key["kingma2014autoencoding"]["URL"] == "https://arxiv.org/abs/1312.6114"


def test_every_kind_of_the_list_has_a_csl_type():
    assert set(KIND_TYPES) == set(KINDS)


def test_each_exemplar_has_its_own_bibtex_file_without_the_project_fields(exported, rows):
    folder = exported / "posts" / "exemplars" / "bib"
    assert sorted(path.stem for path in folder.glob("*.bib")) == sorted(row.key for row in rows)
    for row in rows:
        path = folder / f"{row.key}.bib"
        text = path.read_text(encoding="utf-8")
        read = bibtex_keys(text, path)
        assert (read.keys, read.findings) == ({row.key}, ())
        assert "x-curated" not in text and "x-fetched" not in text


# The command: where it writes, what it says, and that bad input writes nothing.


@pytest.fixture
def site(real_project: Path) -> Path:
    """The real project's site folder after a first export."""
    folder = real_project / "_site"
    folder.mkdir()
    assert main(["export", "--root", str(real_project), str(folder)]) == 0
    return folder


def test_it_says_what_it_wrote(real_project, capsys):
    (real_project / "_site").mkdir()
    code, out, err = run(capsys, "--root", str(real_project))
    assert (code, err) == (0, "")
    assert out == (
        f"exemplars export: 117 exemplars written to {real_project / '_site'}: references.json, "
        "references.ris, posts/exemplars/additions.xml and posts/exemplars/bib/\n"
    )


def test_in_a_render_it_writes_where_quarto_built_the_site(real_project, monkeypatch, capsys):
    built = real_project / "elsewhere"
    built.mkdir()
    monkeypatch.setenv("QUARTO_PROJECT_OUTPUT_DIR", str(built))
    assert run(capsys, "--root", str(real_project))[0] == 0
    assert (built / "references.json").is_file() and (built / FEED).is_file()


def test_files_are_replaced_whole_and_past_exemplars_files_removed(site, real_project, capsys):
    (site / "references.ris").write_text("stale", encoding="utf-8")
    (site / "posts/exemplars/bib/gone2001.bib").write_text("@misc{gone2001,}", encoding="utf-8")
    code, out, _ = run(capsys, "--root", str(real_project), str(site))
    assert code == 0
    assert out.endswith("; 1 BibTeX file of past exemplars removed\n")
    assert not (site / "posts/exemplars/bib/gone2001.bib").exists()
    assert len(rispy.load(site / "references.ris")) == 117
    assert not list(site.rglob(".*"))  # no temporary file or folder left behind


def test_an_interrupted_swap_keeps_the_previous_bibtex_files(
    site, real_project, capsys, monkeypatch
):
    import os

    folder = site / "posts" / "exemplars" / "bib"
    before = snapshot(folder)
    real_replace = os.replace

    def failing(source, target):
        if str(source).endswith(".new"):  # the new folder's move into place
            raise OSError(28, "No space left on device", str(target))
        return real_replace(source, target)

    monkeypatch.setattr("exemplars.export.os.replace", failing)
    code, _, err = run(capsys, "--root", str(real_project), str(site))
    assert code == 2
    assert err == f"exemplars export: cannot write {folder}: No space left on device\n"
    assert snapshot(folder) == before
    assert not list(site.rglob(".*"))


def test_a_row_without_an_entry_writes_nothing(site, real_project, capsys):
    bib = real_project / "references.bib"
    text = bib.read_text(encoding="utf-8")
    start = text.index("@inproceedings{kingma2014autoencoding,")
    bib.write_text(text[:start] + text[text.index("\n}\n", start) + 3 :], encoding="utf-8")
    before = snapshot(site)
    code, out, err = run(capsys, "--root", str(real_project), str(site))
    line = next(
        n
        for n, row in enumerate((real_project / "data/exemplars.csv").read_text().splitlines(), 1)
        if row.startswith("kingma2014autoencoding,")
    )
    assert code == 2
    assert out.startswith(
        f'data/exemplars.csv:{line}: error: "kingma2014autoencoding" has no entry in '
        "references.bib [BIB003]"
    )
    assert err == "exemplars export: fix references.bib first; nothing was written\n"
    assert snapshot(site) == before


def test_a_list_with_errors_writes_nothing(site, real_project, capsys):
    csv = real_project / "data" / "exemplars.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace(",2018,", ",MMXVIII,", 1), "utf-8")
    before = snapshot(site)
    code, _, err = run(capsys, "--root", str(real_project), str(site))
    assert code == 2
    assert 'year "MMXVIII"' in err and err.endswith("; nothing was written\n")
    assert snapshot(site) == before


def test_without_the_site_address_the_feed_cannot_be_written(site, real_project, capsys):
    config = real_project / "_quarto.yml"
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    del data["website"]["site-url"]
    config.write_text(yaml.safe_dump(data), encoding="utf-8")
    before = snapshot(site)
    code, _, err = run(capsys, "--root", str(real_project), str(site))
    assert code == 2
    assert err == (
        "exemplars export: _quarto.yml has no `website: site-url`; the feed's addresses need "
        "the site's address; nothing was written\n"
    )
    assert snapshot(site) == before


def test_when_pandoc_fails_it_says_what_pandoc_said(site, real_project, capsys, monkeypatch):
    broken = real_project / "broken-pandoc"
    broken.write_text("#!/bin/sh\necho 'pandoc: out of memory' >&2\nexit 251\n", encoding="utf-8")
    broken.chmod(0o755)
    monkeypatch.setattr("exemplars.export.pandoc_path", lambda: str(broken))
    before = snapshot(site)
    code, _, err = run(capsys, "--root", str(real_project), str(site))
    assert code == 2
    assert "pandoc could not convert" in err and "pandoc: out of memory" in err
    assert snapshot(site) == before


def test_a_missing_site_folder_exits_2(real_project, capsys):
    code, out, err = run(capsys, "--root", str(real_project), str(real_project / "_site"))
    assert (code, out) == (2, "")
    assert err.endswith("_site: no such folder; render the site first\n")


def test_it_never_writes_into_the_project_folder(real_project, capsys):
    before = snapshot(real_project)
    code, _, err = run(capsys, "--root", str(real_project), str(real_project))
    assert code == 2
    assert "is the project folder" in err
    assert snapshot(real_project) == before


def test_a_project_without_a_list_has_nothing_to_export(tmp_path, capsys):
    (tmp_path / "_site").mkdir()
    code, out, _ = run(capsys, "--root", str(tmp_path))
    assert (code, list((tmp_path / "_site").iterdir())) == (0, [])
    assert "nothing to export" in out


def test_the_render_exports_before_it_checks_the_site():
    config = yaml.safe_load((ROOT / "_quarto.yml").read_text(encoding="utf-8"))
    steps = [split_like_quarto(step) for step in config["project"]["post-render"]]
    assert steps.index(["exemplars", "export"]) < steps.index(
        ["exemplars", "check-site", "--no-browser"]
    )


def test_dates_in_the_feed_are_the_days_added(real_project, capsys):
    """A row added later comes first, and dates the feed."""
    csv = real_project / "data" / "exemplars.csv"
    lines = csv.read_text(encoding="utf-8").splitlines(keepends=True)
    last = lines[-1]
    lines[-1] = last[: last.rindex(",")] + ",2025-02-03\n"
    csv.write_text("".join(lines), encoding="utf-8")
    (real_project / "_site").mkdir()
    assert run(capsys, "--root", str(real_project))[0] == 0
    feed = feedparser.parse((real_project / "_site" / FEED).read_bytes())
    key = last.split(",", 1)[0]
    assert feed.entries[0].link.endswith(f"#{key}")
    assert feed.entries[0].updated == feed.feed.updated == "2025-02-03T00:00:00+00:00"
    assert dt.date(2025, 2, 3) > dt.date.fromisoformat(feed.entries[1].updated[:10])
