"""Render ``deploy/nginx.conf.template``: the one nginx configuration of every replicated deployment.

    python3 deploy/render_nginx.py --listen 8501 --upstream 127.0.0.1:8502 --upstream 127.0.0.1:8503 \
        --temp-dir /tmp/x > /tmp/x/nginx.conf

``scripts/serve.sh`` renders it with the ports of the processes it starts; ``deploy/nginx-compose.conf``
is the same template rendered with ``--compose`` for ``docker-compose.yml`` (a test checks the two
agree). Placeholders are ``{{ name }}``; a missing or unknown one is an error, so the template and this
renderer cannot drift apart silently. Plain string replacement: nginx's own ``$variables`` stay as they are.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

TEMPLATE = Path(__file__).with_name("nginx.conf.template")
COMPOSE_CONF = Path(__file__).with_name("nginx-compose.conf")
PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")

# What docker-compose.yml runs: the app service's replicas answer on APP_PORT under the name "app"
# (nginx resolves it once at start to every replica's address), nginx listens on PROXY_PORT.
COMPOSE_APP = "app"
COMPOSE_APP_PORT = 8501
COMPOSE_PROXY_PORT = 80


def render(values: Mapping[str, str], template: str | None = None) -> str:
    """The template with every ``{{ name }}`` replaced; ``KeyError`` names a missing or unused value."""
    text = TEMPLATE.read_text(encoding="utf-8") if template is None else template
    wanted = set(PLACEHOLDER.findall(text))
    missing, unused = wanted - set(values), set(values) - wanted
    if missing or unused:
        raise KeyError(f"template placeholders missing {sorted(missing)}, unused {sorted(unused)}")
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], text)


def values_for(
    listen: str,
    upstreams: Sequence[str],
    temp_dir: str,
    *,
    pid_file: str = "nginx.pid",
    error_log: str = "error.log",
    access_log: str = "access.log",
) -> dict[str, str]:
    """The placeholder values: where nginx listens, the app processes it spreads browsers over, and
    its own files (relative paths are under nginx's ``-p`` prefix)."""
    if not upstreams:
        raise ValueError("at least one upstream app process")
    servers = "\n".join(f"        server {u} max_fails=0;" for u in upstreams)
    return {
        "listen": listen,
        "upstream_servers": servers,
        "temp_dir": temp_dir,
        "pid_file": pid_file,
        "error_log": error_log,
        "access_log": access_log,
    }


def compose_values() -> dict[str, str]:
    """The values docker-compose.yml's nginx service runs with (logs to the container's output)."""
    return values_for(
        str(COMPOSE_PROXY_PORT),
        [f"{COMPOSE_APP}:{COMPOSE_APP_PORT}"],
        "/tmp",
        pid_file="/tmp/nginx.pid",
        error_log="/dev/stderr",
        access_log="/dev/stdout",
    )


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", help="address:port or port nginx listens on")
    parser.add_argument("--upstream", action="append", default=[], help="host:port of one app process")
    parser.add_argument("--temp-dir", help="folder for nginx's temporary files")
    parser.add_argument("--compose", action="store_true", help="the configuration docker-compose.yml uses")
    args = parser.parse_args(argv)
    if args.compose:
        sys.stdout.write(render(compose_values()))
        return 0
    if not (args.listen and args.upstream and args.temp_dir):
        parser.error("--listen, --upstream and --temp-dir are required (or --compose)")
    sys.stdout.write(render(values_for(args.listen, args.upstream, args.temp_dir)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
