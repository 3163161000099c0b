"""The `exemplars` command: parse arguments, call the library, print, pick the exit code."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from exemplars.data.fields import KINDS
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
    _add_common_options(check)
    check.add_argument("--strict", action="store_true", help="treat warnings as failures")
    check.set_defaults(run=run_check)
    _add_fetch_bib(commands)
    _add_add(commands)

    links = commands.add_parser(
        "links",
        help="check the links of the posts, the list and the bibliography (cached)",
        description="Collect the links of the given files (default: pages, posts, list and "
        "bibliography) and check them. Settings: [tool.exemplars.links] in pyproject.toml and "
        ".linksignore at the project root. "
        "Exit 0 nothing broken, 1 broken or timed-out links, 2 bad usage or unreadable input.",
    )
    links.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="a .qmd, .md, .csv or .bib file, or a folder of them (default: the project's)",
    )
    links.add_argument(
        "--offline", action="store_true", help="no requests: syntax, internal links and cache"
    )
    _add_common_options(links)
    links.set_defaults(run=run_links)
    _add_check_site(commands)
    _add_export(commands)
    _add_preview(commands)
    return parser


def _add_common_options(command: argparse.ArgumentParser, json: bool = True) -> None:
    """What every command takes: the project folder, and (where it reports) --json."""
    command.add_argument("--root", type=Path, default=Path("."), help="project folder (default: .)")
    if json:
        command.add_argument("--json", action="store_true", help="print a JSON report on stdout")


def _add_check_site(commands) -> None:
    site = commands.add_parser(
        "check-site",
        help="check the built site: its HTML, and its accessibility in a real browser",
        description="Check the site Quarto built: images without alt, Markdown or Quarto syntax "
        "shown as text, links and anchors between pages, the list's post (each key cited once "
        "with one reference entry, figures with caption and alt), page weight, files no page "
        "links to; then audit every page with axe-core in the machine's Chromium (or "
        "EXEMPLARS_CHROMIUM), in the light and the dark theme. Settings: [tool.exemplars."
        "check-site] in pyproject.toml. Exit 0 clean, 1 problems found, 2 bad usage, "
        "unreadable input or no browser.",
    )
    site.add_argument(
        "folder",
        nargs="?",
        type=Path,
        metavar="DIR",
        help="the built site (default: $QUARTO_PROJECT_OUTPUT_DIR in a render, else ROOT/_site)",
    )
    site.add_argument(
        "--no-browser", action="store_true", help="static checks only, no accessibility audit"
    )
    _add_common_options(site)
    site.set_defaults(run=run_check_site)


def _add_export(commands) -> None:
    export = commands.add_parser(
        "export",
        help="write what readers take away into the built site: CSL-JSON, RIS, feed, BibTeX",
        description="Write into the site Quarto built, from the list and references.bib: the "
        "whole list as CSL-JSON (references.json) and RIS (references.ris) beside "
        "references.bib, and beside the list's post an Atom feed of additions (additions.xml) "
        "and one BibTeX file per exemplar (bib/KEY.bib). Each file is replaced atomically; "
        "bad input writes nothing. Exit 0 written, 2 bad usage, unreadable input or a site "
        "that cannot be written.",
    )
    export.add_argument(
        "folder",
        nargs="?",
        type=Path,
        metavar="DIR",
        help="the built site (default: $QUARTO_PROJECT_OUTPUT_DIR in a render, else ROOT/_site)",
    )
    _add_common_options(export, json=False)
    export.set_defaults(run=run_export)


def _add_preview(commands) -> None:
    preview = commands.add_parser(
        "preview",
        help="serve the site while you write; each clean save re-rendered and the page reloaded",
        description="Serve the built site on 127.0.0.1 and follow the saves of the list, the "
        "venues, references.bib and the pages. Each save is checked as `exemplars check` does; "
        "a save with errors is not rendered (its findings are printed and shown over the page, "
        "which keeps its last good render), a clean one is rendered with Quarto (the list's "
        "post for a data file) and the open page reloads. Quarto is EXEMPLARS_QUARTO or "
        "`quarto` on PATH. Ctrl-C stops it and everything it started. "
        "Exit 0 stopped, 2 no Quarto or the port is taken.",
    )
    preview.add_argument("--port", type=int, default=0, help="port to serve on (default: free one)")
    preview.add_argument("--no-browser", action="store_true", help="do not open a browser")
    _add_common_options(preview, json=False)
    preview.set_defaults(run=run_preview)


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
    _add_common_options(fetch, json=False)
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


def _add_add(commands) -> None:
    add = commands.add_parser(
        "add",
        help="add one exemplar from a DOI, an arXiv id, a URL or a pasted BibTeX entry",
        description="Find the work through Crossref, doi.org, arXiv and DBLP, verify it as "
        "fetch-bib does (a published version preferred to a preprint), and add its row to "
        "data/exemplars.csv after the last row of its section, its venue to data/venues.csv "
        "when new, and its entry to references.bib: all three files or none. Refused (exit 1, "
        "nothing written) when the work is already on the list or no record can be verified. "
        "Exit 0 added, 1 refused, 2 bad usage or unreadable input.",
        epilog="identifiers: a DOI (10.1086/700070, doi:..., https://doi.org/...), a "
        "publisher's URL with a DOI in it, an arXiv id (2005.07180, 2005.07180v3, "
        "hep-th/9901001) or an arxiv.org abs/pdf URL.",
    )
    source = add.add_mutually_exclusive_group(required=True)
    source.add_argument("identifier", nargs="?", metavar="IDENTIFIER", help="DOI, arXiv id or URL")
    source.add_argument(
        "--bibtex", metavar="FILE", help="a pasted BibTeX entry in FILE (`-`: standard input)"
    )
    add.add_argument("--section", required=True, help="the post's section, as in the list")
    add.add_argument("--subsection", default="", help="the section's subsection, if it has any")
    add.add_argument("--note", default="", help="one to three sentences in your own words")
    add.add_argument("--key", default="", help="the citation key (default: surname+year+word)")
    add.add_argument("--kind", default="", choices=KINDS, help="default: from the record")
    add.add_argument(
        "--date", type=_iso_date, default=None, help="the `added` date, YYYY-MM-DD (default: today)"
    )
    _add_common_options(add, json=False)
    add.add_argument("--offline", action="store_true", help="answer from the cache only")
    add.add_argument(
        "--dry-run", action="store_true", help="print the row and the entry, write nothing"
    )
    add.set_defaults(run=run_add)


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def run_check(args: argparse.Namespace) -> int:
    from exemplars.check import check_project

    root: Path = args.root
    checked = "exemplars check"
    try:
        report = check_project(root)
    except UnreadableInput as exc:
        _print_report([exc.finding], checked, root, args.json)
        return EXIT_USAGE
    _print_report(report.findings, checked, root, args.json, report.note)
    return exit_code(report.findings, strict=args.strict)


def run_preview(args: argparse.Namespace) -> int:
    from exemplars.check import check_project
    from exemplars.post.list_html import PostSections
    from exemplars.preview import PreviewOptions, preview
    from exemplars.preview.renderer import Renderer
    from exemplars.quarto.executable import INSTALL_HINT

    renderer = Renderer.find(args.root.resolve())
    if renderer is None:
        print(f"exemplars preview: no Quarto to render with; {INSTALL_HINT}", file=sys.stderr)
        return EXIT_USAGE
    options = PreviewOptions(args.port, not args.no_browser)
    # The checks are the check command's and the list's HTML the post's: the CLI hands them to
    # the preview, a sibling command.
    return preview(
        args.root.resolve(),
        options,
        lambda root: check_project(root).findings,
        renderer,
        lambda line: print(line, flush=True),
        lambda root, page: PostSections.for_post(root, page).groups_html(),
    )


def run_fetch_bib(args: argparse.Namespace) -> int:
    from exemplars.fetch.fetch_bib import FetchOptions, UnknownKeys, UnusableBibliography, fetch_bib
    from exemplars.http import MissingContact
    from exemplars.project import Project

    command = "exemplars fetch-bib"
    options = FetchOptions(tuple(args.keys), args.offline, args.dry_run, args.refresh)
    try:
        report = fetch_bib(Project(args.root), options, notify=_progress)
    except UnreadableInput as exc:
        _print_report([exc.finding], command, args.root, False)
        return EXIT_USAGE
    except UnusableBibliography as exc:
        _print_report(exc.findings, command, args.root, False)
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
    findings = sort_findings(report.findings, args.root)
    _print_report(findings, command, args.root, False)
    return exit_code(findings)


def run_add(args: argparse.Namespace) -> int:
    from exemplars.fetch.add import AddOptions, AddUsageError, Refused, add_exemplar
    from exemplars.fetch.fetch_bib import UnusableBibliography
    from exemplars.fetch.identifiers import UnknownIdentifier, parse_identifier
    from exemplars.fetch.keys import InvalidKey
    from exemplars.fetch.pasted import UnusableEntry, read_pasted
    from exemplars.http import MissingContact
    from exemplars.project import Project

    command = "exemplars add"
    options = AddOptions(
        args.section,
        args.subsection,
        args.note,
        args.key,
        args.kind,
        args.date,
        args.dry_run,
        args.offline,
    )
    try:
        if args.bibtex is not None:
            source = read_pasted(*_pasted_text(args.bibtex))
        else:
            source = parse_identifier(args.identifier)
        ask = _ask_note if sys.stdin.isatty() and args.bibtex != "-" else None
        addition = add_exemplar(Project(args.root), source, options, ask, notify=_progress)
    except UnreadableInput as exc:
        _print_report([exc.finding], command, args.root, False)
        return EXIT_USAGE
    except UnusableBibliography as exc:
        _print_report(exc.findings, command, args.root, False)
        print(f"{command}: fix references.bib first; nothing was written", file=sys.stderr)
        return EXIT_USAGE
    except (UnknownIdentifier, InvalidKey, UnusableEntry, AddUsageError, MissingContact) as exc:
        print(f"{command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Refused as exc:
        _print_report([exc.finding], command, args.root, False)
        return 1
    except KeyboardInterrupt:
        _progress(f"{command}: interrupted; nothing was written")
        return 130
    print(addition.row_text, end="")
    if addition.venue is not None:
        venue = addition.venue
        print(f"venue: {venue.venue},{venue.label},{venue.type}")
    print(addition.entry)
    done = "would add" if args.dry_run else "added"
    _progress(f"{done} {addition.row.key} ({addition.requests} requests sent)")
    findings = sort_findings(addition.findings, args.root)
    _print_report(findings, command, args.root, False)
    return exit_code(findings)


def _pasted_text(name: str) -> tuple[str, Path]:
    """The pasted entry's text and the path findings name it by."""
    if name == "-":
        return sys.stdin.read(), Path("<stdin>")
    from exemplars.data.table import read_text

    return read_text(Path(name)), Path(name)


def _ask_note(title: str) -> str:
    # The question goes to stderr, like the progress, so stdout holds only the row and entry.
    print(f'Note for "{title}" (one to three sentences in your own words):', file=sys.stderr)
    print("> ", end="", file=sys.stderr, flush=True)
    return input()


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run_links(args: argparse.Namespace) -> int:
    from exemplars.links import UsageError, check_links
    from exemplars.links.report import (
        CHECKED,
        TerminalProgress,
        link_findings,
        summarize,
        summary_line,
    )

    progress = TerminalProgress()
    try:
        report = check_links(args.root, args.paths, offline=args.offline, progress=progress)
    except UsageError as exc:
        print(f"{CHECKED}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except UnreadableInput as exc:
        _print_report([exc.finding], CHECKED, args.root, args.json)
        return EXIT_USAGE
    finally:
        progress.close()
    findings = link_findings(report, args.root)
    if args.json:
        print(as_json(findings, CHECKED, args.root, summarize(report)))
    else:
        print(as_text(findings, CHECKED, args.root))
        print(summary_line(report))
    return exit_code(findings)


def run_check_site(args: argparse.Namespace) -> int:
    from exemplars.config import load_settings
    from exemplars.project import Project
    from exemplars.site import check_site
    from exemplars.site.accessibility import MissingAuditTools
    from exemplars.site.chromium import INSTALL_HINT, chromium_path

    command = "exemplars check-site"
    project = Project(args.root)
    folder = _built_site(args, command)
    if folder is None:
        return EXIT_USAGE
    chromium = None if args.no_browser else chromium_path()
    if not args.no_browser and chromium is None:
        print(f"{command}: no Chromium for the audit; {INSTALL_HINT}", file=sys.stderr)
        return EXIT_USAGE
    try:
        settings = load_settings(args.root).check_site
        findings = check_site(folder, project, settings, chromium)
    except UnreadableInput as exc:
        _print_report([exc.finding], command, args.root, args.json)
        return EXIT_USAGE
    except MissingAuditTools as exc:
        print(f"{command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    _print_report(findings, command, args.root, args.json)
    return exit_code(findings)


def _built_site(args: argparse.Namespace, command: str) -> Path | None:
    """DIR, or where Quarto wrote the site: it tells its post-render steps; None, said on
    stderr, when there is no such folder.
    https://quarto.org/docs/projects/scripts.html#pre-and-post-render"""
    built = os.environ.get("QUARTO_PROJECT_OUTPUT_DIR")
    folder = args.folder or (Path(built) if built else args.root / "_site")
    if not folder.is_dir():
        print(f"{command}: {folder}: no such folder; render the site first", file=sys.stderr)
        return None
    return folder


def run_export(args: argparse.Namespace) -> int:
    from exemplars.config import load_settings
    from exemplars.data.csl import CslUnavailable
    from exemplars.export import ExportRefused, export_site
    from exemplars.project import Project

    command = "exemplars export"
    project = Project(args.root)
    folder = _built_site(args, command)
    if folder is None:
        return EXIT_USAGE
    if not project.has_reading_list:
        print(f"{command}: no reading list in {args.root}; nothing to export")
        return 0
    try:
        post = load_settings(args.root).check_site.post
        exported = export_site(folder, project, post)
    except UnreadableInput as exc:
        _print_report([exc.finding], command, args.root, False)
        return EXIT_USAGE
    except ExportRefused as exc:
        if exc.findings:
            _print_report(exc.findings, command, args.root, False)
        print(f"{command}: {exc}; nothing was written", file=sys.stderr)
        return EXIT_USAGE
    except CslUnavailable as exc:
        print(f"{command}: {exc}; nothing was written", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:  # a full disk, a read-only site: each file is whole, old or new
        print(f"{command}: cannot write {exc.filename or folder}: {exc.strerror}", file=sys.stderr)
        return EXIT_USAGE
    paths, removed = exported.paths, len(exported.removed)
    stale = f"; {removed} BibTeX {'file' if removed == 1 else 'files'} of past exemplars removed"
    print(
        f"{command}: {exported.count} exemplars written to {folder}: {paths.csl_json}, "
        f"{paths.ris}, {paths.feed} and {paths.bib_folder}/" + (stale if removed else "")
    )
    return 0


def _print_report(
    findings, checked: str, root: Path, as_json_document: bool, note: str = ""
) -> None:
    """The findings as text or JSON, their paths relative to the project `root`."""
    if as_json_document:
        print(as_json(findings, checked, root, {"note": note} if note else None))
    else:
        print(as_text(findings, checked, root, note))


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad usage, 0 on --help
        return int(exc.code or 0)
    if not args.root.is_dir():  # every command works on a project folder
        print(f"exemplars {args.command}: {args.root}: no such folder", file=sys.stderr)
        return EXIT_USAGE
    try:
        return args.run(args)
    except BrokenPipeError:
        # The reader went away (`exemplars check | head`): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
