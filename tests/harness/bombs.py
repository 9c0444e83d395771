"""Files that cost a reader far more than their size: each one the issue's finding, generated
small and fast (for tests/test_sandbox.py and for the soak's uploads during searches)."""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib
from email.message import EmailMessage

import docx
from fpdf import FPDF

MEGABYTE = 1024 * 1024


def fragment_pdf(fragments: int = 3000) -> bytes:
    """One page of text fragments at random places: layout analysis is quadratic in them."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=6)
    rng = random.Random(1)
    for number in range(fragments):
        pdf.text(rng.uniform(5, 200), rng.uniform(5, 290), f"w{number}")
    return bytes(pdf.output())


def flate_bomb_pdf(inflated_mb: int = 400) -> bytes:
    """A page whose content stream is a few hundred kB deflated and inflated_mb inflated."""
    squeeze, stream, chunk = zlib.compressobj(9), [], b" " * MEGABYTE
    for _ in range(inflated_mb):
        stream.append(squeeze.compress(chunk))
    stream.append(squeeze.flush())
    content = b"".join(stream)
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R/Resources<<>>>>",
        b"<</Length %d/Filter/FlateDecode>>stream\n" % len(content) + content + b"\nendstream",
    ]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    size = len(objects) + 1
    out.write(b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (size, xref))
    return out.getvalue()


def lying_docx(inflated_mb: int = 200) -> bytes:
    """A real Word document whose body inflates to inflated_mb while its archive says 1 kB."""
    made = io.BytesIO()
    docx.Document().save(made)
    out = io.BytesIO()
    with zipfile.ZipFile(made) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zip_:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"<w:body>", b"<w:body>" + b" " * (inflated_mb * MEGABYTE))
            zip_.writestr(info.filename, data)
    return _declare_sizes(out.getvalue(), b"word/document.xml", 1024)


def _declare_sizes(archive: bytes, name: bytes, size: int) -> bytes:
    """The archive with name's uncompressed size rewritten in its local and central headers."""
    data = bytearray(archive)
    for signature, offset, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        start = data.find(signature)
        while start >= 0:
            if data[start + name_at : start + name_at + len(name)] == name:
                struct.pack_into("<I", data, start + offset, size)
            start = data.find(signature, start + 1)
    return bytes(data)


def wide_markdown_table(columns: int = 5000) -> bytes:
    header = "| " + " | ".join(f"c{n}" for n in range(columns)) + " |"
    rule = "|" + "---|" * columns
    row = "| " + " | ".join("Geely" for _ in range(columns)) + " |"
    return f"# Wide\n\n{header}\n{rule}\n{row}\n{row}\n".encode()


def caption_mail(sentences: int = 20_000) -> bytes:
    """An e-mail whose body is one line without final punctuation: once one giant caption."""
    message = EmailMessage()
    message["Subject"], message["Date"] = "Geely meeting", "Fri, 06 Mar 2020 10:00:00 +0300"
    message.set_content("Geely met Hangzhou officials. " * sentences + "and so on")
    return bytes(message)


HOSTILE = {
    "fragments.pdf": fragment_pdf,
    "flate-bomb.pdf": flate_bomb_pdf,
    "lying.docx": lying_docx,
    "wide-table.md": wide_markdown_table,
    "caption.eml": caption_mail,
}
