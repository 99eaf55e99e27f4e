#!/usr/bin/env bash
# Install the runtime dependencies and start the app on the embedded SQLite store with the demo session.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check -r requirements.txt
exec python3 serve.py "$@"
