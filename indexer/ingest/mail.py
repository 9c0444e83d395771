"""E-mails (.eml) with Python's email package: the message is a digest, and so is each
attachment in a format we read.

The subject is the title, the Date: header the date, the HTML part (else the plain one) the
body. Each .docx, .pdf, .txt, .md or .html attachment becomes a digest of its own, with the
doc id <message>--<attachment>, dated by the message when it has no date of its own. Scripts in
an HTML part are dropped with the rest of the markup: a digest is text.
"""

from __future__ import annotations

import email
import tempfile
from collections.abc import Callable, Iterator
from email import policy
from email.utils import parsedate_to_datetime
from pathlib import Path

from indexer.ingest.digest import Digest, DigestError, Skipped, slugify
from indexer.ingest.html import parse_html
from indexer.ingest.plaintext import parse_body
from indexer.ingest.text import clean, clean_line

MAX_ATTACHMENTS = 20  # attachments in one message at the most
ATTACHED = (".docx", ".pdf", ".txt", ".md", ".html", ".htm")


def read_mail(data: bytes, doc_id: str, read_file: Callable) -> Iterator[Digest | Skipped]:
    """The message's digest, then its attachments' (read_file reads one saved file)."""
    message = email.message_from_bytes(data, policy=policy.default)
    attachments = [part for part in message.iter_attachments() if _attached_name(part)]
    if len(attachments) > MAX_ATTACHMENTS:  # refused whole, by the watcher as by an upload
        raise DigestError(f"{len(attachments)} attachments in one message, more than "
                          f"{MAX_ATTACHMENTS}: send them in several messages")  # fmt: skip
    date = _date(message)
    subject = clean_line(str(message.get("subject", "") or ""))
    body = _body(message, doc_id)
    if body is not None:
        body.title = subject or body.title
        body.date = body.date or date
        yield body
    for part in attachments:
        name = _attached_name(part)
        yield from _attachment(part, name, f"{doc_id}--{slugify(Path(name).stem)}", date, read_file)
    for part in message.walk():
        if part.get_content_type() == "message/rfc822":
            yield Skipped("", "a message forwarded inside this one: save it as an .eml of its own")


def _date(message) -> str | None:
    try:
        when = parsedate_to_datetime(str(message.get("date", "")))
    except (TypeError, ValueError, IndexError):
        return None
    return when.date().isoformat() if when else None


def _body(message, doc_id: str) -> Digest | None:
    """The HTML part read as a page, else the plain text; None for a message with neither."""
    part = message.get_body(preferencelist=("html", "plain"))
    if part is None:
        return None
    content = part.get_content()
    if part.get_content_subtype() == "html":
        return parse_html(content, doc_id)
    blocks = parse_body(clean(content))
    return Digest(doc_id=doc_id, title="", blocks=blocks) if blocks else None


def _attached_name(part) -> str | None:
    name = part.get_filename()
    return name if name and Path(name).suffix.lower() in ATTACHED else None


def _attachment(part, name: str, doc_id: str, date: str | None, read_file):
    """One attachment read by its own reader from a private temporary file."""
    data = part.get_payload(decode=True) or b""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"attachment{Path(name).suffix.lower()}"
        path.write_bytes(data)
        try:
            for found in read_file(path, doc_id):
                if isinstance(found, Digest):
                    found.date = found.date or date
                    yield found
                else:
                    yield Skipped("", f"{name}: {found.reason}")
        except DigestError as exc:
            yield Skipped("", f"{name}: {exc}")
