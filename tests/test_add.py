"""`exemplars add` against local stand-ins for Crossref, DBLP, arXiv and doi.org.

Each test runs the command on a small project and looks at the three files it may write
(data/exemplars.csv, data/venues.csv, references.bib) and at its exit code.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from exemplars.cli import main
from exemplars.data.bibliography import parse_bibliography
from exemplars.fetch import transaction
from exemplars.fetch.identifiers import Identifier, UnknownIdentifier, parse_identifier

from tests.fake_services import FakeServices, Reply, fixture
from tests.fetch_helpers import BALDWIN, KINGMA, make_project, serve_betancourt_through_doi_org
from tests.helpers import ROOT, row, snapshot, write_bib

TODAY = dt.date.today().isoformat()
ATOM = "application/atom+xml"
LIPTON = row(
    key="lipton2019troubling",
    section="Preliminaries",
    subsection="Metascience",
    title="Troubling Trends in Machine Learning Scholarship",
    authors="Zachary C. Lipton; Jacob Steinhardt",
    year="2019",
    venue="Queue",
    kind="article",
    doi="10.1145/3317287.3328534",
    arxiv="1807.03341",
)
METASCIENCE = ["--section", "Preliminaries", "--subsection", "Metascience"]
INFERENCE = [
    "--section",
    "Probabilistic Modelling and Inference (PMI)",
    "--subsection",
    "Inference",
]
NOTE = ["--note", "Our own words about it."]
FILES = ("data/exemplars.csv", "data/venues.csv", "references.bib")


@pytest.fixture
def services():
    with FakeServices() as running:
        yield running


@pytest.fixture(autouse=True)
def no_terminal(monkeypatch):
    """Tests never have a terminal to ask for a note on."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))


def project(root: Path, services: FakeServices, rows: list[dict[str, str]] | None = None) -> Path:
    """A project listing `rows` (default: one Metascience row, one Inference row) with entries."""
    rows = [LIPTON, KINGMA] if rows is None else rows
    make_project(root, services, rows)
    write_bib(root, rows)
    return root


def add(root: Path, capsys, *args: str) -> tuple[int, str, str]:
    code = main(["add", "--root", str(root), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def contents(root: Path) -> dict[str, bytes]:
    return {name: (root / name).read_bytes() for name in FILES if (root / name).exists()}


def leftovers(root: Path) -> list[str]:
    """A journal, new copies or backups left beside the files (the response cache aside)."""
    return [p.name for p in root.rglob(".*") if ".cache" not in p.relative_to(root).parts]


def csv_lines(root: Path) -> list[str]:
    return (root / "data" / "exemplars.csv").read_text(encoding="utf-8").splitlines()


def entries(root: Path) -> dict:
    text = (root / "references.bib").read_text(encoding="utf-8")
    bibliography = parse_bibliography(text, root / "references.bib")
    assert bibliography.findings == []
    return bibliography.entries


def serve_baldwin(services: FakeServices) -> None:
    services.add("crossref", "/works/10.1086/700070", Reply(fixture("crossref-work-baldwin.json")))


def test_a_crossref_doi_becomes_a_row_a_venue_and_an_entry(tmp_path, services, capsys):
    serve_baldwin(services)
    root = project(tmp_path, services)
    before = contents(root)
    code, out, _ = add(root, capsys, "10.1086/700070", *METASCIENCE, *NOTE, "--date", "2025-01-02")
    assert code == 0, out
    new_row = (
        "baldwin2018scientific,Preliminaries,Metascience,"
        '"Scientific Autonomy, Public Accountability, and the Rise of \u201cPeer Review\u201d in '
        'the Cold War United States",Melinda Baldwin,2018,Isis,article,10.1086/700070,,,'
        "Our own words about it.,2025-01-02"
    )
    # After the last row of its subsection, every other byte as it was.
    assert csv_lines(root)[2] == new_row
    assert contents(root)["data/exemplars.csv"] == before["data/exemplars.csv"].replace(
        b"\r\nkingma", f"\r\n{new_row}\r\nkingma".encode()
    )
    assert contents(root)["data/venues.csv"] == before["data/venues.csv"] + b"Isis,Isis,journal\r\n"
    bib = contents(root)["references.bib"]
    assert bib.startswith(before["references.bib"])
    assert bib.endswith(
        b"  doi = {10.1086/700070},\n  x-fetched = {crossref " + TODAY.encode() + b"}\n}\n"
    )
    assert 'data/venues.csv:4: warning: new venue "Isis": label "Isis", type journal' in out
    assert "[ADD005]" in out
    assert main(["check", "--root", str(root)]) == 0


def test_a_datacite_arxiv_doi_is_answered_by_doi_org(tmp_path, services, capsys):
    serve_betancourt_through_doi_org(services)
    root = project(tmp_path, services)
    code, out, _ = add(root, capsys, "doi:10.48550/arXiv.1701.02434", *INFERENCE, *NOTE)
    assert code == 0, out
    assert csv_lines(root)[3].startswith(
        "betancourt2017conceptual,Probabilistic Modelling and Inference (PMI),Inference,"
        "A Conceptual Introduction to Hamiltonian Monte Carlo,Michael Betancourt,2017,arXiv,"
        "preprint,10.48550/arXiv.1701.02434,1701.02434,,"
    )
    assert csv_lines(root)[3].endswith(f",{TODAY}")
    entry = entries(root)["betancourt2017conceptual"]
    assert (entry.doi, entry.fields["eprint"]) == ("10.48550/arXiv.1701.02434", "1701.02434")
    assert services.requests_to("crossref") == []


def test_an_arxiv_url_gets_its_published_version(tmp_path, services, capsys):
    services.add("arxiv", "/api/query", Reply(fixture("arxiv-2005.07180.atom"), content_type=ATOM))
    services.add(
        "crossref",
        "/works/10.1109/TAI.2021.3073088",
        Reply(fixture("crossref-work-vonkugelgen.json")),
    )
    root = project(tmp_path, services)
    venues = root / "data" / "venues.csv"
    venues.write_text(
        venues.read_text() + "IEEE Transactions on Artificial Intelligence,IEEE TAI,journal\n"
    )
    code, out, _ = add(root, capsys, "https://arxiv.org/pdf/2005.07180v3", *INFERENCE, *NOTE)
    assert code == 0, out
    assert csv_lines(root)[3].startswith(
        "vonkugelgen2021simpson,Probabilistic Modelling and Inference (PMI),Inference,"
        "Simpson\u2019s Paradox in COVID-19 Case Fatality Rates: A Mediation Analysis of "
        "Age-Related Causal Effects,Julius von K\u00fcgelgen; Luigi Gresele; "
        "Bernhard Sch\u00f6lkopf,2021,IEEE Transactions on Artificial Intelligence,article,"
        "10.1109/TAI.2021.3073088,2005.07180,,"
    )
    entry = entries(root)["vonkugelgen2021simpson"]
    assert (entry.type, entry.fields["eprint"]) == ("article", "2005.07180")
    assert entry.fields["x-fetched"] == f"crossref {TODAY}"
    assert "ADD005" not in out  # the venue was already listed


def test_a_publisher_url_with_a_doi_inside(tmp_path, services, capsys):
    services.add(
        "crossref", "/works/10.1126/science.aac4716", Reply(fixture("crossref-work-osc.json"))
    )
    root = project(tmp_path, services)
    url = "https://www.science.org/doi/full/10.1126/science.aac4716?casa_token=x"
    code, out, _ = add(root, capsys, url, *METASCIENCE, *NOTE)
    assert code == 0, out
    assert csv_lines(root)[2].startswith(
        "osc2015estimating,Preliminaries,Metascience,"
        "Estimating the reproducibility of psychological science,Open Science Collaboration,"
        "2015,Science,article,10.1126/science.aac4716,,,"
    )
    assert "author = {{Open Science Collaboration}}" in (root / "references.bib").read_text()


def test_a_pasted_entry_that_disagrees_with_its_record(tmp_path, services, capsys, monkeypatch):
    services.add("arxiv", "/api/query", Reply(fixture("arxiv-1312.6114.atom"), content_type=ATOM))
    services.add("crossref", "/works", Reply(fixture("crossref-search-empty.json")))
    services.add("dblp", "/search/publ/api", Reply(fixture("dblp-search-kingma.json")))
    root = project(tmp_path, services, [LIPTON])
    monkeypatch.setattr(sys, "stdin", io.StringIO(fixture("scholar-kingma.bib")))
    code, out, _ = add(root, capsys, "--bibtex", "-", *METASCIENCE, *NOTE)
    assert code == 0, out
    assert csv_lines(root)[2].startswith(
        "kingma2014autoencoding,Preliminaries,Metascience,Auto-Encoding Variational Bayes,"
        "Diederik P. Kingma; Max Welling,2014,ICLR,inproceedings,,1312.6114,,"
    )
    assert (
        '<stdin>:1: warning: year: the pasted entry says "2013", dblp "Auto-Encoding '
        'Variational Bayes" (2014; Kingma, Welling) says "2014"; the record\'s is kept [ADD004]'
    ) in out
    assert "title: the pasted entry" not in out  # case alone is no disagreement
    entry = entries(root)["kingma2014autoencoding"]
    assert (entry.type, entry.fields["booktitle"]) == ("inproceedings", "ICLR")


def test_a_pasted_entry_takes_the_lists_spelling_of_its_venue(tmp_path, services, capsys):
    services.add("crossref", "/works", Reply(fixture("crossref-search-attention.json")))
    services.add("dblp", "/search/publ/api", Reply(fixture("dblp-zero-hits.json")))
    emnlp = row(key="other2018x", title="Another EMNLP paper", venue="EMNLP", arxiv="")
    root = project(tmp_path, services, [LIPTON, emnlp])
    pasted = tmp_path / "cite.bib"
    pasted.write_text(
        "@inproceedings{wiegreffe2019attention,\n  title={Attention is not not explanation},\n"
        "  author={Wiegreffe, Sarah and Pinter, Yuval},\n  booktitle={EMNLP},\n  year={2019}\n}\n"
    )
    code, out, _ = add(root, capsys, "--bibtex", str(pasted), *METASCIENCE, *NOTE)
    assert code == 0, out
    assert ",2019,EMNLP,inproceedings,10.18653/v1/D19-1002,," in csv_lines(root)[2]
    assert "ADD005" not in out
    assert entries(root)["wiegreffe2019attention"].doi == "10.18653/v1/D19-1002"


def test_non_ascii_authors_and_a_new_venue(tmp_path, services, capsys):
    services.add(
        "crossref",
        "/works/10.1109/JPROC.2021.3058954",
        Reply(fixture("crossref-work-scholkopf.json")),
    )
    root = project(tmp_path, services)
    code, out, _ = add(
        root, capsys, "https://doi.org/10.1109/JPROC.2021.3058954", *INFERENCE, *NOTE
    )
    assert code == 0, out
    assert csv_lines(root)[3].startswith(
        "scholkopf2021toward,Probabilistic Modelling and Inference (PMI),Inference,"
        "Toward Causal Representation Learning,Bernhard Sch\u00f6lkopf; Francesco Locatello; "
        "Stefan Bauer; Nan Rosemary Ke; Nal Kalchbrenner; Anirudh Goyal; Yoshua Bengio,2021,"
        "Proceedings of the IEEE,article,10.1109/JPROC.2021.3058954,,,"
    )
    venues = (root / "data" / "venues.csv").read_text().splitlines()
    assert venues[-1] == "Proceedings of the IEEE,Proceedings of the IEEE,journal"
    assert (
        '  author = {Sch{\\"o}lkopf, Bernhard and Locatello, Francesco'
        in (root / "references.bib").read_text()
    )
    assert "ADD005" in out


def test_latex_special_characters_in_a_title(tmp_path, services, capsys):
    services.add("arxiv", "/api/query", Reply(fixture("arxiv-2205.09858.atom"), content_type=ATOM))
    services.add("crossref", "/works", Reply(fixture("crossref-search-empty.json")))
    services.add("dblp", "/search/publ/api", Reply(fixture("dblp-zero-hits.json")))
    root = project(tmp_path, services)
    code, out, _ = add(root, capsys, "arXiv:2205.09858v1", *METASCIENCE, *NOTE)
    assert code == 0, out
    assert csv_lines(root)[2].startswith(
        "conlen2022fidyll,Preliminaries,Metascience,Fidyll: A Compiler for Cross-Format Data "
        "Stories & Explorable Explanations,Matthew Conlen; Jeffrey Heer,2022,arXiv,preprint,,"
        "2205.09858,,"
    )
    assert "Data Stories \\& Explorable" in (root / "references.bib").read_text()
    assert entries(root)["conlen2022fidyll"].title.endswith("Stories & Explorable Explanations")


def test_a_duplicate_doi_is_refused_before_any_request(tmp_path, services, capsys):
    root = project(tmp_path, services, [LIPTON, BALDWIN | {"section": "Preliminaries"}])
    before = contents(root)
    code, out, _ = add(root, capsys, "https://doi.org/10.1086/700070", *METASCIENCE, *NOTE)
    assert code == 1
    assert (
        'data/exemplars.csv:3: error: already on the list: row baldwin2018scientific ("Scientific '
        'autonomy, public accountability, and the rise of "peer review" in the Cold War United '
        'States") has the same DOI; nothing was written [ADD001]'
    ) in out
    assert contents(root) == before
    assert services.requests_to() == []


def test_a_duplicate_title_is_refused(tmp_path, services, capsys):
    serve_baldwin(services)
    listed = BALDWIN | {"key": "baldwin2018peer", "doi": "", "url": "https://example.org/x"}
    root = project(tmp_path, services, [LIPTON, listed])
    before = contents(root)
    code, out, _ = add(root, capsys, "10.1086/700070", *METASCIENCE, *NOTE)
    assert code == 1
    assert "row baldwin2018peer (" in out
    assert "has the same title; nothing was written [ADD001]" in out
    assert contents(root) == before


def test_an_unknown_section_is_refused_with_a_suggestion(tmp_path, services, capsys):
    root = project(tmp_path, services)
    before = contents(root)
    code, out, _ = add(root, capsys, "10.1086/700070", "--section", "Prelimnaries", *NOTE)
    assert code == 1
    assert 'no section "Prelimnaries" in the list; did you mean "Preliminaries"?' in out
    assert "A new section needs its heading, its introduction and a cell" in out
    assert "[ADD002]" in out
    code, out, _ = add(root, capsys, "10.1086/700070", *METASCIENCE[:2], "--subsection", "Meta")
    assert code == 1
    assert 'no subsection "Meta" in "Preliminaries"; did you mean "Metascience"?' in out
    assert contents(root) == before
    assert services.requests_to() == []


POST = """---
title: The list
---

```{python}
#| output: asis
print(sections.markdown("Preliminaries", "Metascience"))
```

```{python}
#| output: asis
print(sections.markdown("Preliminaries", "Peer Review"))
```

```{python}
#| output: asis
print(sections.markdown("Probabilistic Modelling and Inference (PMI)", "Inference"))
```
"""


def test_a_new_subsection_with_its_cell_in_the_post_is_accepted(tmp_path, services, capsys):
    serve_baldwin(services)
    root = project(tmp_path, services)
    code, out, _ = add(
        root, capsys, "10.1086/700070", *METASCIENCE[:2], "--subsection", "Peer Review", *NOTE
    )
    assert code == 1
    assert "once the cell is there, `exemplars add` files rows under it [ADD002]" in out
    (root / "posts" / "list").mkdir(parents=True)
    (root / "posts" / "list" / "index.qmd").write_text(POST, encoding="utf-8")
    code, out, _ = add(
        root, capsys, "10.1086/700070", *METASCIENCE[:2], "--subsection", "Peer Review", *NOTE
    )
    assert code == 0, out
    assert [line.split(",")[:3] for line in csv_lines(root)[1:]] == [
        ["lipton2019troubling", "Preliminaries", "Metascience"],
        ["baldwin2018scientific", "Preliminaries", "Peer Review"],
        ["kingma2014autoencoding", "Probabilistic Modelling and Inference (PMI)", "Inference"],
    ]


def test_a_key_collision_gets_a_suffix_and_a_given_key_is_checked(tmp_path, services, capsys):
    serve_baldwin(services)
    namesake = BALDWIN | {"title": "Making Peer Review", "doi": "", "section": "Preliminaries"}
    root = project(tmp_path, services, [LIPTON, namesake | {"subsection": "Metascience"}])
    before = contents(root)
    code, _, err = add(root, capsys, "10.1086/700070", *METASCIENCE, *NOTE, "--key", "Bad Key")
    assert code == 2
    assert 'key "Bad Key" is not a key' in err
    code, _, err = add(
        root, capsys, "10.1086/700070", *METASCIENCE, *NOTE, "--key", "lipton2019troubling"
    )
    assert code == 2
    assert "is taken" in err
    assert contents(root) == before
    code, out, _ = add(root, capsys, "10.1086/700070", *METASCIENCE, *NOTE)
    assert code == 0, out
    assert csv_lines(root)[3].startswith("baldwin2018scientificb,")
    assert "baldwin2018scientificb" in entries(root)


def test_an_interruption_between_two_files_changes_nothing(tmp_path, services, capsys, monkeypatch):
    serve_baldwin(services)
    root = project(tmp_path, services)
    before = contents(root)
    renamed = []

    def rename_then_interrupt(source: Path, target: Path) -> None:
        if renamed:
            raise KeyboardInterrupt
        renamed.append(target)
        source.replace(target)

    monkeypatch.setattr(transaction, "_rename", rename_then_interrupt)
    code, _, err = add(root, capsys, "10.1086/700070", *METASCIENCE, *NOTE)
    assert code == 130
    assert "interrupted; nothing was written" in err
    assert renamed == [root / "data" / "exemplars.csv"]
    assert contents(root) == before
    assert leftovers(root) == []
    monkeypatch.undo()
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code, out, _ = add(root, capsys, "10.1086/700070", *METASCIENCE, *NOTE)
    assert code == 0, out
    assert csv_lines(root)[2].startswith("baldwin2018scientific,")


KILLED_RUN = """
import os, sys
from exemplars.fetch import transaction
from exemplars.fetch.identifiers import Identifier, UnknownIdentifier, parse_identifier
def rename_then_die(source, target, renamed=[]):
    if renamed:
        os._exit(9)  # killed: no exception handler, no clean-up runs
    renamed.append(target)
    os.replace(source, target)
transaction._rename = rename_then_die
from exemplars.cli import main
sys.exit(main(sys.argv[1:]))
"""


def run_killed_between_two_files(args: list[str]) -> None:
    """`exemplars ARGS` in a process that dies after its first file is renamed into place."""
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_RUN, *args], cwd=ROOT, capture_output=True, text=True
    )
    assert killed.returncode == 9, killed.stderr


def test_a_process_killed_between_two_files_is_undone_by_the_next_run(tmp_path, services, capsys):
    serve_baldwin(services)
    root = project(tmp_path, services)
    before = contents(root)
    args = ["add", "--root", str(root), "10.1086/700070", *METASCIENCE, *NOTE]
    run_killed_between_two_files(args)
    assert contents(root)["data/exemplars.csv"] != before["data/exemplars.csv"]  # half done
    assert (root / transaction.JOURNAL).exists()
    assert transaction.recover(root, [root / name for name in FILES])
    assert contents(root) == before
    assert leftovers(root) == []
    # And a rerun after a kill undoes the half-done run itself, then adds.
    subprocess.run([sys.executable, "-c", KILLED_RUN, *args], cwd=ROOT, capture_output=True)
    code, out, err = add(root, capsys, "10.1086/700070", *METASCIENCE, *NOTE)
    assert code == 0, out
    assert "an interrupted `exemplars add` was undone" in err
    assert [line.split(",")[0] for line in csv_lines(root)] == [
        "key",
        "lipton2019troubling",
        "baldwin2018scientific",
        "kingma2014autoencoding",
    ]


def run_add(root: Path, *args: str, **popen) -> subprocess.Popen:
    """`exemplars add` in a process of its own, with no terminal."""
    command = [sys.executable, "-m", "exemplars", "add", "--root", str(root), *args]
    return subprocess.Popen(
        command, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, **popen,
    )  # fmt: skip


def test_a_second_run_while_one_is_running_is_refused_and_writes_nothing(
    tmp_path, services, capsys
):
    answer = threading.Event()  # the first run waits for Crossref until the test lets it answer
    baldwin = Reply(fixture("crossref-work-baldwin.json"), hold=answer)
    services.add("crossref", "/works/10.1086/700070", baldwin)
    serve_betancourt_through_doi_org(services)
    root = make_project(tmp_path, services, [LIPTON, KINGMA], timeout=60.0)
    write_bib(root, [LIPTON, KINGMA])
    services.arrived.clear()
    first = run_add(root, "10.1086/700070", *METASCIENCE, *NOTE)  # another process
    try:
        assert services.arrived.wait(timeout=30), "the first run never asked Crossref"
        before = contents(root)
        for dry_run in ([], ["--dry-run"]):
            betancourt = ["10.48550/arXiv.1701.02434", *INFERENCE, *NOTE, *dry_run]
            code, out, _ = add(root, capsys, *betancourt)
            assert code == 1, out
            assert out.startswith(
                f"{transaction.LOCK}:1: error: another `exemplars add` is running on this "
                "project and holds this lock; nothing was written: run again once it has "
                "finished [ADD006]\n"
            )
            assert contents(root) == before
        assert services.requests_to("doi") == []  # refused before it asked anything
    finally:
        answer.set()
        _, err = first.communicate(timeout=60)
    assert first.returncode == 0, err
    # Once the first has finished, the second runs, on the files the first wrote.
    code, out, _ = add(root, capsys, "10.48550/arXiv.1701.02434", *INFERENCE, *NOTE)
    assert code == 0, out
    assert [line.split(",")[0] for line in csv_lines(root)] == [
        "key",
        "lipton2019troubling",
        "baldwin2018scientific",
        "kingma2014autoencoding",
        "betancourt2017conceptual",
    ]
    assert set(entries(root)) >= {"baldwin2018scientific", "betancourt2017conceptual"}


def test_a_dry_run_after_an_interrupted_run_changes_nothing(tmp_path, services, capsys):
    serve_baldwin(services)
    serve_betancourt_through_doi_org(services)
    root = project(tmp_path, services)
    original = contents(root)
    args = ["add", "--root", str(root), "10.1086/700070", *METASCIENCE, *NOTE]
    run_killed_between_two_files(args)
    # Every file but the response cache: the list, the journal, the copies beside the files.
    everything = {k: v for k, v in snapshot(root).items() if not k.startswith(".cache")}
    assert {transaction.JOURNAL, "data/.exemplars.csv.backup"} <= set(everything)
    code, out, err = add(root, capsys, "10.48550/arXiv.1701.02434", *INFERENCE, "--dry-run")
    assert code == 0, out
    assert out.startswith("betancourt2017conceptual,")
    assert (
        f"an interrupted `exemplars add` is pending ({transaction.JOURNAL}; it changed "
        "data/exemplars.csv): the next `exemplars add` without --dry-run undoes it first."
    ) in err
    assert {k: v for k, v in snapshot(root).items() if not k.startswith(".cache")} == everything
    # The next real run undoes it, then adds.
    code, out, err = add(root, capsys, "10.48550/arXiv.1701.02434", *INFERENCE, *NOTE)
    assert code == 0, out
    assert "an interrupted `exemplars add` was undone" in err
    assert leftovers(root) == []
    assert (
        contents(root)["data/venues.csv"]
        == original["data/venues.csv"] + b"arXiv,arXiv,preprint\r\n"
    )


def test_no_note_and_no_terminal_is_a_usage_error(tmp_path, services, capsys):
    root = project(tmp_path, services)
    before = contents(root)
    code, _, err = add(root, capsys, "10.1086/700070", *METASCIENCE)
    assert code == 2
    assert "no note: give one with --note" in err
    assert contents(root) == before
    assert services.requests_to() == []


def test_a_note_is_asked_for_on_a_terminal(tmp_path, services, capsys, monkeypatch):
    serve_baldwin(services)
    root = project(tmp_path, services)
    terminal = io.StringIO("Typed at the prompt.\n")
    terminal.isatty = lambda: True
    monkeypatch.setattr(sys, "stdin", terminal)
    code, out, err = add(root, capsys, "10.1086/700070", *METASCIENCE)
    assert code == 0, out
    assert 'Note for "Scientific Autonomy' in err
    assert ",Typed at the prompt.," in csv_lines(root)[2]


def test_an_identifier_of_no_accepted_form(tmp_path, services, capsys):
    root = project(tmp_path, services)
    code, _, err = add(root, capsys, "https://openreview.net/forum?id=x", *METASCIENCE, *NOTE)
    assert code == 2
    assert "is neither a DOI nor an arXiv id" in err
    assert "https://arxiv.org/abs/2005.07180v3" in err  # the accepted forms are listed


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("10.1086/700070", "doi", "10.1086/700070"),
        ("DOI: 10.1086/700070", "doi", "10.1086/700070"),
        ("http://dx.doi.org/10.1086%2F700070", "doi", "10.1086/700070"),
        ("https://dl.acm.org/doi/pdf/10.1145/3317287.3328534", "doi", "10.1145/3317287.3328534"),
        (
            "https://link.springer.com/content/pdf/10.1007/s10994-020-05938-7.pdf",
            "doi",
            "10.1007/s10994-020-05938-7",
        ),
        ("2005.07180v3", "arxiv", "2005.07180"),
        ("hep-th/9901001", "arxiv", "hep-th/9901001"),
        ("math.GT/0309136v1", "arxiv", "math.GT/0309136"),
        ("https://arxiv.org/abs/2005.07180v3", "arxiv", "2005.07180"),
        ("http://export.arxiv.org/pdf/hep-th/9901001v2.pdf", "arxiv", "hep-th/9901001"),
    ],
)
def test_identifier_forms(text, kind, value):
    assert parse_identifier(text) == Identifier(kind, value)


@pytest.mark.parametrize("text", ["hello", "10.1086", "https://arxiv.org/list/cs.LG", "1312.61"])
def test_text_that_is_no_identifier(text):
    with pytest.raises(UnknownIdentifier):
        parse_identifier(text)


def test_no_verified_record_shows_the_best_candidate(tmp_path, services, capsys):
    search = json.loads(fixture("crossref-search-attention.json"))
    search["message"]["items"] = search["message"]["items"][:1]  # only Jain & Wallace (NAACL)
    services.add("crossref", "/works", Reply(json.dumps(search)))
    services.add("dblp", "/search/publ/api", Reply(fixture("dblp-zero-hits.json")))
    root = project(tmp_path, services)
    before = contents(root)
    pasted = tmp_path / "cite.bib"
    pasted.write_text(
        "@inproceedings{w,\n  title={Attention is not not explanation},\n"
        "  author={Wiegreffe, Sarah and Pinter, Yuval},\n  year={2019}\n}\n"
    )
    code, out, _ = add(root, capsys, "--bibtex", str(pasted), *METASCIENCE, *NOTE)
    assert code == 1
    assert (
        "data/exemplars.csv:3: error: no verified record, nothing was written: best candidate "
        'crossref "Attention is not Explanation" (2019; Jain, Wallace): title'
    ) in out
    assert "[ADD003]" in out
    assert contents(root) == before


def test_dry_run_prints_and_offline_answers_from_the_cache(tmp_path, services, capsys):
    serve_baldwin(services)
    root = project(tmp_path, services)
    before = contents(root)
    code, out, _ = add(root, capsys, "10.1086/700070", *METASCIENCE, "--dry-run")
    assert code == 0, out
    assert out.startswith("baldwin2018scientific,Preliminaries,Metascience,")
    assert "venue: Isis,Isis,journal\n@article{baldwin2018scientific,\n" in out
    assert contents(root) == before
    code, out, err = add(root, capsys, "10.1086/700070", *METASCIENCE, *NOTE, "--offline")
    assert code == 0, out
    assert "(0 requests sent)" in err
    assert len(services.requests_to()) == 1


def test_offline_without_a_stored_answer_is_refused(tmp_path, services, capsys):
    root = project(tmp_path, services)
    before = contents(root)
    code, out, _ = add(root, capsys, "10.1086/700070", *METASCIENCE, *NOTE, "--offline")
    assert code == 1
    assert "crossref: no stored answer" in out
    assert "[FET003]" in out
    assert contents(root) == before


def test_crlf_endings_and_a_byte_order_mark_are_kept(tmp_path, services, capsys):
    serve_baldwin(services)
    root = project(tmp_path, services)
    csv_path = root / "data" / "exemplars.csv"
    original = b"\xef\xbb\xbf" + csv_path.read_bytes()  # the csv module writes CRLF already
    csv_path.write_bytes(original)
    code, out, _ = add(root, capsys, "10.1086/700070", *METASCIENCE, *NOTE)
    assert code == 0, out
    written = csv_path.read_bytes()
    assert written.startswith(b"\xef\xbb\xbfkey,")
    first, rest = original.split(b"\r\nkingma", 1)
    assert written.startswith(first + b"\r\nbaldwin2018scientific,")
    assert written.endswith(b"\r\nkingma" + rest)
    assert b"\n" not in written.replace(b"\r\n", b"")


def test_a_project_without_a_bibliography_gets_one(tmp_path, services, capsys):
    serve_baldwin(services)
    root = project(tmp_path, services)
    (root / "references.bib").unlink()
    code, out, _ = add(root, capsys, "10.1086/700070", *METASCIENCE, *NOTE)
    assert code == 0, out
    assert list(entries(root)) == ["baldwin2018scientific"]
