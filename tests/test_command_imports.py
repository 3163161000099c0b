"""What a command loads before it works: libraries it does not use stay unimported.

A command's start is mostly its imports (pydantic, httpx, pandas, PyYAML each cost tens of
milliseconds), so `exemplars --help` and an `exemplars links` answered from its cache must not load
what they do not use. Checked through `sys.modules` in a fresh interpreter, without timing
anything; `benchmarks/start.py` prints the times.
"""

from __future__ import annotations

import json
import subprocess
import sys
from contextlib import nullcontext
from pathlib import Path
from unittest import mock

import httpx
import pytest
from exemplars.cli import _parser, main
from exemplars.links import collect
from exemplars.links.collect import Kind, web_target
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.link_server import LinkServer, Reply, loopback_only  # noqa: F401

HEAVY = ("pydantic", "httpx", "pandas", "yaml", "pybtex", "tqdm", "tenacity", "matplotlib")
# What a run answered from the link cache needs no more than: no HTTP client, no list schema.
# (Its settings are still read and checked by pydantic, in exemplars.config.)
NOT_FOR_A_WARM_LINKS_RUN = (
    "httpx",
    "pandas",
    "yaml",
    "pybtex",
    "tqdm",
    "tenacity",
    "asyncio",
    "exemplars.links.probe",
    "exemplars.data.schema",
)

RUN = """
import json, sys
from exemplars.cli import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def run(cwd: Path, *arguments: str) -> tuple[int, set[str], str]:
    """`exemplars ARGUMENTS` in a fresh interpreter: exit code, modules loaded, output."""
    result = subprocess.run(
        [sys.executable, "-c", RUN, *arguments],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    *output, last = result.stdout.splitlines()
    report = json.loads(last)
    return report["code"], set(report["modules"]), "\n".join(output)


def loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return [name for name in names if name in modules]


def commands() -> list[str]:
    [choices] = [a.choices for a in _parser()._actions if a.dest == "command"]
    return list(choices)


@pytest.mark.parametrize("command", [[], *([c] for c in commands())], ids=str)
def test_help_loads_none_of_the_libraries(tmp_path, command):
    code, modules, output = run(tmp_path, *command, "--help")
    assert code == 0
    assert "usage: exemplars" in output
    assert loaded(modules, HEAVY) == []


@pytest.mark.usefixtures("loopback_only")
def test_a_links_run_answered_from_the_cache_builds_no_http_client(tmp_path, capsys):
    with LinkServer({"/ok": [Reply(200)], "/also": [Reply(200)]}) as server:
        page = tmp_path / "links.md"
        page.write_text(f"- [one]({server.url('/ok')})\n- [two]({server.url('/also')})\n")
        assert main(["links", "--root", str(tmp_path), str(page)]) == 0  # fills the cache
        capsys.readouterr()
        code, modules, output = run(tmp_path, "links", "links.md")
        assert len(server.hits) == 2  # the second run asked nobody
    assert code == 0
    assert "0 requests, 2 from the cache" in output
    assert loaded(modules, NOT_FOR_A_WARM_LINKS_RUN) == []


def classified_by_httpx(url: str):
    """`web_target` with every URL parsed by httpx, as it was before the shortcut."""
    with mock.patch.object(collect, "_plain_web_url", return_value=False):
        return web_target(url)


def written_in_a_page(url: str, by_httpx: bool = False) -> object:
    """What `url` written as a link in a page becomes (by urllib and httpx alone, or not): its
    target, or the error it raises (urllib refuses "https://[", which pandoc never writes)."""
    plain = mock.patch.object(collect, "_plain_web_url", return_value=False)
    with plain if by_httpx else nullcontext():
        try:
            return collect._markdown_target(url, Path("page.md"))
        except ValueError as exc:
            return repr(exc)


label = st.text("abcxyz019-", min_size=1, max_size=5) | st.sampled_from(
    ["doi", "org", "dx", "www", "xn--a", "xn--bcher-kva", "Example", "é", "İ", "K"]
)
octet = st.sampled_from(["0", "1", "127", "255", "256", "01", "00", "999"])
host = st.lists(label, max_size=4).map(".".join) | st.lists(octet, min_size=4, max_size=4).map(
    ".".join
)
tail = st.text(st.characters(codec="utf-8"), max_size=12) | st.text("/?#%:@.[] \\", max_size=6)
urls = st.builds(
    "".join,
    st.tuples(
        st.sampled_from(["https://", "http://", "HTTP://", "ftp://", "https:/", ""]),
        host,
        st.sampled_from(["", ":8080", ":", ":x", ":0"]),
        st.sampled_from(["", "/", "/10.1000/x", "?q", "#f", "@h", "\\"]) | tail,
    ),
)


@settings(max_examples=400, deadline=None)
@given(url=urls)
def test_urls_classified_without_httpx_are_classified_as_httpx_would(url):
    assert web_target(url) == classified_by_httpx(url)
    assert written_in_a_page(url) == written_in_a_page(url, by_httpx=True)


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/a b",
        "http://127.0.0.2:8000/page/1",
        "http://256.0.0.1/",
        "http://01.2.3.4/",
        "https://doi.org/10.1000/182",
        "https://DX.DOI.ORG/10.1000/182",
        "https://xn--bcher-kva.example/",
        "https://xn--a.org/",
        "https://user@example.org/",
        "https://exa_mple.org/",
        "https://example.org:/",
        "https://example.org\\@evil.org/",
    ],
)
def test_urls_at_the_edge_of_the_shortcut(url):
    target = web_target(url)
    assert target == classified_by_httpx(url)
    if target.kind == Kind.WEB:
        assert httpx.URL(url).host  # a web target is one httpx can request
