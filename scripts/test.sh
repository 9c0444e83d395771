#!/usr/bin/env bash
# Install everything the tests need (the package, its test extra, Debian's chromium) and run them.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --disable-pip-version-check -e '.[test]'

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

python3 -m ruff check .
python3 -m ruff format --check .
python3 -m pytest "$@"
