"""`exemplars links` end to end: a small project whose links point at servers on 127.0.0.1."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from exemplars.cli import main
from exemplars.config import LinkSettings
from exemplars.data.schema import EXEMPLAR_COLUMNS
from exemplars.links.settings import load_config

from tests.helpers import ROOT, row, snapshot, write_csv
from tests.link_server import LinkServer, Reply, loopback_only  # noqa: F401

pytestmark = pytest.mark.usefixtures("loopback_only")

POST = "posts/reading/index.qmd"
HANDLE = '{"responseCode":1,"handle":"%s","values":[]}'
ROUTES = {
    "/ok": [Reply(200)],
    "/missing": [Reply(404)],
    "/old": [Reply(301, b"", {"Location": "/ok"})],
    "/abs/1312.6114": [Reply(200)],
    "/api/handles/10.1145/3317287.3328534": [
        Reply(200, (HANDLE % "10.1145/3317287.3328534").encode())
    ],
}


@pytest.fixture
def server():
    with LinkServer(ROUTES) as running:
        yield running


def make_project(root: Path, server: LinkServer, post: str) -> Path:
    (root / "pyproject.toml").write_text(
        "[tool.exemplars.links]\n"
        f'doi_handle_api = "{server.url("/api/handles/")}"\n'
        f'arxiv_abs = "{server.url("/abs/")}"\n'
        "[tool.exemplars.links.timeouts]\nconnect = 1\nread = 1\n"
        "[tool.exemplars.links.retries]\nbackoff = 0.01\n"
        "[tool.exemplars.links.limits]\nmin_interval = 0\n"
    )
    path = root / POST
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(post)
    write_csv(
        root / "data" / "exemplars.csv",
        EXEMPLAR_COLUMNS,
        [row(), row(key="b", arxiv="", doi="10.1145/3317287.3328534")],
    )
    (root / "references.bib").write_text(
        "@article{b,\n  title = {B},\n  doi = {10.1145/3317287.3328534},\n}\n"
    )
    return root


@pytest.fixture
def clean(tmp_path, server) -> Path:
    """Every link works."""
    return make_project(tmp_path, server, f"# Reading\n\nSee [it]({server.url('/ok')}).\n")


@pytest.fixture
def messy(tmp_path, server) -> Path:
    """A broken link, a moved one, one to skip and an internal link to nowhere."""
    post = (
        "# Reading\n\n"
        f"See [it]({server.url('/ok')}).\n\n"
        f"And [this]({server.url('/missing')}), [that]({server.url('/old')}),\n"
        "[mail](mailto:me@example.org) and [a section](#sec-none).\n"
    )
    return make_project(tmp_path, server, post)


def links(root: Path, capsys, *extra: str) -> tuple[int, str]:
    code = main(["links", "--root", str(root), *extra])
    return code, capsys.readouterr().out


def test_problems_one_per_line_then_a_summary(messy, server, capsys):
    code, out = links(messy, capsys)
    assert code == 1
    lines = out.strip().splitlines()
    assert lines[:3] == [
        f"{POST}:5: error: broken: {server.url('/missing')} (404 Not Found) [URL001]",
        f"{POST}:5: warning: {server.url('/old')} moved permanently to {server.url('/ok')}"
        " [URL003]",
        f"{POST}:6: error: broken: #sec-none"
        ' (no heading or element with id "sec-none" in this page) [URL001]',
    ]
    assert lines[3] == "Found 2 errors and 1 warning in 1 file (exemplars links)."
    assert lines[4] == (
        "Checked 7 links in 3 files: 3 ok, 1 redirected, 2 broken, 1 skipped."
        " 7 requests, 0 from the cache."
    )


def test_nothing_broken_exits_0(clean, capsys):
    code, out = links(clean, capsys)
    assert code == 0
    assert out.startswith(
        "All clear: exemplars links.\nChecked 3 links in 3 files: 3 ok, 0 broken."
    )


def test_json_report(messy, server, capsys):
    code, out = links(messy, capsys, "--json")
    assert code == 1
    report = json.loads(out)
    problems = {problem["url"]: problem for problem in report["problems"]}
    assert problems[server.url("/missing")] == {
        "file": POST,
        "line": 5,
        "severity": "error",
        "code": "URL001",
        "message": f"broken: {server.url('/missing')} (404 Not Found)",
        "url": server.url("/missing"),
        "status": "broken",
        "http_status": 404,
        "final_url": server.url("/missing"),
        "reason": "404 Not Found",
    }
    assert problems[server.url("/old")]["code"] == "URL003"
    assert set(problems) == {server.url("/missing"), server.url("/old"), "#sec-none"}
    assert report["summary"] | {"requests": None} == {
        "errors": 2,
        "warnings": 1,
        "files": 1,
        "checked": "exemplars links",
        "links": 7,
        "ok": 3,
        "redirected": 1,
        "broken": 2,
        "timeout": 0,
        "unverifiable": 0,
        "skipped": 1,
        "not_verified": 0,
        "from_cache": 0,
        "requests": None,
        "files_checked": 3,
        "offline": False,
    }


def test_a_rerun_within_a_week_asks_nobody(clean, server, capsys):
    links(clean, capsys)
    asked = len(server.hits)
    code, out = links(clean, capsys)
    assert code == 0
    assert len(server.hits) == asked
    assert "0 requests, 3 from the cache." in out


def test_only_successes_are_cached(messy, server, capsys):
    links(messy, capsys)
    cached = json.loads((messy / ".cache/links.json").read_text())["links"]
    assert set(cached) == {
        server.url("/ok"),
        server.url("/old"),
        server.url("/abs/1312.6114"),
        "https://doi.org/10.1145/3317287.3328534",
    }
    assert [p.name for p in (messy / ".cache").iterdir()] == ["links.json"]  # no temp file left
    hits = len(server.hits)
    links(messy, capsys)
    assert server.requests()[hits:] == ["HEAD /missing", "GET /missing"]  # asked again


def test_entries_older_than_the_maximum_age_are_asked_again(clean, server, capsys):
    links(clean, capsys)
    cache = clean / ".cache/links.json"
    document = json.loads(cache.read_text())
    old = (datetime.now(UTC) - timedelta(days=8)).isoformat(timespec="seconds")
    for entry in document["links"].values():
        entry["checked"] = old
    cache.write_text(json.dumps(document))
    asked = len(server.hits)
    links(clean, capsys)
    assert len(server.hits) == asked + 3


def test_a_corrupt_cache_is_ignored_and_replaced(clean, server, capsys):
    (clean / ".cache").mkdir()
    (clean / ".cache/links.json").write_text("{not json")
    code, _ = links(clean, capsys)
    assert code == 0
    assert len(json.loads((clean / ".cache/links.json").read_text())["links"]) == 3


def test_offline_makes_no_request_and_says_what_it_could_not_verify(messy, server, capsys):
    before = snapshot(messy)
    code, out = links(messy, capsys, "--offline")
    assert server.hits == []
    assert snapshot(messy) == before  # nothing written either
    assert code == 1  # the internal link is broken whatever the network says
    assert f"{POST}:6: error: broken: #sec-none" in out
    assert out.strip().endswith("Offline: 5 links could not be verified (not in the cache).")


def test_offline_uses_the_cache(clean, server, capsys):
    links(clean, capsys)
    asked = len(server.hits)
    code, out = links(clean, capsys, "--offline", "--json")
    assert code == 0
    assert len(server.hits) == asked
    summary = json.loads(out)["summary"]
    assert (summary["ok"], summary["from_cache"], summary["not_verified"]) == (3, 3, 0)


def test_ignored_links_are_skipped_without_a_request(clean, server, capsys):
    (clean / ".linksignore").write_text("# local pages\n/ok$\n")
    code, out = links(clean, capsys, "--json")
    assert code == 0
    summary = json.loads(out)["summary"]
    assert (summary["skipped"], summary["ok"]) == (1, 2)
    assert "GET /ok" not in server.requests() and "HEAD /ok" not in server.requests()


def test_given_files_only(clean, capsys):
    code, out = links(clean, capsys, str(clean / "references.bib"))
    assert code == 0
    assert out.startswith("All clear: exemplars links.\nChecked 1 link in 1 file: 1 ok, 0 broken.")


def test_a_folder_means_the_files_in_it(clean, capsys):
    (clean / "posts" / ".hidden").mkdir()
    (clean / "posts" / ".hidden" / "draft.md").write_text("[x](https://example.org/x)\n")
    code, out = links(clean, capsys, str(clean / "posts"))
    assert code == 0
    assert out.startswith("All clear: exemplars links.\nChecked 1 link in 1 file: 1 ok, 0 broken.")


def test_a_file_that_is_not_utf8_exits_2_naming_it(clean, capsys):
    (clean / "data" / "exemplars.csv").write_bytes("key\nSchölkopf\n".encode("latin-1"))
    code, out = links(clean, capsys)
    assert code == 2
    assert out.startswith("data/exemplars.csv:2: error: not UTF-8 (byte 0xf6)")


@pytest.mark.parametrize(
    ("setup", "arguments", "message"),
    [
        (None, ["absent.qmd"], "absent.qmd: no such file or folder"),
        ("notes.txt", ["notes.txt"], "notes.txt: not a .qmd, .md, .csv, .bib file"),
    ],
)
def test_bad_paths_exit_2(clean, capsys, monkeypatch, setup, arguments, message):
    monkeypatch.chdir(clean)
    if setup:
        Path(setup).write_text("x")
    assert main(["links", *arguments]) == 2
    assert message in capsys.readouterr().err


def test_a_misspelt_setting_exits_2_naming_file_and_line(clean, capsys):
    pyproject = clean / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + "per_hots = 4\n")  # under [...links.limits]
    code, out = links(clean, capsys)
    assert code == 2
    assert out.startswith(
        "pyproject.toml:11: error: [tool.exemplars] links.limits.per_hots: "
        "Extra inputs are not permitted"
    )


def test_a_bad_ignore_pattern_exits_2_naming_file_and_line(clean, capsys):
    (clean / ".linksignore").write_text("# fine\n(unclosed\n")
    code, out = links(clean, capsys)
    assert code == 2
    assert out.startswith('.linksignore:2: error: "(unclosed" is not a regular expression')


def test_no_progress_bar_unless_on_a_terminal(clean, capsys):
    links(clean, capsys)
    assert capsys.readouterr().err == ""


def test_progress_bar_on_a_terminal(clean, monkeypatch, capsys):
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["links", "--root", str(clean)]) == 0
    assert "| 0/3 [" in terminal.getvalue()


def test_the_shipped_settings_are_the_defaults():
    config = load_config(ROOT)
    assert config.settings.model_copy(update={"user_agent": ""}) == LinkSettings()
    assert config.ignored("http://localhost:4200/posts/")
    assert not config.ignored("https://doi.org/10.1145/3317287.3328534")


def test_the_real_project_offline_without_traceback():
    result = subprocess.run(
        [str(Path(sys.executable).parent / "exemplars"), "links", "--offline", "--root", str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "could not be verified" in result.stdout


def test_requests_carry_the_projects_contact_address(clean, server, capsys):
    pyproject = clean / "pyproject.toml"
    pyproject.write_text('[tool.exemplars]\ncontact = "me@example.org"\n' + pyproject.read_text())
    links(clean, capsys)
    agents = {hit.user_agent for hit in server.hits}
    assert len(agents) == 1
    assert agents.pop().endswith(" (mailto:me@example.org)")


def test_the_workflow_checks_every_link_weekly_and_on_pull_requests():
    import yaml

    workflow = yaml.safe_load((ROOT / ".github/workflows/links.yml").read_text())
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert "pull_request" in triggers
    [schedule] = triggers["schedule"]
    assert schedule["cron"].split()[2:] == ["*", "*", "1"]  # every Monday
    steps = [step.get("run", "") for step in workflow["jobs"]["links"]["steps"]]
    assert "uv sync --locked" in steps
    assert steps[-1] == "uv run --locked exemplars links"


def test_timeouts_are_errors_and_walled_hosts_warnings():
    from exemplars.findings import exit_code
    from exemplars.links import LinkReport, LinkResult
    from exemplars.links.collect import Kind, Place, Target
    from exemplars.links.outcome import Outcome, Status
    from exemplars.links.report import link_findings

    def result(url: str, outcome: Outcome, line: int) -> LinkResult:
        return LinkResult(Target(url, Kind.WEB, [Place(Path(POST), line)]), outcome)

    slow = result("https://slow.example/", Outcome(Status.TIMEOUT, reason="no answer"), 3)
    walled = Outcome(Status.UNVERIFIABLE, 403, reason="403 Forbidden: walls off link checkers")
    report = LinkReport(
        [slow, result("https://walled.example/", walled, 4)], [Path(POST)], 0, False
    )
    findings = link_findings(report, Path("."))
    assert [(f.line, f.severity, f.code) for f in findings] == [
        (3, "error", "URL002"),
        (4, "warning", "URL004"),
    ]
    assert findings[1].details["http_status"] == 403
    assert exit_code(findings) == 1
