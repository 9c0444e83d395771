"""Hostile digests and hostile queries against the real indexer and the real server.

Each scenario returns its figures as a dict whose "failures" list must stay empty; the quick
versions run in tests/test_reliability.py, the long ones from bench/soak.py.
"""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urlencode

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from indexer.index.manifest import Manifest
from indexer.ingest.readers import source_name
from tests.harness import RESULT_FIELDS as RESULT_KEYS
from tests.harness import SEARCH_FIELDS, hostile
from tests.harness.server import CLI, ROOT, LiveServer
from webapp.server import MAX_REQUEST_LINE

TEMPLATES = ROOT / "webapp" / "templates"
MAX_RESPONSE_BYTES = 1024 * 1024  # 100 passages of ≤3,000 characters, text and snippet, fit
SEARCH_KEYS = set(SEARCH_FIELDS)
_SCRIPT = ("javascript:", "vbscript:")
_ACTIVE_SCHEMES = {"link": _SCRIPT}  # our own favicon link is `data:,`; elsewhere data: is active
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "srcset"}
# Measure the indexer's peak memory from a parent that runs nothing else.
_PEAK_RSS = ("import resource, subprocess, sys; rc = subprocess.call(sys.argv[1:]); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); "
             "sys.exit(rc)")  # fmt: skip


def index_args(corpus: Path, index_dir: Path, *extra: str) -> list[str]:
    """The arguments of `digest-search index` for this corpus and index."""
    return ["index", "--corpus", str(corpus), "--index", str(index_dir), *extra]


def index(corpus: Path, index_dir: Path, *args: str, timeout: float = 1800) -> dict:
    """Run `digest-search index` to the end: exit code, skipped files, seconds, peak RSS."""
    started, wall = resource.getrusage(resource.RUSAGE_CHILDREN), time.monotonic()
    command = [*CLI, *index_args(corpus, index_dir, "--wait", "600", *args)]
    done = subprocess.run([sys.executable, "-c", _PEAK_RSS, *command], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)  # fmt: skip
    lines = done.stderr.splitlines()
    skipped = dict(line[len("skipped ") :].split(": ", 1) for line in lines if ": " in line
                   and line.startswith("skipped "))  # fmt: skip
    ended = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"code": done.returncode, "skipped": skipped, "stdout": done.stdout,
            "stderr": done.stderr, "peak_rss_mb": int(lines[-1]) / 1024 if lines else 0,
            "seconds": _cpu(ended) - _cpu(started), "wall": time.monotonic() - wall}  # fmt: skip


def _cpu(usage) -> float:
    return usage.ru_utime + usage.ru_stime


def live_manifest(index_dir: Path) -> Manifest:
    """The manifest of the generation CURRENT names (no fallback: what readers see now)."""
    return Manifest.read(index_dir / (index_dir / "CURRENT").read_text().strip())


def hostile_files(work: Path, count: int = 520, quick: bool = False) -> dict:
    """Index hostile files beside the seeds and good digests; check every outcome and page."""
    corpus, index_dir = work / "corpus", work / "index"
    shutil.copytree(ROOT / "corpus", corpus)
    cases = hostile.generate(corpus, count=count, quick=quick)
    run = index(corpus, index_dir)
    failures = [] if run["code"] == 3 else [f"index exited {run['code']}: {run['stderr'][-2000:]}"]
    sources = live_manifest(index_dir).sources
    named = [(case, source_name(corpus / case.name, corpus)) for case in cases]
    outcome = {source: _outcome(case, source, sources, run["skipped"]) for case, source in named}
    failures += [f"{name}: {problem}" for name, problem in outcome.items() if problem]
    server = LiveServer(corpus, index_dir, quiet=True)
    try:
        pages = _check_pages(server, named, sources, failures)
    finally:
        server.stop()
    return {
        "files": len(cases),
        "good": sum(c.expect == hostile.GOOD for c in cases),
        "skipped with a reason": len(run["skipped"]),
        "indexed": sum(bool(s.doc_ids) for s in sources.values()),
        "pages and API answers checked": pages,
        "index seconds (CPU)": round(run["seconds"], 1),
        "index peak RSS (MB)": round(run["peak_rss_mb"]),
        "failures": failures,
    }


def _outcome(case: hostile.Case, source: str, sources: dict, skipped: dict) -> str:
    """What is wrong with what happened to one file, named as the manifest names it ('' when
    it is as expected)."""
    entry = sources.get(source)
    indexed = bool(entry and entry.doc_ids)
    reported = source in skipped or bool(entry and entry.skipped)
    if case.expect == hostile.HIDDEN:
        return "a hidden file was indexed" if source in sources else ""
    if case.expect == hostile.GOOD and not indexed:
        return f"not indexed ({skipped.get(source, 'no reason given')})"
    if case.expect == hostile.SKIP and indexed:
        return "indexed, but it should have been skipped"
    if not indexed and not reported:
        return "neither indexed nor reported"
    return ""


def _check_pages(server: LiveServer, named: list, sources: dict, failures: list) -> int:
    """Every indexed digest's page and each marker's search: no markup from the digests."""
    checked = 0
    doc_ids = [i for s in sources.values() for i in s.doc_ids]
    for doc_id in doc_ids:
        checked += _check_html(server, f"/doc/{quote(doc_id)}", failures)
    for case, source in named:
        if not case.marker or source not in sources or not sources[source].doc_ids:
            continue
        checked += _check_html(server, "/search?q=" + quote(case.marker), failures)
        status, body = server.json("/api/search?q=" + quote(case.marker))
        checked += 1
        failures += [f"API {case.marker}: {p}" for p in search_problems(status, body, 10)]
        found = {r["doc_id"] for r in body.get("results", [])}
        if case.expect == hostile.GOOD and not found & set(sources[source].doc_ids):
            failures.append(f"{case.name}: its word {case.marker} finds {sorted(found)}")
    return checked


def _check_html(server: LiveServer, path: str, failures: list) -> int:
    status, _, body = server.get(path)
    if status != 200:
        failures.append(f"{path}: status {status}")
    failures += [f"{path}: {p}" for p in markup_problems(body.decode())]
    return 1


class _Elements(HTMLParser):
    """Every start tag of a page with its attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {k: v or "" for k, v in attrs}))


def _template_tags() -> set[str]:
    tags = set()
    for template in TEMPLATES.glob("*.html"):
        parser = _Elements()
        parser.feed(template.read_text())
        tags |= {tag for tag, _ in parser.elements}
    return tags


ALLOWED_TAGS = _template_tags() | {"mark"}


def markup_problems(html: str) -> list[str]:
    """Elements or attributes on a served page that our templates would never write."""
    parser = _Elements()
    parser.feed(html)
    problems = []
    for tag, attrs in parser.elements:
        active = _ACTIVE_SCHEMES.get(tag, (*_SCRIPT, "data:"))
        if tag not in ALLOWED_TAGS:
            problems.append(f"<{tag}> element")
        if tag == "script" and not attrs.get("src", "").startswith("/static/"):
            problems.append("a script that is not ours")
        if tag == "mark" and attrs:
            problems.append(f"<mark> with attributes {attrs}")
        for name, value in attrs.items():
            lowered = "".join(value.split()).lower()
            if name.startswith("on") or name == "style":
                problems.append(f"<{tag} {name}=…>")
            if name in _URL_ATTRIBUTES and lowered.startswith(active):
                problems.append(f"<{tag} {name}={value[:40]!r}>")
    return problems


def search_problems(status: int, body: dict, limit: int) -> list[str]:
    """What breaks the documented shape of a search answer (result or error)."""
    if status != 200:
        error = body.get("error", {})
        good = status in (400, 413) and set(error) == {"code", "message"}
        return [] if good else [f"status {status} with {str(body)[:200]}"]
    problems = [] if set(body) == SEARCH_KEYS else [f"keys {sorted(body)}"]
    results = body.get("results", [])
    problems += [] if len(results) <= limit else [f"{len(results)} results over limit {limit}"]
    for result in results:
        problems += [] if set(result) == RESULT_KEYS else [f"result keys {sorted(result)}"]
        problems += [f"snippet: {p}" for p in markup_problems(result.get("snippet", ""))]
    return problems


_SYNTAX = st.sampled_from(['"', "(", ")", "*", "-", "+", ":", "~", "^", "[", "]", "{", "}",
                           " OR ", " AND ", " NOT ", "title:", "lang:", "date:", "heading:",
                           "date:[2020 TO 2024]", "TO", "\\", "'", "’", " ", "\x00",
                           "\u202e"])  # fmt: skip
_WORDS = st.sampled_from(["Zhejiang", "Xi'an", "SINOPEC", "3+2", "CHN-RUS", "университет",
                          "Geely", "a", "the", "Zhejang", "x" * 300, "浙江大学", "ё"])  # fmt: skip
QUERIES = st.one_of(
    st.text(max_size=80),
    st.lists(st.one_of(_SYNTAX, _WORDS, st.text(max_size=8)), max_size=40).map("".join),
    st.integers(1, 700).map(lambda depth: "(" * depth + "Zhejiang" + ")" * (depth // 2)),
    st.text(min_size=450, max_size=1200),
)
PARAMS = st.fixed_dictionaries(
    {"q": QUERIES},
    optional={"limit": st.sampled_from(["1", "10", "100", "0", "101", "-1", "x", ""]),
              "page": st.sampled_from(["1", "2", "1000", "1001", "0", "1e3"]),
              "passages": st.sampled_from(["1", "0", "yes", ""]),
              "lang": st.sampled_from(["en", "ru", "zh", "", "<b>"]),
              "from": st.sampled_from(["2023", "2023-06", "2023-13-01", "yesterday", ""]),
              "to": st.sampled_from(["2024-12-31", "9999", "0000-00-00"])},
)  # fmt: skip


def query_fuzz(server: LiveServer, examples: int, random_seed: int = hostile.SEED) -> dict:
    """Generated queries and parameters against the HTTP API and the search page."""
    tried, failures = [0], []

    @settings(max_examples=examples, database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(params=PARAMS)
    def check(params):
        tried[0] += 1
        query_string = urlencode(params)
        status, _, raw = server.get("/api/search?" + query_string)
        if status == 414 and len(query_string) > MAX_REQUEST_LINE - 100:
            return  # refused by gunicorn before the app, as documented
        if len(raw) > MAX_RESPONSE_BYTES:
            failures.append(f"{len(raw)} bytes for {query_string[:200]}")
        try:
            body = json.loads(raw)
        except ValueError:
            failures.append(f"not JSON (status {status}) for {query_string[:200]}")
            return
        limit = int(params["limit"]) if params.get("limit", "").isdigit() else 10
        failures.extend(f"{query_string[:200]}: {p}" for p in search_problems(status, body, limit))
        if tried[0] % 10 == 0:  # the page too, for a tenth of them
            status, _, html = server.get("/search?" + query_string)
            if status not in (200, 400, 413):
                failures.append(f"page status {status} for {query_string[:200]}")
            failures.extend(f"page: {p}" for p in markup_problems(html.decode()))

    seed(random_seed)(check)()
    return {"queries tried": tried[0], "failures": failures}
