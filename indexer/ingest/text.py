"""Text hygiene shared by every reader: decoding bytes and normalising characters."""

from __future__ import annotations

import codecs
import re
import unicodedata

from indexer.ingest.digest import DigestError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# The legacy encodings Russian digests arrive in; Latin-1 is deliberately absent.
_LEGACY = ("cp1251", "koi8-r")

# Spaces that are not U+0020 (no-break, figure, thin, ideographic...) become plain spaces.
_ODD_SPACES = re.compile("[\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000\t\f\v]")
# Invisible characters that only get in the way of matching: soft hyphen, joiners, BOM; and
# U+FFFE, U+FFFF, which XML 1.0 forbids (a feed, XLSX or .docx holding one cannot be written).
_INVISIBLE = re.compile("[\u00ad\u200c\u200d\u2060\ufeff\ufffe\uffff]")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Lone surrogates (from JSON escapes such as "\\ud800") cannot be written as UTF-8 at all.
_SURROGATE = re.compile("[\ud800-\udfff]")
_MULTI_SPACE = re.compile(" {2,}")
# What XML 1.0 forbids: C0 controls but tab and newlines, surrogates, U+FFFE and U+FFFF.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def decode(data: bytes) -> str:
    """Decode a file's bytes: BOMs first, then UTF-8, then cp1251 or koi8-r by plausibility."""
    if not data.strip():
        raise DigestError("empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise DigestError(f"invalid {encoding} after its byte-order mark") from exc
    if data.count(b"\x00") > len(data) // 100:
        raise DigestError("binary file (contains NUL bytes)")
    data = data.replace(b"\x00", b"")  # a few stray NULs in text are dropped, not fatal
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data":  # a file cut inside its last character
            return data[: exc.start].decode("utf-8")
    candidates = [data.decode(enc, errors="replace") for enc in _LEGACY]
    best = max(candidates, key=_russian_plausibility)
    if _control_ratio(best) > 0.05:
        raise DigestError("binary file (not text in UTF-8, UTF-16, cp1251 or koi8-r)")
    return best


def _russian_plausibility(text: str) -> float:
    """Share of lowercase among Cyrillic letters: cp1251 and koi8-r swap case when confused."""
    cyrillic = [c for c in text if "\u0400" <= c <= "\u04ff"]
    if not cyrillic:
        return 0.0
    return sum(c.islower() for c in cyrillic) / len(cyrillic)


def _control_ratio(text: str) -> float:
    """Share of characters that are control codes or replacement marks."""
    bad = len(_CONTROL.findall(text)) + text.count("\ufffd")
    return bad / max(len(text), 1)


def clean(text: str) -> str:
    """Normalise to NFC with plain spaces and no invisible characters; keep newlines."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = _INVISIBLE.sub("", text)
    text = _ODD_SPACES.sub(" ", text)
    text = _CONTROL.sub("", text)
    text = _SURROGATE.sub("\ufffd", text)
    return _MULTI_SPACE.sub(" ", text)


def clean_line(text: str) -> str:
    """Clean text meant to be a single line (titles, headings)."""
    return " ".join(clean(text).split())


def shortened(text: str, limit: int) -> str:
    """text cut to at most limit characters at a word boundary, with "…" when cut."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit - 1].rstrip() + "…"


def xml_safe(text: str) -> str:
    """Text every XML output accepts (feeds, XLSX, .docx): forbidden characters removed.

    The cleaner already keeps them out of digests, names and queries; this guards what an
    index written before it, or a hand-edited partners.toml, may still hold."""
    return _XML_FORBIDDEN.sub("", text)
