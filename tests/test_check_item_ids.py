"""`exemplars check` refuses a key that cannot be the id of its item on the post."""

from __future__ import annotations

import pytest
from exemplars.cli import main
from exemplars.data.schema import EXEMPLAR_COLUMNS

from tests.helpers import row, write_bib, write_csv


@pytest.mark.parametrize(
    ("keys", "bad", "reason"),
    [
        (["fig-a2020b"], "fig-a2020b", 'starting with "fig-" as a cross-reference'),
        (["sec-intro"], "sec-intro", 'starting with "sec-"'),
        (["doe2020", "ref-doe2020"], "ref-doe2020", 'the reference of "doe2020"'),
        (["fn1"], "fn1", "a footnote"),
    ],
)
def test_a_key_that_cannot_be_an_id_is_an_error(small_project, capsys, keys, bad, reason):
    rows = [row(key=key, title=f"Title {key}") for key in keys]
    write_csv(small_project / "data" / "exemplars.csv", EXEMPLAR_COLUMNS, rows)
    write_bib(small_project, rows)
    assert main(["check", "--root", str(small_project)]) == 1
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if "[CSV008]" in line)
    assert line.startswith(f'data/exemplars.csv:{keys.index(bad) + 2}: error: key "{bad}"')
    assert reason in line


@pytest.mark.parametrize("key", ["ref-x2020", "figure2020", "fnord", "a:b-c"])
def test_keys_that_only_look_alike_are_fine(small_project, capsys, key):
    rows = [row(key=key)]
    write_csv(small_project / "data" / "exemplars.csv", EXEMPLAR_COLUMNS, rows)
    write_bib(small_project, rows)
    main(["check", "--root", str(small_project)])
    assert "CSV008" not in capsys.readouterr().out
