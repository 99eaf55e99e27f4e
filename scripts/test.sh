#!/usr/bin/env bash
# Install everything the tests need, then run the linters and the whole test suite.
# This is the README's test command; .ci/run calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt

# Browser tests and PNG/PDF exports drive Debian's Chromium (Playwright cannot download its own).
if [ ! -x /usr/bin/chromium ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
export BROWSER_PATH=/usr/bin/chromium

# The PostgreSQL tests start a throwaway cluster with Debian's server binaries (tests/postgres_server.py).
if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null; } ||
    { echo "scripts/test.sh: could not install Debian's postgresql package (needs root or sudo);" \
      "the PostgreSQL tests start a private server with it." >&2; exit 1; }
fi

python3 -m ruff check .
python3 -m ruff format --check .
python3 -m pytest "$@"
