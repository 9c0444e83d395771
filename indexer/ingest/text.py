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
# Labels a mail client writes that Python does not know, or that understate their text: a
# superset decodes all the label promises and what the sender's software put in besides.
_SUPERSETS = {"x-mac-cyrillic": "mac_cyrillic", "x-mac-roman": "mac_roman", "gb2312": "gb18030",
              "gbk": "gb18030", "euc-kr": "cp949", "ks_c_5601-1987": "cp949",
              "shift_jis": "cp932", "iso-8859-1": "cp1252", "us-ascii": "utf-8"}  # fmt: skip
_RUSSIAN = ("cp1251", "koi8-r")  # the legacy encodings Russian digests arrive in
_MESS = 0.2  # charset-normalizer's mess ratio above which a decoding is taken for mojibake

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
    """Decode a file's bytes: BOMs first, then UTF-8, else the encoding charset-normalizer
    finds over the whole text (cp1251, koi8-r, Latin-1, GB18030...)."""
    if not data.strip():
        raise DigestError("read_empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise DigestError("read_bad_bom", encoding=encoding) from exc
    if data.count(b"\x00") > len(data) // 100:
        raise DigestError("read_binary_nul")
    data = data.replace(b"\x00", b"")  # a few stray NULs in text are dropped, not fatal
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data":  # a file cut inside its last character
            return data[: exc.start].decode("utf-8")
    return _detected(data)


def decode_labelled(data: bytes, label: str | None) -> str:
    """Bytes that declare their charset (a mail part): the label when it decodes them into
    text, else what decode() finds; "" for bytes that are no text at all."""
    codec = codec_name(label)
    if codec is not None:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            text = None
        if text is not None and (text.isascii() or _mess(text) < _MESS):
            return text
    try:
        return decode(data)
    except DigestError:
        return ""


def codec_name(label: str | None) -> str | None:
    """Python's name for a charset label (a superset for the labels that understate their
    text), or None for one it does not know."""
    if not label:
        return None
    label = _SUPERSETS.get(label.strip().lower(), label.strip().lower())
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _mess(text: str) -> float:
    from charset_normalizer.md import mess_ratio

    return mess_ratio(text[:20000])


def _detected(data: bytes) -> str:
    """The decoding with the least mojibake among charset-normalizer's candidates and the two
    Russian legacy encodings; between equals, charset-normalizer's order, except that a text
    mostly in Cyrillic takes the decoding whose Cyrillic is mostly lowercase (cp1251 and koi8-r
    swap case when confused: a short line fits both, and other code pages, without mess)."""
    from charset_normalizer import from_bytes  # loaded when a file is first not UTF-8

    found = [str(match) for match in list(from_bytes(data))[:8]]
    found += [data.decode(encoding, errors="replace") for encoding in _RUSSIAN]
    scored = [(text, _mess(text)) for text in found if _control_ratio(text) <= 0.05]
    if not scored:
        raise DigestError("read_binary_encoding")
    least = min(mess for _, mess in scored)
    return max((text for text, mess in scored if mess <= least + 0.005), key=_cyrillic_case)


def _cyrillic_case(text: str) -> float:
    """Share of lowercase among Cyrillic letters, for a text whose letters are mostly Cyrillic."""
    letters = [c for c in text if c.isalpha()]
    cyrillic = [c for c in letters if "\u0400" <= c <= "\u04ff"]
    if len(cyrillic) <= len(letters) / 2:
        return 0.0
    return sum(c.islower() for c in cyrillic) / len(cyrillic)


def _control_ratio(text: str) -> float:
    """Share of characters that are control codes or replacement marks."""
    bad = len(_CONTROL.findall(text)) + text.count("\ufffd")
    return bad / max(len(text), 1)


def clean(text: str, *, layout: bool = False) -> str:
    """Normalise to NFC with plain spaces and no invisible characters; keep newlines. With
    layout, tabs and runs of spaces stay too (Markdown's indentation is its structure)."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = _INVISIBLE.sub("", text)
    text = _ODD_SPACES.sub(lambda m: m[0] if layout and m[0] == "\t" else " ", text)
    text = _CONTROL.sub("", text)  # (tab and newline are not among them)
    text = _SURROGATE.sub("\ufffd", text)
    return text if layout else _MULTI_SPACE.sub(" ", text)


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
