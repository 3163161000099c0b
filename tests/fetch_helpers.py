"""A throwaway project whose fetch-bib talks to `FakeServices`, and the rows the tests fetch."""

from __future__ import annotations

from pathlib import Path

from exemplars.data.schema import EXEMPLAR_COLUMNS, VENUE_COLUMNS

from tests.fake_services import SOURCES, FakeServices, Reply, fixture
from tests.helpers import row, write_csv

CONTACT = "tests@example.org"

BALDWIN = row(
    key="baldwin2018scientific",
    title='Scientific autonomy, public accountability, and the rise of "peer review" in the '
    "Cold War United States",
    authors="Melinda Baldwin",
    year="2018",
    venue="Isis",
    kind="article",
    doi="10.1086/700070",
    arxiv="",
)
OSC = row(
    key="osc2015estimating",
    title="Estimating the reproducibility of psychological science",
    authors="Open Science Collaboration",
    year="2015",
    venue="Science",
    kind="article",
    doi="10.1126/science.aac4716",
    arxiv="",
)
VONKUGELGEN = row(
    key="vonkugelgen2021simpson",
    title="Simpson's paradox in Covid-19 case fatality rates: a mediation analysis of "
    "age-related causal effects",
    authors="Julius von Kügelgen; Luigi Gresele; Bernhard Schölkopf",
    year="2021",
    venue="IEEE TAI",
    kind="article",
    doi="",
    arxiv="2005.07180",
)
KINGMA = row()  # Auto-Encoding Variational Bayes, arXiv 1312.6114, ICLR 2014
WIEGREFFE = row(
    key="wiegreffe2019attention",
    title="Attention is not not Explanation",
    authors="Sarah Wiegreffe; Yuval Pinter",
    year="2019",
    venue="EMNLP",
    doi="",
    arxiv="",
)
WAGSTAFF = row(
    key="wagstaff2012machine",
    title="Machine learning that matters",
    authors="Kiri L. Wagstaff",
    year="2012",
    venue="ICML",
    arxiv="1206.4656",
)
CONLEN = row(
    key="conlen2022fidyll",
    title="Fidyll: A Compiler for Cross-Format Data Stories & Explorable Explanations",
    authors="Matthew Conlen; Jeffrey Heer",
    year="2022",
    venue="arXiv",
    kind="preprint",
    arxiv="2205.09858",
)
BETANCOURT = row(
    key="betancourt2017conceptual",
    title="A Conceptual Introduction to Hamiltonian Monte Carlo",
    authors="Michael Betancourt",
    year="2017",
    venue="arXiv",
    kind="preprint",
    doi="10.48550/arXiv.1701.02434",
    arxiv="1701.02434",
)


def make_project(
    root: Path,
    services: FakeServices,
    rows: list[dict[str, str]],
    bib: str | None = None,
    **fetch_settings: str | float,
) -> Path:
    """A project listing `rows`, with settings that point fetch-bib at `services`."""
    write_csv(root / "data" / "exemplars.csv", EXEMPLAR_COLUMNS, rows)
    venues = sorted({r["venue"] for r in rows})
    write_csv(
        root / "data" / "venues.csv",
        VENUE_COLUMNS,
        [{"venue": v, "label": v, "type": "other"} for v in venues],
    )
    options = {"timeout": 2.0, "attempts": 3, "backoff": 0.0} | fetch_settings
    lines = ["[tool.exemplars]", f'contact = "{CONTACT}"', "", "[tool.exemplars.fetch-bib]"]
    lines += [f"{name} = {value!r}".replace("'", '"') for name, value in options.items()]
    for source in SOURCES:
        lines += ["", f"[tool.exemplars.fetch-bib.{source}]", f'url = "{services.url(source)}"']
        lines.append("interval = 0")
    (root / "pyproject.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    if bib is not None:
        (root / "references.bib").write_text(bib, encoding="utf-8")
    return root


def serve_betancourt_through_doi_org(services: FakeServices) -> None:
    """A DataCite (arXiv) DOI as doi.org answers it: a redirect to DataCite's CSL-JSON record."""
    target = "/application/vnd.citationstyles.csl+json/10.48550/arXiv.1701.02434"
    services.add(
        "doi",
        "/10.48550/arXiv.1701.02434",
        Reply(status=302, headers={"Location": services.url("datacite") + target}),
    )
    services.add("datacite", target, Reply(fixture("doi-csl-betancourt.json")))
