"""Text files in and out: read as UTF-8 with the line of a bad byte named; written atomically, so
that a reader, a crash or a kill sees either the old text or the new."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from exemplars.findings import UnreadableInput, finding


def write_text_atomically(path: Path, text: str) -> None:
    """Write `text` to a temporary file beside `path`, flush it to disk, then rename it over."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, path.stat().st_mode & 0o777 if path.exists() else _new_file_mode())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _new_file_mode() -> int:
    """What open() would give a new file (mkstemp makes it private to the owner)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def read_text(path: Path) -> str:
    """The file's text; UnreadableInput names the line of the first byte that is not UTF-8."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UnreadableInput(finding(path, 1, "IO001", "file not found")) from None
    except OSError as exc:
        raise UnreadableInput(
            finding(path, 1, "IO001", f"cannot read file ({exc.strerror})")
        ) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        byte = data[exc.start : exc.start + 1].hex()
        raise UnreadableInput(
            finding(path, line, "IO002", f"not UTF-8 (byte 0x{byte}); save the file as UTF-8")
        ) from None
