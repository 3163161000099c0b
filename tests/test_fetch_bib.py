"""`exemplars fetch-bib` against local stand-ins for Crossref, DBLP, arXiv and doi.org."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from exemplars.cli import main
from exemplars.data.bibliography import parse_bibliography

from tests.fake_services import FakeServices, Reply, fixture
from tests.fetch_helpers import (
    BALDWIN,
    BETANCOURT,
    CONLEN,
    CONTACT,
    KINGMA,
    OSC,
    VONKUGELGEN,
    WAGSTAFF,
    WIEGREFFE,
    make_project,
    serve_betancourt_through_doi_org,
)

TODAY = dt.date.today().isoformat()
ATOM = "application/atom+xml"


@pytest.fixture
def services():
    with FakeServices() as running:
        yield running


def fetch(root: Path, capsys, *args: str) -> tuple[int, str, str]:
    code = main(["fetch-bib", "--root", str(root), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def bib_of(root: Path) -> str:
    return (root / "references.bib").read_text(encoding="utf-8")


def entries_of(root: Path) -> dict:
    bibliography = parse_bibliography(bib_of(root), root / "references.bib")
    assert bibliography.findings == []
    return bibliography.entries


def serve_nothing_by_title(services: FakeServices) -> None:
    services.add("crossref", "/works", Reply(fixture("crossref-search-empty.json")))
    services.add("dblp", "/search/publ/api", Reply(fixture("dblp-zero-hits.json")))


def test_a_doi_row_gets_its_crossref_record(tmp_path, services, capsys):
    services.add("crossref", "/works/10.1086/700070", Reply(fixture("crossref-work-baldwin.json")))
    root = make_project(tmp_path, services, [BALDWIN])
    code, out, err = fetch(root, capsys)
    assert code == 0, out
    assert bib_of(root) == (
        "@article{baldwin2018scientific,\n"
        "  author = {Baldwin, Melinda},\n"
        "  title = {Scientific Autonomy, Public Accountability, and the Rise of ``Peer Review'' "
        "in the Cold War United States},\n"
        "  year = {2018},\n"
        "  journal = {Isis},\n"
        "  volume = {109},\n"
        "  number = {3},\n"
        "  pages = {538--558},\n"
        "  doi = {10.1086/700070},\n"
        f"  x-fetched = {{crossref {TODAY}}}\n"
        "}\n"
    )
    assert "[1/1] baldwin2018scientific" in err
    (request,) = services.requests_to("crossref")
    assert request.query["mailto"] == CONTACT
    assert request.headers["User-Agent"].endswith(f"(mailto:{CONTACT})")
    assert main(["check", "--root", str(root)]) == 0


def test_a_rerun_and_offline_answer_from_the_cache(tmp_path, services, capsys):
    services.add("crossref", "/works/10.1086/700070", Reply(fixture("crossref-work-baldwin.json")))
    root = make_project(tmp_path, services, [BALDWIN])
    assert fetch(root, capsys)[0] == 0
    first = bib_of(root)
    (root / "references.bib").unlink()
    assert fetch(root, capsys)[0] == 0
    (root / "references.bib").unlink()
    code, _, err = fetch(root, capsys, "--offline")
    assert code == 0
    assert bib_of(root) == first
    assert len(services.requests_to()) == 1
    assert "0 requests sent" in err


def test_offline_without_a_stored_answer_is_unresolved(tmp_path, services, capsys):
    root = make_project(tmp_path, services, [BALDWIN])
    code, out, _ = fetch(root, capsys, "--offline")
    assert code == 1
    assert "data/exemplars.csv:2: error: baldwin2018scientific: crossref: no stored answer" in out
    assert "[FET003]" in out
    assert services.requests_to() == []
    assert not (root / "references.bib").exists()


def test_a_near_identical_title_of_another_paper_is_rejected(tmp_path, services, capsys):
    search = json.loads(fixture("crossref-search-attention.json"))
    search["message"]["items"] = search["message"]["items"][:1]  # only Jain & Wallace (NAACL)
    services.add("crossref", "/works", Reply(json.dumps(search)))
    services.add("dblp", "/search/publ/api", Reply(fixture("dblp-zero-hits.json")))
    root = make_project(tmp_path, services, [WIEGREFFE])
    code, out, _ = fetch(root, capsys)
    assert code == 1
    assert (
        "data/exemplars.csv:2: error: wiegreffe2019attention: best candidate crossref "
        '"Attention is not Explanation" (2019; Jain, Wallace): title "Attention is not '
        "Explanation\" is not the row's (93% alike); no author in common with the row "
        "(record's authors: Sarthak Jain, Byron C. Wallace) [FET001]"
    ) in out
    assert not (root / "references.bib").exists()


def test_the_right_paper_is_taken_among_near_identical_titles(tmp_path, services, capsys):
    services.add("crossref", "/works", Reply(fixture("crossref-search-attention.json")))
    services.add("dblp", "/search/publ/api", Reply(fixture("dblp-zero-hits.json")))
    root = make_project(tmp_path, services, [WIEGREFFE])
    assert fetch(root, capsys)[0] == 0
    entry = entries_of(root)["wiegreffe2019attention"]
    assert entry.type == "inproceedings"
    assert entry.doi == "10.18653/v1/D19-1002"
    assert entry.fields["pages"] == "11--20"
    assert entry.fields["publisher"] == "Association for Computational Linguistics"
    assert str(entry.persons["author"][0]) == "Wiegreffe, Sarah"


def test_the_published_version_is_preferred_to_the_preprint(tmp_path, services, capsys):
    services.add("arxiv", "/api/query", Reply(fixture("arxiv-1312.6114.atom"), content_type=ATOM))
    services.add("crossref", "/works", Reply(fixture("crossref-search-empty.json")))
    services.add("dblp", "/search/publ/api", Reply(fixture("dblp-search-kingma.json")))
    root = make_project(tmp_path, services, [KINGMA])
    assert fetch(root, capsys)[0] == 0
    assert bib_of(root) == (
        "@inproceedings{kingma2014autoencoding,\n"
        "  author = {Kingma, Diederik P. and Welling, Max},\n"
        "  title = {Auto-Encoding Variational Bayes},\n"
        "  year = {2014},\n"
        "  booktitle = {ICLR},\n"
        "  eprint = {1312.6114},\n"
        "  archiveprefix = {arXiv},\n"
        "  primaryclass = {stat.ML},\n"
        f"  x-fetched = {{dblp {TODAY}}}\n"
        "}\n"
    )


def test_the_preprint_when_no_published_version_matches(tmp_path, services, capsys):
    search = json.loads(fixture("dblp-search-kingma.json"))
    search["result"]["hits"]["hit"] = search["result"]["hits"]["hit"][1:]  # CoRR only
    services.add("arxiv", "/api/query", Reply(fixture("arxiv-1312.6114.atom"), content_type=ATOM))
    services.add("crossref", "/works", Reply(fixture("crossref-search-empty.json")))
    services.add("dblp", "/search/publ/api", Reply(json.dumps(search)))
    root = make_project(tmp_path, services, [KINGMA])
    assert fetch(root, capsys)[0] == 0
    entry = entries_of(root)["kingma2014autoencoding"]
    assert (entry.type, entry.fields["year"], entry.fields["eprint"]) == (
        "misc",
        "2013",
        "1312.6114",
    )
    assert entry.fields["x-fetched"] == f"arxiv {TODAY}"


def test_a_published_version_linked_by_arxiv_is_followed(tmp_path, services, capsys):
    services.add("arxiv", "/api/query", Reply(fixture("arxiv-2005.07180.atom"), content_type=ATOM))
    services.add(
        "crossref",
        "/works/10.1109/TAI.2021.3073088",
        Reply(fixture("crossref-work-vonkugelgen.json")),
    )
    root = make_project(tmp_path, services, [VONKUGELGEN])
    assert fetch(root, capsys)[0] == 0
    text = bib_of(root)
    assert (
        '  author = {von K{\\"u}gelgen, Julius and Gresele, Luigi and Sch{\\"o}lkopf, Bernhard},\n'
    ) in text
    assert (
        "  title = {Simpson's Paradox in {COVID}-19 Case Fatality Rates: A Mediation Analysis "
        "of Age-Related Causal Effects},\n"
    ) in text
    assert "  doi = {10.1109/TAI.2021.3073088},\n  eprint = {2005.07180},\n" in text
    assert [r.path for r in services.requests_to()] == [
        "/api/query",
        "/works/10.1109/TAI.2021.3073088",
    ]


def test_an_organisation_author_stays_whole(tmp_path, services, capsys):
    services.add(
        "crossref", "/works/10.1126/science.aac4716", Reply(fixture("crossref-work-osc.json"))
    )
    root = make_project(tmp_path, services, [OSC])
    assert fetch(root, capsys)[0] == 0
    assert "  author = {{Open Science Collaboration}},\n" in bib_of(root)
    entry = entries_of(root)["osc2015estimating"]
    assert str(entry.persons["author"][0]) == "{Open Science Collaboration}"
    assert entry.fields["pages"] == "aac4716"


def test_dblp_single_author_object(tmp_path, services, capsys):
    services.add("arxiv", "/api/query", Reply(fixture("arxiv-1206.4656.atom"), content_type=ATOM))
    services.add("crossref", "/works", Reply(fixture("crossref-search-empty.json")))
    services.add("dblp", "/search/publ/api", Reply(fixture("dblp-search-wagstaff.json")))
    root = make_project(tmp_path, services, [WAGSTAFF])
    assert fetch(root, capsys)[0] == 0
    entry = entries_of(root)["wagstaff2012machine"]
    assert (entry.type, entry.fields["booktitle"]) == ("inproceedings", "ICML")
    assert [str(p) for p in entry.persons["author"]] == ["Wagstaff, Kiri L."]
    assert entry.fields["url"] == "http://icml.cc/2012/papers/298.pdf"


def test_dblp_zero_hits_leave_the_arxiv_record_with_latex_specials(tmp_path, services, capsys):
    services.add("arxiv", "/api/query", Reply(fixture("arxiv-2205.09858.atom"), content_type=ATOM))
    serve_nothing_by_title(services)
    root = make_project(tmp_path, services, [CONLEN])
    assert fetch(root, capsys)[0] == 0
    assert (
        "  title = {Fidyll: A Compiler for Cross-Format Data Stories \\& Explorable "
        "Explanations},\n"
    ) in bib_of(root)
    assert entries_of(root)["conlen2022fidyll"].title == CONLEN["title"]


def test_a_datacite_doi_resolves_through_doi_org_and_keeps_its_spelling(tmp_path, services, capsys):
    serve_betancourt_through_doi_org(services)
    root = make_project(tmp_path, services, [BETANCOURT])
    assert fetch(root, capsys)[0] == 0
    entry = entries_of(root)["betancourt2017conceptual"]
    assert entry.doi == "10.48550/arXiv.1701.02434"  # as the list gives it, not DataCite's caps
    assert entry.fields["eprint"] == "1701.02434"
    assert entry.fields["x-fetched"] == f"doi.org {TODAY}"
    (request,) = services.requests_to("doi")
    assert request.headers["Accept"] == "application/vnd.citationstyles.csl+json"
    assert services.requests_to("crossref") == []  # arXiv DOIs are DataCite's


def test_an_arxiv_id_arxiv_rejects_is_reported(tmp_path, services, capsys):
    services.add("arxiv", "/api/query", Reply(fixture("arxiv-error.atom"), content_type=ATOM))
    serve_nothing_by_title(services)
    root = make_project(tmp_path, services, [KINGMA])
    code, out, _ = fetch(root, capsys)
    assert code == 1
    assert (
        "kingma2014autoencoding: arXiv has no 1312.6114; a title search of Crossref and DBLP "
        "found nothing [FET001]"
    ) in out


def test_a_malformed_answer_is_reported_and_not_cached(tmp_path, services, capsys):
    broken = fixture("crossref-work-baldwin.json")[:200]
    services.add("crossref", "/works/10.1086/700070", Reply(broken))
    root = make_project(tmp_path, services, [BALDWIN])
    code, out, _ = fetch(root, capsys)
    assert code == 1
    assert "baldwin2018scientific: crossref: malformed response" in out
    assert "[FET002]" in out
    services.add("crossref", "/works/10.1086/700070", Reply(fixture("crossref-work-baldwin.json")))
    assert fetch(root, capsys)[0] == 0
    assert "baldwin2018scientific" in entries_of(root)


def test_a_service_that_keeps_timing_out(tmp_path, services, capsys):
    slow = Reply(fixture("crossref-work-baldwin.json"), delay=1.0)
    services.add("crossref", "/works/10.1086/700070", slow)
    root = make_project(tmp_path, services, [BALDWIN], timeout=0.2, attempts=2)
    code, out, err = fetch(root, capsys)
    assert code == 1
    assert "baldwin2018scientific: crossref: timed out (0.2 s) 2 times [FET002]" in out
    assert "crossref: timed out; trying again" in err
    assert len(services.requests_to("crossref")) == 2


def test_a_row_whose_record_disagrees_keeps_its_doi_unresolved(tmp_path, services, capsys):
    services.add("crossref", "/works/10.1086/700070", Reply(fixture("crossref-work-baldwin.json")))
    root = make_project(tmp_path, services, [BALDWIN | {"year": "2010"}])
    code, out, _ = fetch(root, capsys)
    assert code == 1
    assert "year 2018 is more than one from the row's 2010 [FET001]" in out
    assert services.requests_to("dblp") == []  # a given DOI decides; no search for another


def test_talks_are_left_to_the_author(tmp_path, services, capsys):
    talk = BALDWIN | {"key": "pearl1996art", "kind": "talk", "doi": ""}
    root = make_project(tmp_path, services, [talk])
    code, out, _ = fetch(root, capsys)
    assert code == 1
    assert "pearl1996art: a talk is not indexed by Crossref, DBLP or arXiv" in out
    assert services.requests_to() == []


def test_no_request_without_a_contact_address(tmp_path, services, capsys):
    root = make_project(tmp_path, services, [BALDWIN])
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace(CONTACT, ""))
    code, _, err = fetch(root, capsys)
    assert code == 2
    assert "set a contact address in pyproject.toml" in err
    assert services.requests_to() == []


def test_unknown_key_and_broken_bibliography_are_usage_errors(tmp_path, services, capsys):
    root = make_project(tmp_path, services, [BALDWIN], bib="@article{x,\n  title = {A}\n")
    assert fetch(root, capsys, "nosuchkey")[0] == 2
    code, out, _ = fetch(root, capsys)
    assert code == 2
    assert "references.bib:3: error: syntax error" in out
    assert bib_of(root) == "@article{x,\n  title = {A}\n"
    assert services.requests_to() == []


def test_an_entry_that_would_not_parse_is_not_written(tmp_path, services, capsys, monkeypatch):
    import exemplars.fetch.fetch_bib

    services.add("crossref", "/works/10.1086/700070", Reply(fixture("crossref-work-baldwin.json")))
    root = make_project(tmp_path, services, [BALDWIN])
    broken = "@article{baldwin2018scientific,\n  title = {Unclosed\n"
    monkeypatch.setattr(exemplars.fetch.fetch_bib, "entry_text", lambda *args: broken)
    code, out, _ = fetch(root, capsys)
    assert code == 1
    assert "does not parse" in out and "[FET005]" in out
    assert not (root / "references.bib").exists()


def test_dry_run_prints_and_writes_nothing(tmp_path, services, capsys):
    services.add("crossref", "/works/10.1086/700070", Reply(fixture("crossref-work-baldwin.json")))
    root = make_project(tmp_path, services, [BALDWIN])
    code, out, _ = fetch(root, capsys, "--dry-run")
    assert code == 0
    assert out.startswith("@article{baldwin2018scientific,\n  author = {Baldwin, Melinda},")
    assert not (root / "references.bib").exists()


def test_bad_settings_name_their_line(tmp_path, services, capsys):
    root = make_project(tmp_path, services, [BALDWIN])
    pyproject = root / "pyproject.toml"
    settings = pyproject.read_text()
    pyproject.write_text(settings.replace("attempts = 3", "attempts = three"))
    code, out, _ = fetch(root, capsys)
    assert code == 2
    assert "pyproject.toml:6: error: not valid TOML" in out
    pyproject.write_text(settings.replace("attempts = 3", "attempts = 0"))
    code, out, _ = fetch(root, capsys)
    assert code == 2
    assert "pyproject.toml:6: error: [tool.exemplars] fetch-bib.attempts: Input should be" in out
    assert services.requests_to() == []
