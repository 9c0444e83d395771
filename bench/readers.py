"""How much of each file from other software the readers keep, and how fast they read it.

    python bench/readers.py [--pdf-engines] [--json FILE]

Reads every file of tests/fixtures/other_software/ (made by LibreOffice, Pandoc, Tesseract,
mail clients; see its PROVENANCE.txt) with the project's readers, and scores each against a
reference extraction made without them: poppler's pdftotext, python-docx, the email package,
markdown-it-py's HTML, LibreOffice's text (`soffice --cat`) for .odt and .rtf, extract-msg.
A file's score is the share of the reference's words (a multiset) found in what we indexed.
Any glyph code "(cid:N)", markup, MIME header or mojibake in a digest is counted as a defect,
and so is a file that failed with a traceback. With --pdf-engines, pdfminer.six's and PDFium's
plain text are compared on the PDFs.
"""

from __future__ import annotations

import argparse
import email
import json
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from email import policy
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.ingest import Digest, read  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "other_software"
FOLDERS = ("pdf", "docx", "odt", "rtf", "md", "eml", "msg", "scans")
_WORD = re.compile(r"\w+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
DEFECTS = {
    "glyph codes": re.compile(r"\(cid:\d+\)"),
    "markup": re.compile(r"</?(?:div|p|span|br|html|body|table|td)\b|^\s*[#>|]\s|\*\*|```", re.M),
    "MIME headers": re.compile(r"\b(?:Content-Type|Content-Transfer-Encoding|MIME-Version):"),
    "mojibake": re.compile("\ufffd|Ã.|Ð.|Ñ.|â€|[\u0080-\u009f]"),
}


def words(text: str) -> Counter:
    """Words, and each CJK character as a word of its own (Chinese has no spaces)."""
    found = Counter(w.lower() for w in _WORD.findall(_CJK.sub(" ", text)))
    found.update(_CJK.findall(text))
    return found


def share(reference: Counter, ours: Counter) -> float:
    total = sum(reference.values())
    return sum(min(n, ours[w]) for w, n in reference.items()) / total if total else 1.0


def reference_text(path: Path) -> str:
    """The file's text as another tool reads it."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                              text=True, check=False).stdout  # fmt: skip
    if suffix == ".docx":
        import docx

        document = docx.Document(str(path))
        cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
        return "\n".join([p.text for p in document.paragraphs] + list(dict.fromkeys(cells)))
    if suffix in (".odt", ".rtf"):
        return _libreoffice_text(path)
    if suffix in (".md", ".markdown"):
        from bs4 import BeautifulSoup
        from charset_normalizer import from_bytes
        from markdown_it import MarkdownIt

        source = str(from_bytes(path.read_bytes()).best())
        html = MarkdownIt("commonmark").enable("table").render(source)
        return BeautifulSoup(html, "html.parser").get_text(" ")
    if suffix == ".eml":
        return _mail_reference(path.read_bytes())
    if suffix == ".msg":
        import extract_msg

        message = extract_msg.openMsg(str(path))
        try:
            return f"{message.subject}\n{message.body}"
        finally:
            message.close()
    return ""  # scans: no reference but the words they were rendered from


def _libreoffice_text(path: Path) -> str:
    """The text LibreOffice shows (soffice --cat); none without LibreOffice."""
    if not shutil.which("soffice"):
        return ""
    done = subprocess.run(["soffice", "--headless", "--cat", str(path)], capture_output=True,
                          text=True, check=False, timeout=120)  # fmt: skip
    return done.stdout


def _mail_reference(data: bytes) -> str:
    from bs4 import BeautifulSoup

    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        data = data.decode("utf-16").encode("utf-8")
    message = email.message_from_bytes(data, policy=policy.default)
    texts, skipped = [str(message.get("subject", ""))], set()
    for part in message.walk():
        if part.get_content_type() == "multipart/alternative":  # one of the versions: the last
            skipped.update(id(p) for p in part.get_payload()[:-1])
        if part.get_content_maintype() != "text" or part.is_attachment() or id(part) in skipped:
            continue
        try:
            content = part.get_content()
        except (LookupError, UnicodeError):
            content = part.get_payload(decode=True).decode("utf-8", "replace")
        if part.get_content_subtype() == "html":
            content = BeautifulSoup(content, "html.parser").get_text(" ")
        texts.append(content)
    return "\n".join(texts)


def ours(path: Path) -> tuple[str, list[str], list[str], float]:
    """What our readers index of a file: text, skip reasons, defects, seconds."""
    started = time.perf_counter()
    results = read(path, path.parent)
    seconds = time.perf_counter() - started
    digests = [r for r in results if isinstance(r, Digest)]
    text = "\n".join(f"{d.title}\n" + "\n".join(b.text for b in d.blocks) for d in digests)
    reasons = [r.reason for r in results if not isinstance(r, Digest)]
    defects = [name for name, pattern in DEFECTS.items() if pattern.search(text)]
    defects += ["traceback"] * any("unreadable:" in r for r in reasons)
    return text, reasons, defects, seconds


def score() -> dict:
    rows, per_format = [], defaultdict(lambda: {"scores": [], "bytes": 0, "seconds": 0.0})
    for folder in FOLDERS:
        for path in sorted((FIXTURES / folder).glob("*")):
            if path.is_dir():
                continue
            text, reasons, defects, seconds = ours(path)
            reference = words(reference_text(path))
            value = share(reference, words(text)) if reference else None
            fmt = per_format[folder]
            fmt["bytes"] += path.stat().st_size
            fmt["seconds"] += seconds
            if value is not None and not (reasons and not text):
                fmt["scores"].append(value)
            rows.append({"file": f"{folder}/{path.name}", "share": value, "indexed": bool(text),
                         "seconds": seconds, "skipped": reasons, "defects": defects})  # fmt: skip
    summary = {
        name: {"files": sum(r["file"].startswith(name + "/") for r in rows),
               "median_share": statistics.median(f["scores"]) if f["scores"] else None,
               "seconds_per_mb": f["seconds"] / max(f["bytes"] / 2**20, 1e-9)}
        for name, f in per_format.items()
    }  # fmt: skip
    return {"files": rows, "formats": summary}


def pdf_engines() -> list[dict]:
    """pdfminer.six and PDFium on the same PDFs: seconds and share of pdftotext's words."""
    import pypdfium2
    from pdfminer.high_level import extract_text

    rows = []
    for path in sorted((FIXTURES / "pdf").glob("*.pdf")):
        reference = words(reference_text(path))
        started = time.perf_counter()
        miner = extract_text(str(path))
        miner_seconds = time.perf_counter() - started
        started = time.perf_counter()
        document = pypdfium2.PdfDocument(str(path))
        pdfium = "\n".join(page.get_textpage().get_text_range() for page in document)
        document.close()
        pdfium_seconds = time.perf_counter() - started
        rows.append({"file": path.name, "pdfminer_share": share(reference, words(miner)),
                     "pdfminer_s": miner_seconds, "pdfium_share": share(reference, words(pdfium)),
                     "pdfium_s": pdfium_seconds})  # fmt: skip
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pdf-engines", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    result = score()
    for row in result["files"]:
        share_text = "  -  " if row["share"] is None else f"{row['share']:.3f}"
        notes = "; ".join(row["skipped"] + row["defects"])
        print(f"{row['file']:58} {share_text} {row['seconds']:6.2f}s {notes}")
    print("\nformat  files  median share  s/MB")
    for name, fmt in result["formats"].items():
        median = "-" if fmt["median_share"] is None else f"{fmt['median_share']:.3f}"
        print(f"{name:6} {fmt['files']:5}  {median:>12}  {fmt['seconds_per_mb']:.2f}")
    if args.pdf_engines:
        result["pdf_engines"] = pdf_engines()
        print("\nfile                              pdfminer share  s    PDFium share  s")
        for row in result["pdf_engines"]:
            print(f"{row['file']:34} {row['pdfminer_share']:.3f} {row['pdfminer_s']:.3f}"
                  f"   {row['pdfium_share']:.3f} {row['pdfium_s']:.3f}")  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
