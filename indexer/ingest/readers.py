"""One reader per input format, chosen by extension, each turning a file into digests."""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Iterator
from pathlib import Path

from indexer.ingest.dates import normalise_date
from indexer.ingest.digest import PARAGRAPH, Block, Digest, DigestError, Skipped, record_id, slugify
from indexer.ingest.html import parse_html
from indexer.ingest.mail import read_mail
from indexer.ingest.markdown import parse_markdown
from indexer.ingest.opendocument import read_odt
from indexer.ingest.outlook import read_msg
from indexer.ingest.pdf import read_image, read_pdf
from indexer.ingest.plaintext import plain_digest
from indexer.ingest.rtf import read_rtf
from indexer.ingest.text import clean, clean_line, decode, shortened
from indexer.ingest.word import read_docx

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 10 * 1024 * 1024  # a digest is a few hundred kB; uploads stop at 5 MB
MAX_EXPORT_BYTES = 500 * 1024 * 1024  # a JSON-lines export holds many digests...
MAX_RECORD_CHARS = MAX_FILE_BYTES  # ...each of them held to a digest's limit
MAX_MAIL_BYTES = 3 * MAX_FILE_BYTES  # a message with its attachments, each held to the limit
MAX_TITLE_CHARS = 300  # a title goes into every passage of its digest
_BLANK_LINE = re.compile(r"\n\s*\n")
_WEB_URL = re.compile(r"^https?://[^\s]+$", re.IGNORECASE)


class TextReader:
    """Plain text shaped like the seeds: title line, then blank-line blocks."""

    extensions = (".txt",)

    def read(self, path: Path, doc_id: str) -> Iterator[Digest]:
        yield plain_digest(clean(decode(_read_bytes(path))), doc_id)


class RtfReader:
    """Rich Text Format through striprtf (indexer/ingest/rtf.py)."""

    extensions = (".rtf",)

    def read(self, path: Path, doc_id: str) -> Iterator[Digest]:
        yield read_rtf(_read_bytes(path), doc_id)


class OdtReader:
    """OpenDocument text from LibreOffice and others (indexer/ingest/opendocument.py)."""

    extensions = (".odt",)

    def read(self, path: Path, doc_id: str) -> Iterator[Digest]:
        _check_size(path)
        yield read_odt(path, doc_id)


class HtmlReader:
    """HTML pages saved from the university site: main content only."""

    extensions = (".html", ".htm")

    def read(self, path: Path, doc_id: str) -> Iterator[Digest]:
        yield parse_html(decode(_read_bytes(path)), doc_id)


class MarkdownReader:
    """Markdown: headings from #, emphasis and link markup gone (indexer/ingest/markdown.py)."""

    extensions = (".md", ".markdown")

    def read(self, path: Path, doc_id: str) -> Iterator[Digest]:
        yield parse_markdown(clean(decode(_read_bytes(path)), layout=True), doc_id)


class WordReader:
    """Word documents: styles, tables and core properties (indexer/ingest/word.py)."""

    extensions = (".docx",)

    def read(self, path: Path, doc_id: str) -> Iterator[Digest]:
        _check_size(path)
        yield read_docx(path, doc_id)


class PdfReader:
    """PDFs with a text layer: paragraphs rebuilt, page debris dropped (indexer/ingest/pdf.py)."""

    extensions = (".pdf",)

    def read(self, path: Path, doc_id: str) -> Iterator[Digest]:
        _check_size(path)
        yield read_pdf(path, doc_id)


class ImageReader:
    """Scans and photographs of pages, read by OCR when Tesseract is installed (ocr.py)."""

    extensions = (".png", ".jpg", ".jpeg", ".tif", ".tiff")

    def read(self, path: Path, doc_id: str) -> Iterator[Digest]:
        _check_size(path)
        yield read_image(path, doc_id)


class MailReader:
    """E-mails: the message and each attachment we can read (indexer/ingest/mail.py)."""

    extensions = (".eml",)

    def read(self, path: Path, doc_id: str) -> Iterator[Digest | Skipped]:
        yield from read_mail(_read_bytes(path, MAX_MAIL_BYTES), doc_id, _read_attachment)


class MsgReader:
    """Outlook messages (indexer/ingest/outlook.py), read as e-mails are."""

    extensions = (".msg",)

    def read(self, path: Path, doc_id: str) -> Iterator[Digest | Skipped]:
        _check_size(path, MAX_MAIL_BYTES)
        yield from read_msg(path, doc_id, _read_attachment)


def _read_attachment(path: Path, doc_id: str) -> Iterator[Digest | Skipped]:
    return _BY_EXTENSION[path.suffix.lower()].read(path, doc_id)


class JsonLinesReader:
    """JSON-lines exports: one digest per line; a bad line is skipped, the rest are read."""

    extensions = (".jsonl", ".jsonlines", ".ndjson")

    def read(self, path: Path, doc_id: str) -> Iterator[Digest | Skipped]:
        text = decode(_read_bytes(path, MAX_EXPORT_BYTES))
        for number, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            try:
                yield self.parse_record(line)
            except DigestError as exc:
                yield Skipped.because("", "read_at_line", n=number, why=exc.said)

    @staticmethod
    def parse_record(line: str) -> Digest:
        """One line of an export as a digest; DigestError says what is wrong with it."""
        if len(line) > MAX_RECORD_CHARS:
            raise DigestError("read_record_long", m=MAX_RECORD_CHARS // (1024 * 1024))
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DigestError("read_bad_json", reason=exc.msg) from exc
        except RecursionError as exc:
            raise DigestError("read_json_deep") from exc
        if not isinstance(record, dict):
            raise DigestError("read_not_object")
        raw_id = record.get("id", record.get("_id"))
        if raw_id is None or str(raw_id).strip() == "":
            raise DigestError("read_no_id")
        body = record.get("text", record.get("content"))
        if not isinstance(body, str) or not body.strip():
            raise DigestError("read_no_text")
        title = record.get("title")
        blocks = [Block(PARAGRAPH, text) for text in _paragraphs(clean(body))]
        return Digest(
            doc_id=record_id(raw_id),
            title=clean_line(title) if isinstance(title, str) and title.strip() else "",
            blocks=blocks,
            date=normalise_date(record.get("date")),
            url=_string_or_none(record.get("url")),
            language=_string_or_none(record.get("lang")),
        )


READERS = (TextReader(), MarkdownReader(), HtmlReader(), WordReader(), OdtReader(), RtfReader(),
           PdfReader(), ImageReader(), MailReader(), MsgReader(), JsonLinesReader())  # fmt: skip
_BY_EXTENSION = {ext: reader for reader in READERS for ext in reader.extensions}
SUPPORTED = tuple(sorted(_BY_EXTENSION))


def is_supported(path: Path) -> bool:
    """True when a reader exists for this file and it is not hidden."""
    return path.suffix.lower() in _BY_EXTENSION and not path.name.startswith(".")


def read(path: Path, root: Path, doc_id: str | None = None) -> list[Digest | Skipped]:
    """Read one corpus file into digests; a file that cannot be read becomes one Skipped."""
    source = source_name(path, root)
    reader = _BY_EXTENSION.get(path.suffix.lower())
    if not _is_utf8(path.relative_to(root)):
        return [Skipped.because(source, "read_bad_file_name")]
    if reader is None:
        return [Skipped.because(source, "read_unsupported", suffix=path.suffix or "(none)")]
    try:
        results = list(reader.read(path, doc_id or slugify(path.stem)))
    except DigestError as exc:
        return [Skipped(source, str(exc), exc.said)]
    except MemoryError:  # under the sandbox's limit (sandbox.py): a bomb, or far too large
        log.warning("%s: out of memory while reading", source)
        return [Skipped.because(source, "read_memory")]
    except Exception as exc:  # a format's library may fail its own way on a broken file
        log.warning("cannot read %s", source, exc_info=True)
        return [
            Skipped.because(source, "read_crashed", kind=exc.__class__.__name__, reason=str(exc))
        ]
    return [
        _finish(result, source)
        if isinstance(result, Digest)
        else Skipped(source, result.reason, result.said)
        for result in results
    ]


def source_name(path: Path, root: Path) -> str:
    """A file's name relative to the corpus, printable even when its bytes are not UTF-8."""
    return os.fsencode(path.relative_to(root).as_posix()).decode("utf-8", "replace")


def _is_utf8(path: Path) -> bool:
    """False for names holding bytes that are not UTF-8 (Python keeps them as surrogates)."""
    return not any("\udc80" <= c <= "\udcff" for c in str(path))


def _finish(digest: Digest, source: str) -> Digest | Skipped:
    """Fill what every digest needs, whatever its format; one with no text is skipped."""
    digest.source = source
    if digest.url and not _WEB_URL.match(digest.url):  # never a javascript: or data: link
        log.info("%s: ignoring the non-web URL %r", source, digest.url[:80])
        digest.url = None
    if not any(block.text.strip() for block in digest.blocks):
        if not digest.title.strip():
            return Skipped.because(source, "read_id_no_text", doc_id=digest.doc_id)
        digest.blocks = [Block(PARAGRAPH, digest.title)]  # one line, or a heading alone
    if not digest.title:
        digest.title = " ".join(digest.blocks[0].text.split()[:12])
    if len(digest.title) > MAX_TITLE_CHARS:  # it is part of every passage: kept short, and
        digest.blocks.insert(0, Block(PARAGRAPH, digest.title))  # whole as the first passage
        digest.title = shortened(digest.title, MAX_TITLE_CHARS)
    return digest


def _read_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    _check_size(path, limit)
    return path.read_bytes()


def _check_size(path: Path, limit: int = MAX_FILE_BYTES) -> None:
    if path.stat().st_size > limit:
        raise DigestError("read_too_large", mb=limit // (1024 * 1024))


def _paragraphs(text: str) -> list[str]:
    """Blank lines separate paragraphs; single line breaks inside one are spaces."""
    return [" ".join(p.split()) for p in _BLANK_LINE.split(text) if p.strip()]


def _string_or_none(value: object) -> str | None:
    return clean_line(value) or None if isinstance(value, str) else None
