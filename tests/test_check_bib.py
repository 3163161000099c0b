"""`exemplars check` on references.bib: parsing, coverage, duplicates, agreement with the list."""

from __future__ import annotations

from pathlib import Path

from exemplars.cli import main
from exemplars.data.bibliography import load_bibliography, parse_bibliography
from exemplars.project import Project

from tests.helpers import BIB, snapshot

CSV = "data/exemplars.csv"
BIBFILE = "references.bib"
KINGMA_LINE = 2  # the CSV line of kingma2014autoencoding in small_project

EXTRA = """
@article{extra2020,
  author = {Roe, Richard},
  title = {Something Else Entirely},
  year = {2020},
  doi = {10.1000/xyz},
  x-fetched = {crossref 2024-11-04}
}
"""


def run_check(root: Path, capsys) -> tuple[int, str]:
    before = snapshot(root)
    code = main(["check", "--root", str(root)])
    assert snapshot(root) == before, "check must never modify a file"
    return code, capsys.readouterr().out


def write_bib(root: Path, text: str) -> None:
    (root / BIBFILE).write_text(text, encoding="utf-8")


def test_entries_remember_their_line_and_marker(small_project):
    bibliography = load_bibliography(Project(small_project))
    kingma, other = bibliography.entries.values()
    assert (kingma.key, kingma.line, kingma.curated, kingma.fetched) == (
        "kingma2014autoencoding",
        1,
        True,
        False,
    )
    assert kingma.title == "Auto-Encoding Variational Bayes"
    assert other.line == 11
    assert bibliography.text[kingma.start : kingma.end].endswith("arxiv.org/abs/1312.6114}\n}")


def test_readers_get_each_entry_without_the_projects_fields():
    text = (
        '@misc{a, x-fetched = "crossref 2024-01-01", title = {T # {x}} # "y",\n'
        "  X-Curated = {a {b} c},\n  year = 2020}\n" + EXTRA
    )
    bibliography = parse_bibliography(text, Path(BIBFILE))
    assert bibliography.public_source("a") == '@misc{a, title = {T # {x}} # "y",\n  year = 2020}'
    assert bibliography.public_source("extra2020") == bibliography.source("extra2020").replace(
        ",\n  x-fetched = {crossref 2024-11-04}", ""
    )
    for key in bibliography.entries:
        public = parse_bibliography(bibliography.public_source(key), Path(BIBFILE))
        assert public.findings == []
        kept = {name: value for name, value in bibliography.entries[key].fields.items()}
        assert public.entries[key].fields == {
            name: value for name, value in kept.items() if not name.startswith("x-")
        }


def test_syntax_error_names_the_line_and_entry(small_project, capsys):
    broken = BIB.replace("  year = {2014},\n  booktitle", "  year = {2014}\n  booktitle")
    write_bib(small_project, broken)
    code, out = run_check(small_project, capsys)
    assert code == 1
    assert (
        f"{BIBFILE}:5: error: syntax error: '}}' expected "
        "(in entry kingma2014autoencoding, which starts on line 1) [BIB001]"
    ) in out


def test_unbalanced_braces_do_not_lose_the_next_entries():
    text = BIB.replace("title = {B}", "title = {B") + EXTRA
    bibliography = parse_bibliography(text, Path(BIBFILE))
    assert [str(f) for f in bibliography.findings] == [
        f"{BIBFILE}:18: error: syntax error: '}}' expected (in entry b2020x, which starts on "
        "line 11) [BIB001]"
    ]
    assert "extra2020" in bibliography.entries


def test_parse_problems_are_findings_not_exceptions():
    text = "@misc{a,\n  title = {A},\n  title = {B}\n}\n\n@misc{a, title = {C}}\n"
    bibliography = parse_bibliography(text, Path("x.bib"))
    assert [str(f) for f in bibliography.findings] == [
        "x.bib:1: error: entry with key a has a duplicate title field [BIB002]",
        "x.bib:6: error: repeated bibliography entry: a [BIB002]",
    ]
    assert bibliography.entries["a"].fields["title"] == "A"


def test_row_without_entry(small_project, capsys):
    write_bib(small_project, BIB.split("@misc{b2020x")[0])
    code, out = run_check(small_project, capsys)
    assert code == 1
    assert f'{CSV}:3: error: key "b2020x" has no entry in {BIBFILE}' in out
    assert "[BIB003]" in out


def test_shared_doi_points_at_the_first(small_project, capsys):
    doubled = EXTRA.replace("extra2020", "extra2021").replace("Something Else", "Other")
    write_bib(small_project, BIB + EXTRA + doubled.replace("10.1000/xyz", "10.1000/XYZ"))
    code, out = run_check(small_project, capsys)
    assert code == 1
    assert (
        f"{BIBFILE}:26: error: entry extra2021 has the same DOI as entry extra2020 on line 18 "
        "[BIB004]"
    ) in out


def test_shared_title_after_normalisation(small_project, capsys):
    doubled = EXTRA.replace("extra2020", "extra2021").replace("10.1000/xyz", "10.1000/abc")
    write_bib(small_project, BIB + EXTRA + doubled.replace("Something Else", "{S}omething else"))
    code, out = run_check(small_project, capsys)
    assert code == 1
    assert f"{BIBFILE}:26: error: entry extra2021 has the same title as entry extra2020" in out


def test_title_and_year_differences_are_warnings_at_the_row(small_project, capsys):
    changed = BIB.replace("Auto-Encoding Variational {Bayes}", "Auto-Encoding Variational Bees")
    write_bib(small_project, changed.replace("{2014},\n  booktitle", "{2013},\n  booktitle"))
    code, out = run_check(small_project, capsys)
    assert code == 0
    assert (
        f'{CSV}:{KINGMA_LINE}: warning: title "Auto-Encoding Variational Bayes" differs from '
        f'entry kingma2014autoencoding ({BIBFILE}:1): "Auto-Encoding Variational Bees" [BIB006]'
    ) in out
    assert (
        f"{CSV}:{KINGMA_LINE}: warning: year 2014 differs: entry kingma2014autoencoding "
        f"({BIBFILE}:1) has year 2013; if both are right, say why in the entry: "
        "x-year-accepted = {2014: reason} [BIB007]"
    ) in out


def with_year(year: str, accepted: str = "") -> str:
    """The small project's bibliography with kingma2014autoencoding's year (and acceptance)."""
    marker = f"  x-year-accepted = {{{accepted}}},\n" if accepted else ""
    return BIB.replace("{2014},\n  booktitle", f"{{{year}}},\n{marker}  booktitle")


def test_a_year_more_than_one_apart_is_an_error(small_project, capsys):
    write_bib(small_project, with_year("2011", accepted="2014: even accepted, too far"))
    code, out = run_check(small_project, capsys)
    assert code == 1
    assert (
        f"{CSV}:{KINGMA_LINE}: error: year 2014 is 3 years from entry kingma2014autoencoding "
        f"({BIBFILE}:1), which has year 2011; correct the row or the entry [BIB010]"
    ) in out
    assert "BIB007" not in out


def test_a_year_one_apart_and_accepted_in_the_entry_is_silent(small_project, capsys):
    write_bib(small_project, with_year("2013", accepted="2014: the ICLR version of 2014"))
    code, out = run_check(small_project, capsys)
    assert (code, out.strip()) == (0, "All clear: exemplars check.")


def test_accepting_another_year_leaves_the_warning(small_project, capsys):
    write_bib(small_project, with_year("2013", accepted="2012: a different year"))
    code, out = run_check(small_project, capsys)
    assert code == 0
    assert f"{CSV}:{KINGMA_LINE}: warning: year 2014 differs" in out
    assert "[BIB007]" in out


def test_an_entry_without_a_usable_year_is_a_warning(small_project, capsys):
    write_bib(small_project, with_year("forthcoming"))
    code, out = run_check(small_project, capsys)
    assert code == 0
    assert (
        f"{CSV}:{KINGMA_LINE}: warning: year 2014 differs: entry kingma2014autoencoding "
        f'({BIBFILE}:1) has year "forthcoming" [BIB007]'
    ) in out


def test_case_braces_accents_and_latex_are_not_differences(small_project, capsys):
    spelled = "{A}uto-{E}ncoding {V}ariational {B}ay\\'{e}s"
    write_bib(small_project, BIB.replace("Auto-Encoding Variational {Bayes}", spelled))
    code, out = run_check(small_project, capsys)
    assert (code, out.strip()) == (0, "All clear: exemplars check.")


def test_uncited_and_unmarked_entries_are_warnings(small_project, capsys):
    write_bib(small_project, BIB + EXTRA.replace("  x-fetched = {crossref 2024-11-04}\n", ""))
    code, out = run_check(small_project, capsys)
    assert code == 0
    assert (
        f"{BIBFILE}:18: warning: entry extra2020 is cited by no row of {CSV} and no post [BIB008]"
    ) in out
    assert f"{BIBFILE}:18: warning: entry extra2020 is marked neither x-curated" in out


def test_a_citation_in_a_post_counts(small_project, capsys):
    write_bib(small_project, BIB + EXTRA)
    post = small_project / "posts" / "note" / "index.qmd"
    post.parent.mkdir(parents=True)
    post.write_text(
        "---\ntitle: A note\ndate: 2024-11-04\nauthor: A. Author\ndescription: Short.\n"
        "bibliography: ../../references.bib\n---\n\nAs shown before [@extra2020].\n"
    )
    code, out = run_check(small_project, capsys)
    assert (code, out.strip()) == (0, "All clear: exemplars check.")


def test_missing_bibliography_is_unreadable(small_project, capsys):
    (small_project / BIBFILE).unlink()
    code, out = run_check(small_project, capsys)
    assert code == 2
    assert f"{BIBFILE}:1: error: file not found" in out


def test_a_key_differing_only_in_case_is_named(small_project, capsys):
    write_bib(small_project, BIB.replace("@misc{b2020x", "@misc{B2020x"))
    code, out = run_check(small_project, capsys)
    assert code == 1
    assert (
        f'{CSV}:3: error: key "b2020x" has no entry in {BIBFILE}: entry B2020x on line 11 '
        "differs only in case"
    ) in out


def test_an_unreadable_post_is_reported_not_raised(small_project, capsys):
    post = small_project / "posts" / "note" / "index.qmd"
    post.parent.mkdir(parents=True)
    post.write_bytes(b"---\ntitle: A note\n---\n\nCaf\xe9 [@b2020x].\n")
    code, out = run_check(small_project, capsys)
    assert code == 2
    assert "posts/note/index.qmd:5: error: not UTF-8 (byte 0xe9)" in out
