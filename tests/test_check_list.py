"""`exemplars check` on the list and the venue map: one test per class of bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from exemplars.cli import main
from exemplars.data.schema import EXEMPLAR_COLUMNS, VENUE_COLUMNS

from tests.helpers import ROOT, VENUE, row, snapshot, write_bib, write_csv

CSV = "data/exemplars.csv"


def run_check(root: Path, capsys, *extra: str) -> tuple[int, str]:
    before = snapshot(root)
    code = main(["check", "--root", str(root), *extra])
    assert snapshot(root) == before, "check must never modify a file"
    return code, capsys.readouterr().out


def write_rows(root: Path, rows: list[dict[str, str]]) -> None:
    write_csv(root / CSV, EXEMPLAR_COLUMNS, rows)
    write_bib(root, rows)


def test_the_real_list_is_clean():
    result = subprocess.run(
        [str(Path(sys.executable).parent / "exemplars"), "check", "--root", str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # Warnings may remain: the list keeps the source post's years, sometimes a preprint's.
    assert " error:" not in result.stdout
    assert "Traceback" not in result.stderr


def test_a_valid_project_passes(small_project, capsys):
    code, out = run_check(small_project, capsys)
    assert code == 0
    assert out.strip() == "All clear: exemplars check."


def test_bad_year_names_file_line_and_value(small_project, capsys):
    write_rows(small_project, [row(), row(key="b", year="20x4")])
    code, out = run_check(small_project, capsys)
    assert code == 1
    assert f'{CSV}:3: error: year "20x4" is not a year' in out
    assert "Found 1 error and 0 warnings in 1 file" in out


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("key", "Kingma-2014", 'key "Kingma-2014" is not a key'),
        ("kind", "poster", 'kind "poster" is not one of: article'),
        ("doi", "https://doi.org/10.1/x", 'doi "https://doi.org/10.1/x" is not a DOI'),
        ("arxiv", "arXiv:1312.6114", 'arxiv "arXiv:1312.6114" is not an arXiv id'),
        ("added", "04/11/2024", 'added "04/11/2024" is not a date'),
        ("year", "1066", 'year "1066" is outside'),
        ("url", "www.example.org", 'url "www.example.org" is not an http(s) URL'),
        (
            "authors",
            "Ada Lovelace;; Alan Turing",
            'authors "Ada Lovelace;; Alan Turing" has an empty',
        ),
        ("title", "", "title is empty"),
    ],
)
def test_schema_violations(small_project, capsys, field, value, expected):
    write_rows(small_project, [row(), row(**({"key": "b"} | {field: value}))])
    code, out = run_check(small_project, capsys)
    assert code == 1
    assert f"{CSV}:3: error: {expected}" in out


def test_duplicate_keys_point_at_the_first(small_project, capsys):
    write_rows(small_project, [row(), row(title="Other"), row(key="c")])
    code, out = run_check(small_project, capsys)
    assert code == 1
    assert f'{CSV}:3: error: key "kingma2014autoencoding" already on line 2' in out


def test_missing_and_extra_columns(small_project, capsys):
    columns = [c for c in EXEMPLAR_COLUMNS if c != "year"] + ["rating"]
    write_csv(
        small_project / CSV, columns, [{k: v for k, v in row(rating="5").items() if k != "year"}]
    )
    code, out = run_check(small_project, capsys)
    assert code == 1
    assert f'{CSV}:1: error: missing column "year"' in out
    assert f'{CSV}:1: error: unexpected column "rating"' in out


def test_ragged_row(small_project, capsys):
    path = small_project / CSV
    path.write_text(path.read_text() + "only,three,fields\n")
    code, out = run_check(small_project, capsys)
    assert code == 1
    assert f"{CSV}:4: error: row has 3 fields, the header has {len(EXEMPLAR_COLUMNS)}" in out


def test_stray_whitespace(small_project, capsys):
    write_rows(small_project, [row(), row(key="b", venue="ICLR ")])
    code, out = run_check(small_project, capsys)
    assert code == 1
    assert f'{CSV}:3: error: venue "ICLR " has leading or trailing whitespace' in out


def test_wrong_encoding_is_unreadable(small_project, capsys):
    write_csv(
        small_project / CSV,
        EXEMPLAR_COLUMNS,
        [row(), row(key="b", title="Schölkopf")],
        encoding="latin-1",
    )
    code, out = run_check(small_project, capsys)
    assert code == 2
    assert f"{CSV}:3: error: not UTF-8 (byte 0xf6)" in out


def test_empty_file_is_unreadable(small_project, capsys):
    (small_project / CSV).write_text("")
    code, out = run_check(small_project, capsys)
    assert code == 2
    assert f"{CSV}:1: error: file is empty" in out


def test_an_unclosed_quote_is_unreadable(small_project, capsys):
    text = (small_project / CSV).read_text()
    opened = text.count("\n") + 1
    (small_project / CSV).write_text(text + 'c,"Deep Learning,unclosed\nmore\n\n')
    code, out = run_check(small_project, capsys)
    assert code == 2
    # Named where the quote opened, not at the end of the file where the reader gave up.
    assert f"{CSV}:{opened}: error: malformed CSV" in out and "[IO004]" in out


def test_missing_file_is_unreadable(small_project, capsys):
    (small_project / "data" / "venues.csv").unlink()
    code, out = run_check(small_project, capsys)
    assert code == 2
    assert "data/venues.csv:1: error: file not found" in out


def test_bom_and_crlf_are_accepted(small_project, capsys):
    rows = [row(), row(key="b", title="B", note="Two\r\nlines"), row(key="c", year="20x4")]
    write_csv(
        small_project / CSV, EXEMPLAR_COLUMNS, rows, encoding="utf-8-sig", lineterminator="\r\n"
    )
    write_bib(small_project, rows)
    code, out = run_check(small_project, capsys)
    assert code == 1  # only the bad year, on the line an editor shows (the note spans two)
    assert f'{CSV}:5: error: year "20x4" is not a year' in out
    assert out.count("error:") == 1


def test_every_venue_is_mapped_and_used(small_project, capsys):
    write_rows(small_project, [row(), row(key="b", venue="ICLR Poster")])
    write_csv(
        small_project / "data/venues.csv", VENUE_COLUMNS, [VENUE, VENUE | {"venue": "NeurIPS"}]
    )
    code, out = run_check(small_project, capsys)
    assert code == 1
    assert f'{CSV}:3: error: venue "ICLR Poster" is not in data/venues.csv' in out
    assert 'data/venues.csv:3: error: venue "NeurIPS" is not used by any exemplar' in out


def test_a_venue_mapped_twice_points_at_the_first(small_project, capsys):
    write_csv(small_project / "data/venues.csv", VENUE_COLUMNS, [VENUE, VENUE | {"label": "L"}])
    code, out = run_check(small_project, capsys)
    assert code == 1
    assert 'data/venues.csv:3: error: venue "ICLR" already on line 2 [VEN001]' in out


def test_no_pandoc_is_unreadable_input(small_project, capsys, monkeypatch):
    import exemplars.quarto.markdown

    monkeypatch.setattr(exemplars.quarto.markdown, "pandoc_path", lambda: "/no/such/pandoc")
    (small_project / "posts").mkdir(exist_ok=True)
    (small_project / "posts" / "note.qmd").write_text("---\ntitle: A note\n---\n\nText.\n")
    code, out = run_check(small_project, capsys)
    assert code == 2
    assert "error: cannot run pandoc" in out and "[MD001]" in out


def test_venue_types_are_a_vocabulary(small_project, capsys):
    write_csv(small_project / "data/venues.csv", VENUE_COLUMNS, [VENUE | {"type": "workshop"}])
    code, out = run_check(small_project, capsys)
    assert code == 1
    assert 'data/venues.csv:2: error: type "workshop" is not one of: conference' in out


def test_json_report(small_project, capsys):
    write_rows(small_project, [row(), row(key="b", year="20x4")])
    code, out = run_check(small_project, capsys, "--json")
    assert code == 1
    report = json.loads(out)
    assert report["problems"] == [
        {
            "file": CSV,
            "line": 3,
            "severity": "error",
            "code": "CSV004",
            "message": 'year "20x4" is not a year',
        }
    ]
    assert report["summary"]["errors"] == 1


def test_bad_usage_exits_2(tmp_path, capsys):
    assert main(["check", "--no-such-flag"]) == 2
    assert main(["check", "--root", str(tmp_path / "absent")]) == 2
    assert main([]) == 2


def test_no_traceback_through_the_entry_point(small_project):
    (small_project / CSV).write_bytes(b"key,\xff\n")
    result = subprocess.run(
        [str(Path(sys.executable).parent / "exemplars"), "check", "--root", str(small_project)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "data/exemplars.csv:1: error: not UTF-8" in result.stdout


def test_a_reader_that_stops_early_gets_no_traceback(small_project):
    write_rows(small_project, [row(), *(row(key=f"k{i}", year="20x4") for i in range(3000))])
    exemplars = Path(sys.executable).parent / "exemplars"
    result = subprocess.run(
        f"'{exemplars}' check --root '{small_project}' | head -n 1",
        shell=True,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.count("\n") == 1
    assert "Traceback" not in result.stderr
