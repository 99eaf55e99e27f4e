#!/usr/bin/env bash
# Several app processes behind nginx on one machine, started and stopped together.
#
#   bash scripts/serve.sh --replicas 2 [--port 8501] [--address 0.0.0.0] [-- streamlit options]
#
# Starts N `python3 serve.py` processes on 127.0.0.1, ports P+1..P+N, against the configured store,
# and Debian's nginx in front on P (all interfaces unless --address), with sticky sessions: Streamlit
# keeps each browser session in one process, so every request of a browser goes to the same one
# (deploy/nginx.conf.template). nginx runs in the foreground as the current user, its files in a
# temporary folder. Ctrl-C, or any of the processes stopping, stops them all.
#
# More than one process needs PostgreSQL (PARTENARIAT_STORE=postgres): SQLite is one file on one
# machine's disk, and the Google Sheets writer must stay one per deployment. The processes share one
# data folder (PARTENARIAT_DATA_DIR: the pseudonym key and the generated host passcode live there).
set -euo pipefail
cd "$(dirname "$0")/.."

replicas=1
port=8501
address=""
extra=()
usage="usage: bash scripts/serve.sh --replicas N [--port P] [--address A] [-- streamlit options]"
while [ $# -gt 0 ]; do
  case "$1" in
    --replicas) replicas="${2:?$usage}"; shift 2 ;;
    --port) port="${2:?$usage}"; shift 2 ;;
    --address) address="${2:?$usage}"; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) echo "$usage"; exit 0 ;;
    *) echo "scripts/serve.sh: unknown option $1" >&2; echo "$usage" >&2; exit 2 ;;
  esac
done
if ! [[ "$replicas" =~ ^[1-9][0-9]*$ ]] || [ "$replicas" -gt 64 ]; then
  echo "scripts/serve.sh: --replicas must be a whole number from 1 to 64 (got '$replicas')." >&2; exit 2
fi
if ! [[ "$port" =~ ^[0-9]+$ ]] || [ "$port" -lt 1 ] || [ $((port + replicas)) -gt 65535 ]; then
  echo "scripts/serve.sh: --port must leave room for $replicas app ports after it (got '$port')." >&2; exit 2
fi
if ! command -v nginx >/dev/null; then
  echo "scripts/serve.sh: nginx is missing. Install Debian's package: sudo apt-get install nginx" >&2
  exit 2
fi

store="$(python3 -c 'from partenariat_core.config import load_settings; print(load_settings().store)')" || {
  echo "scripts/serve.sh: the settings could not be read (see above); nothing was started." >&2; exit 2; }
if [ "$replicas" -gt 1 ] && [ "$store" != "postgres" ]; then
  echo "scripts/serve.sh: $replicas processes need PostgreSQL (PARTENARIAT_STORE=postgres and" \
    "PARTENARIAT_DATABASE_URL); the store is '$store'. SQLite is one file on one machine, and the" \
    "Google Sheets writer must stay one per deployment: use --replicas 1 with it." >&2
  exit 2
fi
# QR codes and links point at the proxy, not at one process.
export PARTENARIAT_PUBLIC_URL="${PARTENARIAT_PUBLIC_URL:-http://localhost:$port}"

run_dir="$(mktemp -d -t partenariat-nginx-XXXXXX)"
chmod 755 "$run_dir"  # nginx's workers (another user when started as root) write their temp files here
pids=()
cleanup() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$run_dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

wait_healthy() {  # port: until the app answers /_stcore/health (60 s at most)
  python3 - "$1" <<'PY'
import sys, time, urllib.request
url = f"http://127.0.0.1:{sys.argv[1]}/_stcore/health"
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    try:
        with urllib.request.urlopen(url, timeout=2) as reply:
            if reply.read() == b"ok":
                sys.exit(0)
    except OSError:
        time.sleep(0.25)
sys.exit(1)
PY
}

upstreams=()
for i in $(seq 1 "$replicas"); do
  app_port=$((port + i))
  python3 serve.py --server.port "$app_port" --server.address 127.0.0.1 --server.headless true \
    ${extra[@]+"${extra[@]}"} &
  pids+=("$!")
  upstreams+=(--upstream "127.0.0.1:$app_port")
  # The first process creates the data folder's key and passcode and runs the migrations; the
  # others start once it answers, so they read what it wrote.
  if [ "$i" -eq 1 ] && ! wait_healthy "$app_port"; then
    echo "scripts/serve.sh: the first app process did not start (see above)." >&2; exit 1
  fi
done
for i in $(seq 2 "$replicas"); do
  wait_healthy $((port + i)) || { echo "scripts/serve.sh: app process $i did not start." >&2; exit 1; }
done

listen="$port"
[ -n "$address" ] && listen="$address:$port"
python3 deploy/render_nginx.py --listen "$listen" "${upstreams[@]}" --temp-dir "$run_dir" >"$run_dir/nginx.conf"
nginx -p "$run_dir" -c "$run_dir/nginx.conf" -e "$run_dir/error.log" -g 'daemon off;' &
pids+=("$!")
echo "scripts/serve.sh: $replicas app process(es) behind nginx on port $port ($PARTENARIAT_PUBLIC_URL)."
wait -n "${pids[@]}"
echo "scripts/serve.sh: a process stopped; stopping the others." >&2
exit 1
