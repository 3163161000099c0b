"""Benchmark `exemplars fetch-bib` over a list the size of ours, against local services.

A synthetic list of 117 rows (half with a DOI, a third with an arXiv id, the rest found by title)
is fetched from stand-ins for Crossref, DBLP, arXiv and doi.org on 127.0.0.1 that answer after a
realistic delay. Prints the cold time (empty cache), the warm time (references.bib deleted, cache
kept) and the requests the warm run sent (goal: 0).

    uv run python benchmarks/fetch_bib.py [--rows 117] [--latency 0.15]

Requests are not paced here (intervals 0): the default intervals set a floor on a real cold run,
which the benchmark reports separately from the requests each service received.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from exemplars.config import DEFAULT_SOURCES  # noqa: E402
from exemplars.data.bibliography import parse_bibliography  # noqa: E402
from exemplars.fetch.matching import surname  # noqa: E402

from tests.fake_services import FakeServices, Reply, fixture  # noqa: E402
from tests.fetch_helpers import make_project  # noqa: E402
from tests.helpers import row  # noqa: E402

WORDS = [
    "sparse",
    "latent",
    "robust",
    "causal",
    "neural",
    "graph",
    "kernel",
    "bayesian",
    "spectral",
    "adaptive",
]
NAMES = ["Ada Lovelace", "Alan Turing", "Grace Hopper", "Emmy Noether", "Kurt Gödel"]


def synthetic_rows(count: int) -> list[dict[str, str]]:
    rows = []
    for i in range(count):
        words = [WORDS[(i * 7 + k) % len(WORDS)] for k in range(3)]
        kind = ("doi", "doi", "doi", "doi", "doi", "arxiv", "arxiv", "arxiv", "title", "title")
        rows.append(
            row(
                key=f"work{i:03d}",
                title=f"Study {i}: {words[0]} {words[1]} methods for {words[2]} data",
                authors=f"{NAMES[i % 5]}; {NAMES[(i + 1) % 5]}",
                year=str(2000 + i % 24),
                doi=f"10.5555/bench.{i}" if kind[i % 10] == "doi" else "",
                arxiv=f"2101.{i:05d}" if kind[i % 10] == "arxiv" else "",
            )
        )
    return rows


def crossref_item(values: dict[str, str], doi: str) -> dict:
    item = json.loads(fixture("crossref-work-baldwin.json"))["message"]
    first, second = values["authors"].split("; ")
    item |= {
        "DOI": doi,
        "title": [values["title"]],
        "issued": {"date-parts": [[int(values["year"])]]},
        "author": [
            {"given": n.split()[0], "family": n.split()[1], "sequence": "additional"}
            for n in (first, second)
        ],
    }
    return item


def serve(services: FakeServices, rows: list[dict[str, str]], latency: float) -> None:
    """Routes for every request fetch-bib will send, each answered after `latency` seconds."""
    work_list = json.loads(fixture("crossref-search-empty.json"))
    for values in rows:
        if values["doi"]:
            body = {
                "status": "ok",
                "message-type": "work",
                "message": crossref_item(values, values["doi"]),
            }
            services.add(
                "crossref", f"/works/{values['doi']}", Reply(json.dumps(body), delay=latency)
            )
            continue
        if values["arxiv"]:
            atom = fixture("arxiv-1312.6114.atom").replace("1312.6114", values["arxiv"])
            atom = atom.replace("Auto-Encoding Variational Bayes", values["title"])
            atom = atom.replace("Diederik P Kingma", values["authors"].split("; ")[0])
            atom = atom.replace("2013-12-20", f"{values['year']}-01-15")
            services.add(
                "arxiv",
                "/api/query",
                Reply(atom, delay=latency),
                query={"id_list": values["arxiv"]},
            )
        found = work_list | {"message": work_list["message"] | {"items": []}}
        if not values["arxiv"]:
            found["message"]["items"] = [crossref_item(values, f"10.5555/found.{values['key']}")]
        first = surname(values["authors"].split("; ")[0])
        services.add(
            "crossref",
            "/works",
            Reply(json.dumps(found), delay=latency),
            query={"query.bibliographic": f"{values['title']} {first}"},
        )
        hits = fixture("dblp-zero-hits.json") if not values["arxiv"] else _dblp_hit(values)
        services.add(
            "dblp", "/search/publ/api", Reply(hits, delay=latency), query={"q": values["title"]}
        )


def _dblp_hit(values: dict[str, str]) -> str:
    document = json.loads(fixture("dblp-search-kingma.json"))
    hit = document["result"]["hits"]["hit"][0]
    hit["info"] |= {
        "title": values["title"] + ".",
        "year": values["year"],
        "authors": {"author": [{"text": n} for n in values["authors"].split("; ")]},
    }
    document["result"]["hits"]["hit"] = [hit]
    return json.dumps(document)


def timed_run(root: Path) -> tuple[float, int]:
    command = [str(Path(sys.executable).parent / "exemplars"), "fetch-bib", "--root", str(root)]
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"fetch-bib failed ({result.returncode}):\n{result.stdout}{result.stderr[-2000:]}")
    return elapsed, result.returncode


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=117)
    parser.add_argument("--latency", type=float, default=0.15, help="seconds per answer")
    args = parser.parse_args()
    rows = synthetic_rows(args.rows)
    with FakeServices() as services, tempfile.TemporaryDirectory() as folder:
        serve(services, rows, args.latency)
        root = make_project(Path(folder), services, rows)
        cold, _ = timed_run(root)
        cold_requests = Counter(seen.source for seen in services.requests_to())
        bib = root / "references.bib"
        entries = parse_bibliography(bib.read_text(), bib).entries
        bib.unlink()
        warm, _ = timed_run(root)
        warm_requests = len(services.requests_to()) - sum(cold_requests.values())
    paced = max(
        (n - 1) * DEFAULT_SOURCES[source]["interval"] for source, n in cold_requests.items()
    )
    print(
        f"rows: {len(rows)}, entries written: {len(entries)}, latency per answer: {args.latency} s"
    )
    print(f"cold run: {cold:.1f} s, {sum(cold_requests.values())} requests ({dict(cold_requests)})")
    print(f"warm run: {warm:.1f} s, {warm_requests} requests (goal: 0)")
    print(f"with the default request intervals a cold run takes at least {paced:.0f} s")


if __name__ == "__main__":
    main()
