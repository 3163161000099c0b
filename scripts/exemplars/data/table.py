"""Read a CSV file into records that remember the line a person sees in an editor.

The standard library's csv module does the parsing; this module adds what a reader of a
hand-edited file needs: a UTF-8 BOM and CRLF endings accepted, the header checked against the
expected columns, ragged rows and stray whitespace reported with their line numbers.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from exemplars.findings import Finding, UnreadableInput, finding
from exemplars.textio import read_text


@dataclass(frozen=True)
class CsvRow:
    line: int
    values: dict[str, str]


@dataclass(frozen=True)
class CsvTable:
    path: Path
    records: list[CsvRow]
    findings: list[Finding]


def read_table(path: Path, columns: list[str]) -> CsvTable:
    """Records of a CSV file with a header row holding exactly `columns`."""
    text = read_text(path)
    if not text.strip():
        raise UnreadableInput(
            finding(path, 1, "IO003", f"file is empty; expected a header row: {','.join(columns)}")
        )
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    findings: list[Finding] = []
    start = 1  # the line the record being read starts on: where an unclosed quote opened
    try:
        header = next(reader)
        findings += _check_header(path, header, columns)
        header = [h.strip() for h in header]
        if any(f.code == "CSV001" for f in findings):
            return CsvTable(path, [], findings)  # rows cannot be read without their columns
        records: list[CsvRow] = []
        start = reader.line_num + 1
        for row in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                findings.append(
                    finding(
                        path,
                        line,
                        "CSV003",
                        f"row has {len(row)} fields, the header has {len(header)}",
                    )
                )
                continue
            values = dict(zip(header, row, strict=True))
            findings += _stray_whitespace(path, line, values)
            records.append(CsvRow(line, {k: v.strip() for k, v in values.items()}))
    except csv.Error as exc:
        raise UnreadableInput(finding(path, start, "IO004", f"malformed CSV ({exc})")) from None
    return CsvTable(path, records, findings)


def _check_header(path: Path, header: list[str], columns: list[str]) -> list[Finding]:
    found = [h.strip() for h in header]
    findings = [
        finding(path, 1, "CSV006", f'column name "{h}" has leading or trailing whitespace')
        for h in header
        if h != h.strip()
    ]
    findings += [
        finding(path, 1, "CSV001", f'missing column "{c}"') for c in columns if c not in found
    ]
    findings += [
        finding(path, 1, "CSV002", f'unexpected column "{h}"') for h in found if h not in columns
    ]
    findings += [
        finding(path, 1, "CSV002", f'column "{h}" appears more than once')
        for h in sorted({h for h in found if found.count(h) > 1})
    ]
    return findings


def _stray_whitespace(path: Path, line: int, values: dict[str, str]) -> list[Finding]:
    return [
        finding(path, line, "CSV006", f'{column} "{value}" has leading or trailing whitespace')
        for column, value in values.items()
        if value != value.strip()
    ]
