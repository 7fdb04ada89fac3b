"""Limits that keep a small hostile upload from sinking the server, checked before a file is
opened and while it is read: one place, so the workbook and Word readers refuse alike.

An .xlsx or .docx is a zip of XML parts. The 5 MB upload limit is on the compressed file,
and a megabyte of repeated characters inflates to a gigabyte, so the parts' uncompressed
sizes are checked from the zip's directory before anything is inflated (Python's zipfile
never inflates a part past the size its directory declares: a part that lies fails its
checksum instead). A part that declares a DOCTYPE is refused too: Office never writes one,
and it is how entity-expansion ("billion laughs") and external-entity attacks start; the XML
parsers are also the defused ones (defusedxml for the workbook reader; python-docx's lxml
parser does not resolve entities) in case a DOCTYPE hides past the first bytes.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

__all__ = [
    "MAX_PARTS",
    "MAX_UNCOMPRESSED_BYTES",
    "check_zip",
    "megabytes",
]

# A council tracker of 10,000 rows is about 5 MB of XML once inflated; a long report's
# document.xml a few MB. Fifty is ample and keeps the parsed file well under 500 MB.
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
# Office files hold tens of parts; thousands are a workbook of thousands of sheets or junk.
MAX_PARTS = 1_000
_PROLOG_BYTES = 4096


def megabytes(size: int) -> str:
    return (
        f"{size / (1024 * 1024):,.0f} MB"
        if size >= 10 * 1024 * 1024
        else (f"{size / (1024 * 1024):.1f} MB")
    )


def check_zip(
    data: bytes, name: str, refuse: Callable[[str], Exception], what: str, fix: str
) -> None:
    """Raise `refuse(message)` when the zip `data` would inflate past the limits or one of its
    XML parts declares a DOCTYPE (entities). `what` is "workbook" or "Word document" and `fix`
    what to do, for the message. A zip that cannot be read at all is left to the reader,
    which says so in its own words."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    with archive:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS:
            raise refuse(
                f"{name} holds {len(parts):,} parts, more than the {MAX_PARTS:,} a {what} may "
                f"have (the limit keeps the server safe): {fix}"
            )
        total = sum(part.file_size for part in parts)
        if total > MAX_UNCOMPRESSED_BYTES:
            largest = max(parts, key=lambda part: part.file_size)
            raise refuse(
                f"{name} is {megabytes(len(data))} on disk but {megabytes(total)} once opened "
                f"(its part {largest.filename} alone is {megabytes(largest.file_size)}), more "
                f"than the {megabytes(MAX_UNCOMPRESSED_BYTES)} limit for an opened {what}: "
                f"{fix}"
            )
        for part in parts:
            if not part.filename.endswith((".xml", ".rels")):
                continue
            try:
                with archive.open(part) as stream:
                    prolog = stream.read(_PROLOG_BYTES)
            except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
                return  # damaged: the reader refuses it in its own words
            if b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog:
                raise refuse(
                    f"{name} declares XML entities (a DOCTYPE in its part {part.filename}), "
                    f"which Office never writes and which can be used to attack a server, so "
                    f"it is refused: {fix}"
                )
