"""A fixed-seed generator of hostile digests beside good ones, for the reliability runs.

    python bench/hostile.py OUT_DIR [--count 520] [--seed 8] [--quick]

Each file comes with what must happen to it: `good` digests must be searchable by their marker
word, `skip` files must be reported with a reason, `safe` files may be indexed or skipped but
never break the build or reach a page as markup, `hidden` files must be ignored.
"""

from __future__ import annotations

import codecs
import json
import os
import random
import string
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

SEED = 8
GOOD, SKIP, SAFE, HIDDEN = "good", "skip", "safe", "hidden"
_WORDS = (
    "university delegation agreement partner programme students exchange cooperation "
    "laboratory forum visit signed joint research energy graduates campus rector"
).split()
_RUSSIAN = "университет делегация соглашение партнёр программа студенты обмен визит".split()


@dataclass
class Case:
    """One generated file and what must happen to it."""

    name: str
    kind: str
    expect: str
    marker: str = ""  # a word only this file contains, to find it once indexed


def marker(kind: str, n: int) -> str:
    """A made-up word (letters only, so analysis keeps it whole) naming one file."""
    letters = "".join(string.ascii_lowercase[int(d)] for d in f"{n:04d}")
    return f"qz{kind[:4].replace('_', '')}{letters}"


def prose(rng: random.Random, words: int, vocabulary=_WORDS) -> str:
    return " ".join(rng.choice(vocabulary) for _ in range(words)).capitalize() + "."


def _digest(title: str, paragraphs: list[str]) -> str:
    return title + "\n\n" + "\n\n".join(paragraphs) + "\n"


# Each maker returns (file name, bytes, expectation) for variant n; the marker is put in the text.
def _good(rng, n, mark):
    paragraphs = [prose(rng, 40) for _ in range(3)] + [f"The partner {mark} signed."]
    return f"good-{n:04d}.txt", _digest(f"Digest {n}", paragraphs).encode(), GOOD


def _empty(rng, n, mark):
    return f"empty-{n}.txt", b"", SKIP


def _whitespace(rng, n, mark):
    blank = "".join(rng.choice([" ", "\t", "\n", "\r\n", "\u00a0", "\u3000"]) for _ in range(200))
    return f"blank-{n}.md", blank.encode(), SKIP


def _binary(rng, n, mark):
    ext = rng.choice([".txt", ".html", ".jsonl"])
    return f"binary-{n}{ext}", bytes(rng.randrange(256) for _ in range(4096)) + b"\x00", SKIP


def _nul_bytes(rng, n, mark):
    text = _digest(f"Nul {mark}", [prose(rng, 30)]).encode()
    cut = rng.randrange(len(text))
    return f"nul-{n}.txt", text[:cut] + b"\x00" * rng.randint(1, 5) + text[cut:], SAFE


def _truncated_utf8(rng, n, mark):
    text = _digest(f"Обрезанный {mark}", [prose(rng, 30, _RUSSIAN)] * 2).rstrip() + " конец"
    return f"truncated-{n}.txt", text.encode()[:-1], GOOD  # cut inside the last letter


def _wrong_charset(rng, n, mark):
    body = f"<p>{mark} {prose(rng, 30, _RUSSIAN)}</p>"
    declared, actual = rng.choice([("utf-8", "cp1251"), ("windows-1251", "utf-8"),
                                   ("koi8-r", "cp1251"), ("shift_jis", "utf-8")])  # fmt: skip
    page = f'<html><head><meta charset="{declared}"><title>Charset {n}</title></head>'
    return f"charset-{n}.html", (page + f"<body>{body}</body></html>").encode(actual), GOOD


def _legacy(rng, n, mark):
    encoding = ("cp1251", "koi8-r")[n % 2]
    text = _digest(f"Новости {n}", [prose(rng, 40, _RUSSIAN), f"Партнёр {mark}."])
    return f"{encoding}-{n}.txt", text.encode(encoding), GOOD


def _utf16(rng, n, mark):
    codec = ("utf-16-le", "utf-16-be")[n % 2]
    bom = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)[n % 2]
    text = _digest(f"Wide {n}", [prose(rng, 30), f"Partner {mark}."])
    return f"utf16-{n}.txt", bom + text.encode(codec), GOOD


def _utf16_no_bom(rng, n, mark):
    return (
        f"utf16-nobom-{n}.txt",
        _digest(f"No BOM {n}", [prose(rng, 30)]).encode("utf-16-le"),
        SKIP,
    )


def _huge_line(rng, n, mark):
    line = (prose(rng, 12) + " ") * (20 * 1024 * 1024 // 100)
    return f"huge-line-{n}.txt", f"Huge {n}\n\n{line}".encode()[: 20 * 1024 * 1024 + 1], SKIP


def _long_token(rng, n, mark):
    token = "".join(rng.choice(string.ascii_letters) for _ in range(200_000))
    return f"long-token-{n}.txt", _digest(f"Token {mark}", [token, f"After {mark}."]).encode(), GOOD


def _tiny_paragraphs(rng, n, mark, count=20_000):
    paragraphs = [rng.choice(_WORDS) for _ in range(count - 1)] + [mark]
    return f"tiny-{n}.txt", _digest(f"Tiny {n}", paragraphs).encode(), GOOD


def _deep_html(rng, n, mark, depth=20_000):
    tag = rng.choice(["div", "span", "b", "section", "ul><li"])
    closing = "</li></ul>" if tag == "ul><li" else f"</{tag}>"
    page = f"<html><body>{f'<{tag}>' * depth}<p>{mark} deep.</p>{closing * depth}</body></html>"
    return f"deep-{n}.html", page.encode(), SAFE


_ACTIVE = [
    "<script>document.title='pwned'</script>",
    "<style>body{display:none}</style>",
    '<iframe src="https://evil.example/"></iframe>',
    '<img src="x" onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(2)" onclick="alert(3)">more</a>',
    '<svg onload="alert(4)"><circle r="4"/></svg>',
    '<form action="javascript:alert(5)"><input autofocus onfocus="alert(6)"></form>',
    '<object data="evil.swf"></object><embed src="evil.swf">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<base href="https://evil.example/">',
    "&lt;script&gt;alert(7)&lt;/script&gt;",
    '<div style="background:url(javascript:alert(8))" onmouseover="alert(9)">hover</div>',
]


def _active_html(rng, n, mark):
    parts = rng.sample(_ACTIVE, 5)
    body = "".join(f"<p>{prose(rng, 12)} {part} {mark}</p>" for part in parts)
    title = rng.choice(["<script>alert(0)</script>", "Active &amp; <b>bold</b>", "Plain"])
    page = f"<html><head><title>{title}</title>{rng.choice(_ACTIVE)}</head><body>{body}</body>"
    return f"active-{n}.html", page.encode(), GOOD


def _active_text(rng, n, mark):
    ext = rng.choice([".txt", ".md"])
    body = [f"{prose(rng, 10)} {part} {mark}" for part in rng.sample(_ACTIVE, 4)]
    return f"active-text-{n}{ext}", _digest(f"<script>x</script> {n}", body).encode(), GOOD


def _unclosed(rng, n, mark):
    page = f"<html><body><div><p>{prose(rng, 20)}<b><i>{mark} <table><tr><td>cell<p>open"
    return f"unclosed-{n}.html", page.encode(), GOOD


def _bad_jsonl(rng, n, mark):
    good = {"id": f"rec-{n}", "title": f"Record {n}", "text": f"{prose(rng, 20)} {mark}"}
    bad = rng.sample(
        ['{"id": 1, "text": ', "[1, 2, 3]", '"just a string"', '{"id": "x"}', "{'single': 1}",
         '{"id": "y", "text": 42}', "[" * 50_000 + "]" * 50_000, '{"id": "", "text": "no id"}',
         '{"id": "z", "text": "\\ud800 lone surrogate"}', "\x00\x01\x02", "nan"],
        4,
    )  # fmt: skip
    lines = [*bad[:2], json.dumps(good, ensure_ascii=rng.random() < 0.5), *bad[2:]]
    return f"records-{n}.jsonl", "\n".join(lines).encode(), GOOD


def _hostile_jsonl(rng, n, mark):
    text = f"<script>alert(1)</script> {mark} {prose(rng, 9)}"
    record = {"id": rng.choice(["../../etc/passwd", "<script>", "a b c", "ok-" + str(n)]),
              "title": "<img src=x onerror=alert(1)>", "url": "javascript:alert(1)",
              "date": rng.choice(["not a date", "9999-99-99", "2024-02-30", None]),
              "lang": "<b>", "text": text}  # fmt: skip
    return f"hostile-record-{n}.jsonl", json.dumps(record).encode(), SAFE


def _control_chars(rng, n, mark):
    noise = "".join(rng.choice("\x1b[31m\x07\x08\x7f\u202e\u200f\u2066\ufffe") for _ in range(20))
    return (
        f"control-{n}.txt",
        _digest(f"Ctl{noise}{n}", [f"{noise}{mark}{noise} fine"]).encode(),
        SAFE,
    )


_ODD_NAMES = ["with space {n}.txt", "Дайджест {n}.txt", "中文 {n}.txt", "emoji 🎓 {n}.txt",
              "q?{n}#frag%20&amp.txt", "'quote\" {n}.txt", "<script>{n}.txt", "new\nline{n}.txt",
              "dots..{n}...txt", "UPPER{n}.TXT", "tab\t{n}.md", "x" * 240 + "{n}.txt"]  # fmt: skip


def _odd_name(rng, n, mark):
    name = _ODD_NAMES[n % len(_ODD_NAMES)].format(n=n)
    return name, _digest(f"Odd name {n}", [f"{prose(rng, 20)} {mark}"]).encode(), GOOD


def _hidden(rng, n, mark):
    return f".hidden-{n}.txt", _digest(f"Hidden {mark}", [prose(rng, 10)]).encode(), HIDDEN


def _bad_name_bytes(rng, n, mark):
    return b"latin1-\xe9t\xe9-%d.txt" % n, _digest(f"Bytes {n}", [mark]).encode(), SAFE


MAKERS: dict[str, tuple[Callable, int]] = {  # kind -> (maker, share of variants)
    "good": (_good, 6), "empty": (_empty, 1), "whitespace": (_whitespace, 1),
    "binary": (_binary, 3), "nul_bytes": (_nul_bytes, 2), "truncated_utf8": (_truncated_utf8, 2),
    "wrong_charset": (_wrong_charset, 2), "legacy": (_legacy, 2), "utf16": (_utf16, 2),
    "utf16_no_bom": (_utf16_no_bom, 1), "long_token": (_long_token, 1),
    "active_html": (_active_html, 4), "active_text": (_active_text, 2),
    "unclosed": (_unclosed, 2), "bad_jsonl": (_bad_jsonl, 3), "hostile_jsonl": (_hostile_jsonl, 2),
    "control_chars": (_control_chars, 2), "odd_name": (_odd_name, 3), "hidden": (_hidden, 1),
    "bad_name_bytes": (_bad_name_bytes, 1), "tiny_paragraphs": (_tiny_paragraphs, 0),
    "deep_html": (_deep_html, 0), "huge_line": (_huge_line, 0),
}  # fmt: skip
GIANTS = ("tiny_paragraphs", "deep_html", "huge_line")  # one or two each: they are big


def generate(folder: Path, count: int = 520, seed: int = SEED, quick: bool = False) -> list[Case]:
    """Write about `count` files into folder; quick makes the giants a tenth of their size."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    shares = sum(share for _, share in MAKERS.values())
    cases = []
    for kind, (make, share) in MAKERS.items():
        variants = max(count * share // shares, 2 if kind in GIANTS else 1)
        cases += [_write(folder, kind, make, rng, n, quick) for n in range(variants)]
    return [case for case in cases if case is not None]


def _write(folder: Path, kind: str, make: Callable, rng: random.Random, n: int, quick: bool):
    """Write one case's file; None for the 20 MB line, left out of quick runs."""
    mark = marker(kind, n)
    if quick and kind == "tiny_paragraphs":
        name, data, expect = make(rng, n, mark, count=2_000)
    elif quick and kind == "deep_html":
        name, data, expect = make(rng, n, mark, depth=2_000)
    elif quick and kind == "huge_line":
        return None
    else:
        name, data, expect = make(rng, n, mark)
    path = folder / os.fsdecode(name)  # bytes: a name that is not valid UTF-8
    path.write_bytes(data)
    return Case(str(path.relative_to(folder)), kind, expect, mark)


if __name__ == "__main__":
    quick = "--quick" in sys.argv
    written = generate(Path(sys.argv[1]), quick=quick)
    print(f"wrote {len(written)} files into {sys.argv[1]}")
