#!/usr/bin/env bash
# Install everything the tests need (the package and its test extra in a virtual environment of
# their own; Debian's chromium, fonts, Tesseract, poppler-utils and LibreOffice Writer; axe-core
# from npm) and run them. A server started with the README's first command keeps its own
# installed package: this never reinstalls it, so both can run side by side.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV="${DIGEST_SEARCH_TEST_VENV:-.venv-test}"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
PYTHON="$VENV/bin/python"
"$PYTHON" -m pip install --quiet --disable-pip-version-check --upgrade pip
"$PYTHON" -m pip install --quiet --disable-pip-version-check -e '.[test]'

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "Installing Debian's chromium for the browser tests..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "chromium is missing: run 'sudo apt-get install chromium' and try again" >&2
    exit 1
  fi
fi

# Debian's packages the other tests use: DejaVu fonts (a Cyrillic face for the test PDFs),
# Tesseract with its Russian, Chinese and English models (OCR of scans), poppler-utils
# (pdftotext, the reference text of a PDF) and LibreOffice Writer (that of .odt and .rtf).
PACKAGES="fonts-dejavu-core tesseract-ocr tesseract-ocr-rus tesseract-ocr-chi-sim tesseract-ocr-eng
poppler-utils libreoffice-writer-nogui"
if command -v dpkg >/dev/null 2>&1; then
  missing=$(for package in $PACKAGES; do dpkg -s "$package" >/dev/null 2>&1 || echo "$package"; done)
  if [ -n "$missing" ] && [ "$(id -u)" -eq 0 ]; then
    echo "Installing Debian's" $missing "..."
    apt-get update -qq
    # shellcheck disable=SC2086  # one word per package
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
  elif [ -n "$missing" ]; then
    echo "missing Debian packages: run 'sudo apt-get install" $missing "' and try again" >&2
    exit 1
  fi
fi
# axe-core (npm), which the browser tests inject into pages to check their accessibility.
if [ ! -f node_modules/axe-core/axe.min.js ]; then
  npm ci --no-audit --no-fund --silent
fi

"$PYTHON" -m ruff check .
"$PYTHON" -m ruff format --check .
"$PYTHON" -m pytest "$@"
