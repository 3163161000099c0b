"""The `exemplars` command: parse arguments, call the library, print, pick the exit code."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from exemplars.findings import UnreadableInput, as_json, as_text, exit_code, sort_findings

EXIT_USAGE = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="exemplars",
        description="Keep the reading list, its bibliography, its post and its links honest.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser(
        "check",
        help="offline checks of the list, venues, bibliography, citations and internal links",
        description="Run every offline check. Exit 0 clean, 1 problems found, 2 bad usage or "
        "unreadable input. Never modifies a file.",
    )
    check.add_argument("--root", type=Path, default=Path("."), help="project folder (default: .)")
    check.add_argument("--json", action="store_true", help="print a JSON report on stdout")
    check.add_argument("--strict", action="store_true", help="treat warnings as failures")
    check.set_defaults(run=run_check)
    _add_fetch_bib(commands)

    links = commands.add_parser(
        "links",
        help="check the links of the posts, the list and the bibliography (cached)",
        description="Collect the links of the given files (default: pages, posts, list and "
        "bibliography) and check them. Settings: links.toml and .linksignore at the project root. "
        "Exit 0 nothing broken, 1 broken or timed-out links, 2 bad usage or unreadable input.",
    )
    links.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="a .qmd, .md, .csv or .bib file, or a folder of them (default: the project's)",
    )
    links.add_argument("--root", type=Path, default=Path("."), help="project folder (default: .)")
    links.add_argument(
        "--offline", action="store_true", help="no requests: syntax, internal links and cache"
    )
    links.add_argument("--json", action="store_true", help="print a JSON report on stdout")
    links.set_defaults(run=run_links)
    return parser


def _add_fetch_bib(commands) -> None:
    fetch = commands.add_parser(
        "fetch-bib",
        help="fetch, verify and merge BibTeX entries for rows that lack one",
        description="For each row without an entry in references.bib (or each KEY given), ask "
        "Crossref, doi.org, arXiv and DBLP for the work's record, accept it only when its "
        "title, an author and the year match the row, and append the entry it builds, marked "
        "x-fetched. Entries marked x-curated are never replaced. Answers are cached under "
        ".cache/fetch-bib, so a rerun sends no request again. The contact address for the "
        "services, their URLs and request rates live in pyproject.toml, [tool.exemplars]. "
        "Exit 0 done, 1 some rows unresolved, 2 bad usage or unreadable input.",
    )
    fetch.add_argument(
        "keys", nargs="*", metavar="KEY", help="rows to fetch (default: rows without an entry)"
    )
    fetch.add_argument("--root", type=Path, default=Path("."), help="project folder (default: .)")
    fetch.add_argument("--offline", action="store_true", help="answer from the cache only")
    fetch.add_argument(
        "--dry-run", action="store_true", help="print the entries instead of writing them"
    )
    fetch.add_argument(
        "--refresh",
        action="store_true",
        help="also rebuild entries marked x-fetched, asking the services again",
    )
    fetch.set_defaults(run=run_fetch_bib)


def run_check(args: argparse.Namespace) -> int:
    from exemplars.check import check_project

    root: Path = args.root
    if not root.is_dir():
        print(f"exemplars check: {root}: no such folder", file=sys.stderr)
        return EXIT_USAGE
    checked = "exemplars check"
    try:
        report = check_project(root)
    except UnreadableInput as exc:
        _print_report([exc.finding], checked, args.json)
        return EXIT_USAGE
    _print_report(report.findings, checked, args.json, report.note)
    return exit_code(report.findings, strict=args.strict)


def run_fetch_bib(args: argparse.Namespace) -> int:
    from exemplars.fetch.fetch_bib import FetchOptions, UnknownKeys, UnusableBibliography, fetch_bib
    from exemplars.http import MissingContact
    from exemplars.project import Project

    command = "exemplars fetch-bib"
    if not args.root.is_dir():
        print(f"{command}: {args.root}: no such folder", file=sys.stderr)
        return EXIT_USAGE
    options = FetchOptions(tuple(args.keys), args.offline, args.dry_run, args.refresh)
    try:
        report = fetch_bib(Project(args.root), options, notify=_progress)
    except UnreadableInput as exc:
        _print_report([exc.finding], command, False)
        return EXIT_USAGE
    except UnusableBibliography as exc:
        _print_report(exc.findings, command, False)
        print(f"{command}: fix references.bib first; nothing was written", file=sys.stderr)
        return EXIT_USAGE
    except (UnknownKeys, MissingContact) as exc:
        print(f"{command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        _progress(f"{command}: interrupted; references.bib keeps every entry saved so far")
        return 130
    if args.dry_run:
        print("\n".join(report.entries.values()))
    done = "built" if args.dry_run else "saved"
    count = len(report.entries)
    _progress(
        f"{count} {'entry' if count == 1 else 'entries'} {done}, {report.requests} requests sent"
    )
    _print_report(findings := sort_findings(report.findings), command, False)
    return exit_code(findings)


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run_links(args: argparse.Namespace) -> int:
    from exemplars.links import UsageError, check_links
    from exemplars.links.report import TerminalProgress, as_json, as_text, exit_code

    if not args.root.is_dir():
        print(f"exemplars links: {args.root}: no such folder", file=sys.stderr)
        return EXIT_USAGE
    progress = TerminalProgress()
    try:
        report = check_links(args.root, args.paths, offline=args.offline, progress=progress)
    except UsageError as exc:
        print(f"exemplars links: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except UnreadableInput as exc:
        _print_report([exc.finding], "exemplars links", args.json)
        return EXIT_USAGE
    finally:
        progress.close()
    print(as_json(report) if args.json else as_text(report))
    return exit_code(report)


def _print_report(findings, checked: str, as_json_document: bool, note: str = "") -> None:
    if as_json_document:
        print(as_json(findings, checked, {"note": note} if note else None))
    else:
        print(as_text(findings, checked, note))


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad usage, 0 on --help
        return int(exc.code or 0)
    try:
        return args.run(args)
    except BrokenPipeError:
        # The reader went away (`exemplars check | head`): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
