"""What a report file may inflate to, and the child process that reads uploads: a file that
would take too much time or memory is refused with a sentence and costs the caller nothing."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from docx import Document as new_docx

from workshop_qa.app.isolated import IsolatedError, run_isolated
from workshop_qa.index.readers import ReaderError, read_document
from workshop_qa.index.readers.limits import MAX_CHARACTERS, MAX_INFLATED_BYTES


def inflating_docx(inflated_bytes: int) -> bytes:
    """A valid .docx whose document part unpacks to about ``inflated_bytes``."""
    plain = io.BytesIO()
    new_docx().save(plain)
    source = zipfile.ZipFile(plain)
    xml = source.read("word/document.xml").decode()
    paragraph = "<w:p><w:r><w:t>1. The same paragraph again.</w:t></w:r></w:p>"
    body = paragraph * (inflated_bytes // len(paragraph))
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for member in source.infolist():
            data = source.read(member.filename)
            if member.filename == "word/document.xml":
                data = xml.replace("<w:body>", "<w:body>" + body, 1).encode()
            out.writestr(member, data, compress_type=zipfile.ZIP_DEFLATED)
    return bomb.getvalue()


def test_a_word_file_that_inflates_beyond_the_limit_is_refused_before_it_is_read():
    data = inflating_docx(MAX_INFLATED_BYTES + 2**20)
    assert len(data) < MAX_INFLATED_BYTES // 50
    started = time.perf_counter()
    with pytest.raises(ReaderError, match=r"bomb.docx unpacks to \d+ MB; a report may unpack to at most"):
        read_document(data, "bomb.docx")
    assert time.perf_counter() - started < 5


def test_a_text_longer_than_the_limit_is_refused():
    with pytest.raises(ReaderError, match=f"at most {MAX_CHARACTERS:,} can be indexed"):
        read_document(b"1. Text.\n\n" * (MAX_CHARACTERS // 10 + 1), "long.txt")


def test_a_child_returns_its_value_and_raises_its_error_again():
    assert run_isolated(len, "four", seconds=30) == 4
    with pytest.raises(ValueError, match="invalid literal"):
        run_isolated(int, "four", seconds=30)


def test_a_child_over_its_memory_limit_is_stopped_with_a_sentence():
    with pytest.raises(IsolatedError, match="more than 0.5 GB of memory"):
        run_isolated(bytearray, 2**30, seconds=30, memory_bytes=2**29)


def test_a_child_over_its_time_is_stopped_and_the_caller_goes_on():
    started = time.perf_counter()
    with pytest.raises(IsolatedError, match="longer than 1 s"):
        run_isolated(time.sleep, 60, seconds=1)
    assert time.perf_counter() - started < 10
