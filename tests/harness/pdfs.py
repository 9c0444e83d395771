"""PDFs written object by object, for what no PDF library here writes on request: text inside
a form XObject (a figure), and a font that maps its glyphs to no character (no ToUnicode)."""

from __future__ import annotations

HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
# A CID font with Identity-H encoding, no embedded program and no ToUnicode: no viewer can
# know which characters its glyph numbers stand for.
UNMAPPED = (b"<< /Type /Font /Subtype /Type0 /BaseFont /Unknown /Encoding /Identity-H "
            b"/DescendantFonts [7 0 R] >>")  # fmt: skip
UNMAPPED_CID = (
    b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Unknown /DW 600 "
    b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>"
)


def pdf(objects: list[bytes]) -> bytes:
    """A PDF of numbered objects (1: catalog, 2: pages, 3: page) with its cross-reference."""
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    table = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, table)  # fmt: skip
    return bytes(out)


def _stream(content: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(content), extra) + content + b"\nendstream"


def figure_pdf(body: str, in_figure: str) -> bytes:
    """A page with one line of text and a figure (a form XObject) that holds another."""
    page = f"BT /F1 12 Tf 72 720 Td ({body}) Tj ET q 1 0 0 1 72 500 cm /Fig Do Q".encode()
    figure = f"BT /F1 12 Tf 0 0 Td ({in_figure}) Tj ET".encode()
    return pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> /XObject << /Fig 6 0 R >> >> >>",
        _stream(page),
        HELVETICA,
        _stream(figure, b"/Type /XObject /Subtype /Form /BBox [0 0 400 100] "
                        b"/Resources << /Font << /F1 5 0 R >> >> "),
    ])  # fmt: skip


def unmapped_glyphs_pdf(readable: str) -> bytes:
    """A page with a readable line and a line in glyphs that map to no character."""
    page = (f"BT /F1 12 Tf 72 720 Td ({readable}) Tj ET "
            f"BT /F2 12 Tf 72 690 Td <0041004200430044> Tj ET").encode()  # fmt: skip
    return pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
        _stream(page),
        HELVETICA,
        UNMAPPED,
        UNMAPPED_CID,
    ])  # fmt: skip
