#!/usr/bin/env bash
# Install everything the tests need, then run the linters, the type checker and the whole test suite.
# This is the README's test command; .ci/run calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
apt_install() {  # Debian packages the tests drive; needs root or sudo the first time only
  $SUDO apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null ||
    { echo "scripts/test.sh: could not install Debian's $* (needs root or sudo)." >&2; exit 1; }
}

# Browser tests and PNG/PDF exports drive Debian's Chromium (Playwright cannot download its own).
[ -x /usr/bin/chromium ] || apt_install chromium
export BROWSER_PATH=/usr/bin/chromium

# The PostgreSQL tests start a throwaway cluster of their own with Debian's server binaries
# (tests/postgres_server.py) and stop it at the end. The package's own cluster, if installing it
# started one, is stopped so that nothing is left running.
if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  apt_install postgresql
  if command -v pg_lsclusters >/dev/null; then
    pg_lsclusters -h 2>/dev/null | while read -r version name _; do
      $SUDO pg_ctlcluster "$version" "$name" stop 2>/dev/null || true
    done
  fi
fi

# The replica tests put Debian's nginx in front of two app processes (tests/nginx_server.py runs it in
# the foreground in a temporary folder). If installing the package started its own service, it is
# stopped so that nothing is left listening.
if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
  apt_install nginx
  if [ -f /run/nginx.pid ] || pgrep -x nginx >/dev/null 2>&1; then
    $SUDO service nginx stop >/dev/null 2>&1 || $SUDO /usr/sbin/nginx -s stop 2>/dev/null || true
  fi
fi

python3 -m ruff check .
python3 -m ruff format --check .
python3 -m mypy
python3 -m pytest "$@"
