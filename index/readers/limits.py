"""How large a report may be: checked before the expensive step, so that a small file that
inflates (a zip or PDF bomb) or a huge text is refused with a sentence, not parsed for hours.

A long UN report has a few hundred paragraphs and well under a million characters; the limits
leave room several times over.
"""

from __future__ import annotations

import zipfile

from workshop_qa.index.readers.base import ReaderError

MAX_INFLATED_BYTES = 32 * 2**20
MAX_ARCHIVE_MEMBERS = 2000
MAX_PAGES = 1000
MAX_CHARACTERS = 2_000_000
MAX_PASSAGES = 2000


def check_archive(members: list[zipfile.ZipInfo], source: str) -> None:
    """Refuse a Word file whose parts (``members``) would inflate beyond :data:`MAX_INFLATED_BYTES`.

    The sizes come from the archive's directory; reading never yields more than a member declares.
    """
    if len(members) > MAX_ARCHIVE_MEMBERS:
        raise ReaderError(f"{source} holds {len(members)} parts; a Word report has far fewer "
                          f"(at most {MAX_ARCHIVE_MEMBERS} are read).")
    inflated = sum(member.file_size for member in members)
    if inflated > MAX_INFLATED_BYTES:
        raise ReaderError(f"{source} unpacks to {inflated / 2**20:.0f} MB; a report may unpack to at "
                          f"most {MAX_INFLATED_BYTES // 2**20} MB. Is it a report?")


def check_pages(pages: int, source: str) -> None:
    """Refuse a PDF of more than :data:`MAX_PAGES` pages."""
    _at_most(pages, MAX_PAGES, f"{source} has {pages:,} pages; a report of at most {MAX_PAGES:,} pages "
             "can be indexed.")


def check_characters(characters: int, source: str) -> None:
    """Refuse a text of more than :data:`MAX_CHARACTERS` characters."""
    _at_most(characters, MAX_CHARACTERS, f"{source} holds {characters:,} characters of text; a report "
             f"of at most {MAX_CHARACTERS:,} can be indexed.")


def check_passages(passages: int, source: str) -> None:
    """Refuse a report of more than :data:`MAX_PASSAGES` paragraphs and items."""
    _at_most(passages, MAX_PASSAGES, f"{source} has {passages:,} numbered paragraphs and items; a "
             f"report of at most {MAX_PASSAGES:,} can be indexed.")


def _at_most(count: int, limit: int, refusal: str) -> None:
    if count > limit:
        raise ReaderError(refusal)
