"""Entries built from structured fields read back the same in pybtex and in pandoc's citeproc."""
# ruff: noqa: RUF001 -- typographic quotes and dashes are what these tests are about

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import pypandoc
import pytest
from exemplars.data.bibliography import parse_bibliography
from exemplars.data.schema import Exemplar
from exemplars.fetch.bibtex_writer import entry_text, latex, page_range, protected_title
from exemplars.fetch.matching import judge
from exemplars.fetch.sources import Author, Record, person

from tests.helpers import row

AWKWARD_TITLE = "Gödel’s “50% rule” & the $x_1$ #1 {trick}: ~ \\ — Łódź, naïve Ångström, 東京"
AUTHORS = (
    person("Aäron van den Oord"),
    Author(name="Ivan Dokmanić", family="Dokmanić", given="Ivan"),
    person("Łukasz Kaiser"),
    Author(name="Research & Development Group", organisation=True),
)


def record(**changes) -> Record:
    fields = {
        "source": "crossref",
        "entry_type": "article",
        "title": AWKWARD_TITLE,
        "authors": AUTHORS,
        "year": 2020,
        "venue": "Journal of Ça & Ça",
        "volume": "3",
        "number": "1",
        "pages": "1-10",
        "doi": "10.1000/abc_def",
    }
    return Record(**(fields | changes))


def exemplar(**changes: str) -> Exemplar:
    return Exemplar.model_validate(row(**({"arxiv": ""} | changes)))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Schölkopf", 'Sch{\\"o}lkopf'),
        ("Łukasz", "{\\L}ukasz"),
        ("naïve", 'na{\\"i}ve'),
        ("Ça", "{\\c{C}}a"),
        ("50% & $5 #1 a_b {c}", "50\\% \\& \\$5 \\#1 a\\_b \\{c\\}"),
        ("~ ^ \\", "\\textasciitilde{} \\textasciicircum{} \\textbackslash{}"),
        ("“a” ‘b’ – —", "``a'' `b' -- ---"),
        ("東京", "東京"),
    ],
)
def test_unicode_becomes_latex(text, expected):
    assert latex(text) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Auto-Encoding Variational Bayes", "Auto-Encoding Variational Bayes"),
        ("BERT and GANs for NLP", "{BERT} and {GANs} for {NLP}"),
        ("CoDraw: Collaborative Drawing", "{CoDraw}: Collaborative Drawing"),
        (
            "Deep Bayesian bandits showdown: an empirical comparison for Thompson sampling",
            "Deep {Bayesian} bandits showdown: an empirical comparison for {Thompson} sampling",
        ),
        ("Examples in R and Stan", "Examples in {R} and Stan"),
        ("Oops I took a gradient", "Oops {I} took a gradient"),
    ],
)
def test_titles_keep_the_capitals_that_matter(title, expected):
    assert protected_title(title) == expected


def test_page_ranges_use_an_en_dash():
    assert [page_range(p) for p in ("538-558", "45–77", "aac4716")] == [
        "538--558",
        "45--77",
        "aac4716",
    ]


def test_pybtex_reads_back_what_was_written():
    text = entry_text(exemplar(key="awkward2020"), record(), dt.date(2024, 11, 4))
    bibliography = parse_bibliography(text, Path("x.bib"))
    assert bibliography.findings == []
    entry = bibliography.entries["awkward2020"]
    assert entry.title == AWKWARD_TITLE.replace("’", "'")
    assert [str(p) for p in entry.persons["author"]] == [
        'van den Oord, A{\\"a}ron',
        "Dokmani{\\'c}, Ivan",
        "Kaiser, {\\L}ukasz",
        "{Research \\& Development Group}",
    ]
    assert entry.fields["doi"] == "10.1000/abc_def"
    assert entry.fields["x-fetched"] == "crossref 2024-11-04"


def test_pandoc_citeproc_reads_back_what_was_written():
    text = entry_text(exemplar(key="awkward2020"), record(), dt.date(2024, 11, 4))
    (item,) = json.loads(pypandoc.convert_text(text, "csljson", format="bibtex"))
    assert item["title"] == AWKWARD_TITLE  # pandoc turns ' back into a typographic apostrophe
    assert [a.get("family") or a.get("literal") for a in item["author"]] == [
        "Oord",
        "Dokmanić",
        "Kaiser",
        "Research & Development Group",
    ]
    assert item["author"][0]["dropping-particle"] == "van den"
    assert item["author"][0]["given"] == "Aäron"
    assert item["container-title"] == "Journal of Ça & Ça"
    assert item["page"] == "1-10"  # CSL's own spelling of a range


def test_judging_a_record():
    row_ = exemplar(title="Machine learning that matters", authors="Kiri L. Wagstaff", year="2012")
    good = record(
        title="Machine Learning that Matters", authors=(person("Kiri Wagstaff"),), year=2013
    )
    assert judge(row_, good).accepted
    other_year = judge(row_, replace(good, year=2015))
    assert other_year.problems == ("year 2015 is more than one from the row's 2012",)
    reversed_name = record(title=good.title, authors=(person("Wagstaff Kiri"),), year=2012)
    assert judge(row_, reversed_name).accepted  # family-name-first services still match
    subtitled = exemplar(title="Statistical Rethinking: A Bayesian course", authors="R. McElreath")
    short = record(
        title="Statistical Rethinking", authors=(person("Richard McElreath"),), year=2014
    )
    assert judge(subtitled, short).accepted
