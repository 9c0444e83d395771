"""Outlook messages (.msg) through extract-msg: read as an e-mail is (indexer/ingest/mail.py).

The subject is the title, the sent date the date, the plain body (which Outlook keeps beside
every HTML one, the links' addresses written out) else the HTML one; each attachment in a
format we read is a digest of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from indexer.ingest.digest import Digest, DigestError, Skipped, slugify
from indexer.ingest.html import parse_html
from indexer.ingest.mail import ATTACHED, attachment, check_attachments
from indexer.ingest.plaintext import parse_body
from indexer.ingest.text import clean, clean_line, decode_labelled


def read_msg(path: Path, doc_id: str, read_file: Callable) -> Iterator[Digest | Skipped]:
    """The message's digest, then its attachments'."""
    import extract_msg  # loaded when an Outlook message is first met

    try:
        message = extract_msg.openMsg(str(path), delayAttachments=False)
    except Exception as exc:  # extract-msg raises its own errors for files that are not .msg
        raise DigestError("read_not_msg", reason=exc.__class__.__name__) from exc
    try:
        files = [a for a in message.attachments if _name(a)]
        check_attachments(len(files))
        date = message.date.date().isoformat() if getattr(message, "date", None) else None
        blocks = _blocks(message, doc_id)
        if blocks:
            yield Digest(doc_id, clean_line(message.subject or ""), blocks, date=date)
        elif not files:
            yield Skipped.because("", "read_msg_no_text")
        for found in files:
            name = _name(found)
            child = f"{doc_id}--{slugify(Path(name).stem)}"
            yield from attachment(found.data or b"", name, child, date, read_file)
    finally:
        message.close()


def _blocks(message, doc_id: str) -> list:
    plain = parse_body(clean(message.body or ""))
    if plain or not message.htmlBody:
        return plain
    try:
        return parse_html(decode_labelled(message.htmlBody, "utf-8"), doc_id).blocks
    except DigestError:
        return []


def _name(found) -> str | None:
    name = getattr(found, "longFilename", None) or getattr(found, "shortFilename", None)
    data = getattr(found, "data", None)
    usable = name and isinstance(data, bytes) and Path(name).suffix.lower() in ATTACHED
    return name if usable else None
