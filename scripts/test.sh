#!/usr/bin/env bash
# Install everything the tests need (the package and its test extra in a virtual environment of
# their own, Debian's chromium and fonts, axe-core from npm) and run them. A server started with the README's first command
# keeps its own installed package: this never reinstalls it, so both can run side by side.
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

# Debian's DejaVu fonts give the test PDFs a Cyrillic face.
if [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] && [ "$(id -u)" -eq 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-dejavu-core >/dev/null || true
fi
# axe-core (npm), which the browser tests inject into pages to check their accessibility.
if [ ! -f node_modules/axe-core/axe.min.js ]; then
  npm ci --no-audit --no-fund --silent
fi

"$PYTHON" -m ruff check .
"$PYTHON" -m ruff format --check .
"$PYTHON" -m pytest "$@"
