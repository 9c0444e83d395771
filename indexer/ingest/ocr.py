"""OCR of scans with Tesseract (Debian's tesseract-ocr, with its rus, chi-sim and eng models).

A page image (a .png, .jpg or .tif, or a PDF page without a text layer rendered by PDFium at
300 dpi) goes to the `tesseract` program; its TSV output gives each line's words and box, so a
scan becomes lines with a size and a place like a PDF's text layer, and is read the same way.
The languages are DIGEST_SEARCH_OCR_LANGUAGES when set ("rus+eng"), else found from the
script Tesseract's orientation model sees (Cyrillic: rus+eng; Han: chi_sim+eng; Latin: eng),
else every model installed of the three. Each page is bounded in time and memory, a file in
pages and seconds. Without Tesseract nothing here runs, and scans are skipped as before.
"""

from __future__ import annotations

import logging
import os
import resource
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path

from indexer.ingest.digest import DigestError
from indexer.ingest.pdflayout import Line

log = logging.getLogger(__name__)

MAX_PAGES = 10  # pages read by OCR in one file
MAX_SECONDS = 60.0  # OCR of one file; the sandbox adds it to a scan's time limit
PAGE_SECONDS = 60.0
MEMORY_MB = 1536  # Tesseract's own address space (the Chinese model is large)
DPI = 300
MODELS = ("rus", "eng", "chi_sim")
_BY_SCRIPT = {"Cyrillic": "rus+eng", "Han": "chi_sim+eng", "Latin": "eng"}
MIN_CONFIDENCE = 10  # Tesseract's word confidence (0-100) below which a "word" is noise


on_start: Callable[[], None] | None = None  # told when OCR of a file begins (sandbox.py)


@cache
def available() -> bool:
    """True when the tesseract program and at least one of our models are installed."""
    return shutil.which("tesseract") is not None and bool(_installed())


@cache
def _installed() -> tuple[str, ...]:
    try:
        listed = _tesseract(["--list-langs"], timeout=30).split()
    except DigestError:
        return ()
    return tuple(model for model in MODELS if model in listed)


def image_lines(image: Path, page: int = 1, dpi: int | None = None) -> list[Line]:
    """A page image's text as lines, with sizes and places in points."""
    if on_start is not None:
        on_start()
    scale = 72 / (dpi or _image_dpi(image))
    tsv = _tesseract([str(image), "stdout", "-l", _languages(image), "tsv"], PAGE_SECONDS)
    words: dict[tuple, list[list[str]]] = {}
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        word = len(cells) == 12 and cells[0] == "5" and cells[11].strip()
        if word and float(cells[10]) >= MIN_CONFIDENCE:
            words.setdefault(tuple(cells[2:5]), []).append(cells)
    return [_line(found, page, scale) for found in words.values()]


def pdf_pages(path: Path, pages: list[int]) -> list[Line]:
    """The given pages of a PDF (1-based) rendered and read by OCR, within the bounds."""
    import pypdfium2

    started, lines = time.monotonic(), []
    document = pypdfium2.PdfDocument(str(path))
    try:
        with tempfile.TemporaryDirectory() as folder:
            for number in pages[:MAX_PAGES]:
                if time.monotonic() - started > MAX_SECONDS:
                    log.warning("%s: OCR stopped after %g s", path.name, MAX_SECONDS)
                    break
                image = Path(folder) / f"page-{number}.png"
                document[number - 1].render(scale=DPI / 72).to_pil().save(image)
                lines += image_lines(image, number, DPI)
    finally:
        document.close()
    return lines


def _line(words: list[list[str]], page: int, scale: float) -> Line:
    lefts = [int(w[6]) for w in words]
    tops = [int(w[7]) for w in words]
    rights = [int(w[6]) + int(w[8]) for w in words]
    bottoms = [int(w[7]) + int(w[9]) for w in words]
    heights = sorted(int(w[9]) for w in words)
    # y grows downwards in an image and upwards in a PDF: negated, the order is the same
    return Line(page, " ".join(w[11].strip() for w in words), heights[len(heights) // 2] * scale,
                False, -min(tops) * scale, -max(bottoms) * scale, min(lefts) * scale,
                max(rights) * scale)  # fmt: skip


def _languages(image: Path) -> str:
    configured = os.environ.get("DIGEST_SEARCH_OCR_LANGUAGES", "").strip()
    if configured:
        return configured
    try:
        osd = _tesseract([str(image), "stdout", "--psm", "0"], PAGE_SECONDS)
    except DigestError:
        osd = ""  # too little text for the orientation model: every language we have
    script = next((ln.split(":", 1)[1].strip() for ln in osd.splitlines()
                   if ln.startswith("Script:")), "")  # fmt: skip
    wanted = _BY_SCRIPT.get(script, "+".join(_installed()))
    return "+".join(m for m in wanted.split("+") if m in _installed()) or "+".join(_installed())


def _image_dpi(image: Path) -> float:
    from PIL import Image

    with Image.open(image) as opened:
        return _dpi(opened)


def page_width(image: Path) -> float:
    """A page image's width in points, at the resolution its lines are measured in."""
    from PIL import Image

    with Image.open(image) as opened:
        return opened.width * 72 / _dpi(opened)


def _dpi(opened) -> float:
    dpi = opened.info.get("dpi", (DPI, DPI))[0]
    return float(dpi) if dpi and dpi > 30 else DPI


def _tesseract(arguments: list[str], timeout: float) -> str:
    try:
        done = subprocess.run(
            ["tesseract", *arguments], capture_output=True, text=True, timeout=timeout,
            preexec_fn=_own_memory_limit, check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired as exc:
        raise DigestError("read_ocr_slow", seconds=f"{timeout:g}") from exc
    except OSError as exc:
        raise DigestError("read_ocr_cannot_run", reason=exc.strerror) from exc
    if done.returncode != 0:
        raise DigestError("read_ocr_failed", reason=(done.stderr.strip().splitlines() or ["?"])[-1])
    return done.stdout


def _own_memory_limit() -> None:
    """Tesseract gets its own address-space limit, not the reader's (sandbox.py)."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = MEMORY_MB * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit if hard < 0 else min(limit, hard), hard))
