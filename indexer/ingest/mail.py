"""E-mails (.eml) with Python's email package: the message is a digest, and so is each
attachment in a format we read.

The subject is the title, the Date: header the date, and the body every inline text part in
order (a Mailman digest's messages included); of the versions of one text (multipart/
alternative) the HTML one when it holds text, else the plain one. Each part is decoded by its
declared charset when that gives text, else by what charset-normalizer finds, and so is a file
saved whole in UTF-16. Each .docx, .pdf, .txt, .md or .html attachment becomes a digest of its
own, with the doc id <message>--<attachment>, dated by the message when it has no date of its
own. A message with no readable text and no attachment is skipped with its reason.
"""

from __future__ import annotations

import email
import tempfile
from collections.abc import Callable, Iterator
from email import policy
from email.header import decode_header
from email.utils import parsedate_to_datetime
from pathlib import Path

from indexer.ingest.digest import Block, Digest, DigestError, Skipped, slugify
from indexer.ingest.html import parse_html
from indexer.ingest.plaintext import parse_body
from indexer.ingest.text import clean, clean_line, decode, decode_labelled

MAX_ATTACHMENTS = 20  # attachments in one message at the most
ATTACHED = (".docx", ".pdf", ".txt", ".md", ".html", ".htm")
_ENCRYPTED = ("multipart/encrypted", "application/pkcs7-mime", "application/pgp-encrypted")


def read_mail(data: bytes, doc_id: str, read_file: Callable) -> Iterator[Digest | Skipped]:
    """The message's digest, then its attachments' (read_file reads one saved file)."""
    message = email.message_from_bytes(_mail_bytes(data), policy=policy.default)
    attachments = [part for part in message.iter_attachments() if _attached_name(part)]
    check_attachments(len(attachments))
    date = _date(message)
    blocks = _body(message, doc_id)
    if blocks:
        yield Digest(doc_id=doc_id, title=_subject(message), blocks=blocks, date=date)
    elif not attachments:
        yield Skipped.because("", _why_unreadable(message))
    for part in attachments:
        name = _attached_name(part)
        data = part.get_payload(decode=True) or b""
        yield from attachment(data, name, f"{doc_id}--{slugify(Path(name).stem)}", date, read_file)
    for part in message.walk():
        if part.get_content_type() == "message/rfc822" and part.is_attachment():
            yield Skipped.because("", "read_mail_forwarded")


def check_attachments(count: int) -> None:
    """A message with too many attachments is refused whole, by the watcher as by an upload."""
    if count > MAX_ATTACHMENTS:
        raise DigestError("read_mail_attachments", n=count, most=MAX_ATTACHMENTS)


def _mail_bytes(data: bytes) -> bytes:
    """A message saved whole in UTF-16 (or with a byte-order mark) back as the bytes of mail."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or data.startswith(b"\xef\xbb\xbf"):
        text = decode(data)
    elif data[1:200:2].count(0) > 50:  # UTF-16 without its mark: every other byte is NUL
        text = data.decode("utf-16-le", "replace")
    else:
        return data
    return text.lstrip("\ufeff").encode("utf-8")


def _body(part, doc_id: str) -> list[Block]:
    """The blocks of every inline text part in reading order; of an alternative, the first
    version that holds text (HTML before plain). Each part is read once."""
    kind = part.get_content_type()
    if kind == "multipart/alternative":
        versions = [p for p in part.iter_parts() if p.get_content_maintype() != "image"]
        for version in sorted(versions, key=lambda p: p.get_content_subtype() != "html"):
            if blocks := _body(version, doc_id):
                return blocks
        return []
    if part.is_multipart():
        children = [child for child in part.iter_parts() if not child.is_attachment()]
        return [block for child in children for block in _body(child, doc_id)]
    if kind in ("text/plain", "text/html") and not part.is_attachment():
        return _blocks(part, doc_id)
    return []


def _blocks(part, doc_id: str) -> list[Block]:
    """One text part's blocks: an HTML part read as a page, a plain one as plain text."""
    text = decode_labelled(part.get_payload(decode=True) or b"", part.get_content_charset())
    if part.get_content_subtype() != "html":
        return parse_body(clean(text))
    try:
        return parse_html(text, doc_id).blocks
    except DigestError:
        return []


def _subject(message) -> str:
    """The Subject: header, each encoded word decoded as its own charset allows."""
    raw = next((value for name, value in message.raw_items() if name.lower() == "subject"), "")
    words = []
    for value, charset in decode_header(str(raw)):
        words.append(decode_labelled(value, charset) if isinstance(value, bytes) else value)
    return clean_line("".join(words))


def _why_unreadable(message) -> str:
    if any(part.get_content_type() in _ENCRYPTED for part in message.walk()):
        return "read_mail_encrypted"
    return "read_mail_no_text"


def _date(message) -> str | None:
    try:
        when = parsedate_to_datetime(str(message.get("date", "")))
    except (TypeError, ValueError, IndexError):
        return None
    return when.date().isoformat() if when else None


def _attached_name(part) -> str | None:
    name = part.get_filename()
    return name if name and Path(name).suffix.lower() in ATTACHED else None


def attachment(data: bytes, name: str, doc_id: str, date: str | None, read_file):
    """One attachment read by its own reader from a private temporary file."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"attachment{Path(name).suffix.lower()}"
        path.write_bytes(data)
        try:
            for found in read_file(path, doc_id):
                if isinstance(found, Digest):
                    found.date = found.date or date
                    yield found
                else:
                    yield Skipped.because("", "read_in_attachment", name=name, why=found.said)
        except DigestError as exc:
            yield Skipped.because("", "read_in_attachment", name=name, why=exc.said)
