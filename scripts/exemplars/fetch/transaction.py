"""Write several files all or nothing: a crash between two of them undoes the first on restart.

A rename is atomic for one file, not for three. So, before any target is touched, each new
text is written beside its target (`.<name>.new`) and each target is copied beside itself
(`.<name>.backup`), all flushed to disk; then a journal naming the targets is written, and only
then are the new texts renamed over the targets, one by one. The journal is removed once the
last rename is done: that is the moment the change is made. After it, the backups are removed.

- An exception (Ctrl-C included) during the renames puts every backup back before it goes on.
- A process killed during the renames leaves the journal behind; `recover` (run first by every
  `exemplars add`) puts the backups back, so the targets are as they were before that run.
- Leftovers of a run killed before its journal was written or after it was removed are only
  spare copies; `recover` deletes them.

Two runs at once would each compose their texts from the files as they found them, and the one
that wrote last would drop the other's row. So a run holds a lock (`one_run_at_a_time`) from
before it reads the files until after it has written them.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from exemplars.textio import write_text_atomically
from filelock import FileLock, Timeout

JOURNAL = ".exemplars-add.journal"
# Beside the caches, which the project does not keep under version control either: the lock file
# stays when released (filelock removes none, so that two runs never lock two different files).
LOCK = ".cache/exemplars-add.lock"


class Busy(Exception):
    """Another process holds the lock."""

    def __init__(self, lock: Path) -> None:
        super().__init__(f"{lock} is held by another process")
        self.lock = lock


@contextmanager
def one_run_at_a_time(root: Path, create: bool = True) -> Iterator[None]:
    """Hold the project's lock for the block; Busy at once when another process holds it.

    Refused rather than waited for: a run may wait minutes on the services or on its author
    typing a note, and a second run that waited as long would look hung. The operating system
    drops the lock of a process that dies, so a killed run never leaves it held. With
    `create=False` (a dry run, which writes nothing) a missing lock file is not made: no run holds
    a lock that does not exist.
    """
    path = root / LOCK
    if not create and not path.exists():
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(path, timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise Busy(path) from None
    try:
        yield
    finally:
        lock.release()


def new_copy(target: Path) -> Path:
    return target.with_name(f".{target.name}.new")


def backup_of(target: Path) -> Path:
    return target.with_name(f".{target.name}.backup")


def write_all(root: Path, texts: dict[Path, str]) -> None:
    """Replace the text of each target (a file under `root`) by its new text, all or none."""
    journal = root / JOURNAL
    try:
        for target, text in texts.items():
            _write_durably(new_copy(target), text, target)
            if target.exists():
                shutil.copy2(target, backup_of(target))
                _flush(backup_of(target))
        entries = [{"target": t.relative_to(root).as_posix(), "existed": t.exists()} for t in texts]
        write_text_atomically(journal, json.dumps(entries, indent=1))
    except BaseException:
        _clean_up(list(texts))  # no target was touched yet
        raise
    try:
        for target in texts:
            _rename(new_copy(target), target)
    except BaseException:
        _roll_back(root, journal)
        raise
    journal.unlink()
    _clean_up(list(texts))


def recover(root: Path, targets: list[Path]) -> bool:
    """Undo a run that was killed while renaming; True when there was one to undo.

    Also deletes the spare copies a run may leave when killed outside its renames.
    """
    journal = root / JOURNAL
    undone = journal.exists()
    if undone:
        _roll_back(root, journal)
    _clean_up(targets)
    return undone


def pending(root: Path) -> list[Path] | None:
    """Without changing anything: None when no run was interrupted while renaming; else the
    targets that run left changed, which the next `recover` puts back."""
    journal = root / JOURNAL
    if not journal.exists():
        return None
    changed = []
    for entry in json.loads(journal.read_text(encoding="utf-8")):
        target = root / entry["target"]
        backup = backup_of(target)
        if backup.exists():
            differs = not target.exists() or target.read_bytes() != backup.read_bytes()
        else:
            differs = not entry["existed"] and target.exists()
        if differs:
            changed.append(target)
    return changed


def _rename(source: Path, target: Path) -> None:
    os.replace(source, target)


def _roll_back(root: Path, journal: Path) -> None:
    """Every target back as the journal found it; then the journal goes."""
    entries = json.loads(journal.read_text(encoding="utf-8"))
    for entry in entries:
        target = root / entry["target"]
        if backup_of(target).exists():
            os.replace(backup_of(target), target)
        elif not entry["existed"]:
            target.unlink(missing_ok=True)
        new_copy(target).unlink(missing_ok=True)
    journal.unlink()


def _clean_up(targets: list[Path]) -> None:
    for target in targets:
        new_copy(target).unlink(missing_ok=True)
        backup_of(target).unlink(missing_ok=True)


def _write_durably(path: Path, text: str, like: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as stream:
        stream.write(text)
        stream.flush()
        os.fsync(stream.fileno())
    if like.exists():
        shutil.copymode(like, path)


def _flush(path: Path) -> None:
    with path.open("rb") as stream:
        os.fsync(stream.fileno())
