"""The shipped deployment files: the nginx template, scripts/serve.sh, docker-compose.yml, Dockerfile.

The template is rendered and checked by nginx itself (``nginx -t``); ``scripts/serve.sh`` is run for
real: it refuses several processes on SQLite or Google Sheets, and with PostgreSQL it starts two app
processes and nginx, answers through the proxy, and stops everything on Ctrl-C.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from nginx_server import render_module

ROOT = Path(__file__).resolve().parents[1]
SERVE_SH = ROOT / "scripts" / "serve.sh"
render = render_module()


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    assert found, "nginx is missing: run `bash scripts/test.sh` (it installs Debian's nginx)"
    return found


def test_render_fills_every_placeholder_and_refuses_missing_or_unknown_ones():
    text = render.render(render.values_for("127.0.0.1:9000", ["127.0.0.1:9001", "127.0.0.1:9002"], "/t"))
    assert "{{" not in text and "}}" not in text
    assert "        server 127.0.0.1:9001 max_fails=0;\n        server 127.0.0.1:9002 max_fails=0;" in text
    assert "listen 127.0.0.1:9000;" in text
    assert "client_body_temp_path /t/client_body;" in text
    with pytest.raises(KeyError, match="missing \\['listen'\\]"):
        render.render({}, "listen {{ listen }};")
    with pytest.raises(KeyError, match="unused \\['extra'\\]"):
        render.render({"listen": "1", "extra": "2"}, "listen {{ listen }};")
    with pytest.raises(ValueError):
        render.values_for("9000", [], "/t")


def test_the_template_keeps_websockets_long_reads_no_buffering_and_affinity():
    text = render.TEMPLATE.read_text(encoding="utf-8")
    stream = text[text.index("location /_stcore/stream") :]
    stream = stream[: stream.index("}")]
    assert "proxy_set_header Upgrade $http_upgrade;" in stream
    assert "proxy_set_header Connection $connection_upgrade;" in stream
    assert "proxy_http_version 1.1;" in text
    assert "proxy_read_timeout 3600s;" in text
    assert "proxy_buffering off;" in text
    assert re.search(r"upstream partenariat \{\s*hash \$partenariat_affinity consistent;", text)


def test_nginx_accepts_the_rendered_configuration(tmp_path):
    conf = tmp_path / "nginx.conf"
    values = render.values_for("127.0.0.1:9000", ["127.0.0.1:9001", "127.0.0.1:9002"], str(tmp_path))
    conf.write_text(render.render(values), encoding="utf-8")
    check = subprocess.run(
        [nginx_binary(), "-t", "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "error.log")],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stderr
    assert "test is successful" in check.stderr


def run_serve_sh(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(SERVE_SH), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def base_env(tmp_path: Path, **settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARTENARIAT_")}
    env |= {
        "PARTENARIAT_DATA_DIR": str(tmp_path / "data"),
        "PARTENARIAT_SECRETS_FILE": str(tmp_path / "no-secrets.toml"),
        "PARTENARIAT_DEMO": "false",
    }
    return env | {f"PARTENARIAT_{k.upper()}": v for k, v in settings.items()}


@pytest.mark.parametrize("store", ["sqlite", "sheets"])
def test_serve_sh_refuses_several_processes_without_postgres(tmp_path, store):
    result = run_serve_sh(base_env(tmp_path, store=store), "--replicas", "2", "--port", "1")
    assert result.returncode == 2
    assert "2 processes need PostgreSQL" in result.stderr
    assert f"the store is '{store}'" in result.stderr
    assert not (tmp_path / "data").exists()  # nothing started, nothing written


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--replicas", "0"), "--replicas must be a whole number from 1 to 64"),
        (("--replicas", "two"), "--replicas must be a whole number from 1 to 64"),
        (("--replicas", "2", "--port", "65534"), "--port must leave room for 2 app ports"),
        (("--bogus",), "unknown option --bogus"),
    ],
)
def test_serve_sh_explains_bad_options(tmp_path, args, message):
    result = run_serve_sh(base_env(tmp_path, store="postgres"), *args)
    assert result.returncode == 2
    assert message in result.stderr


def three_free_ports() -> int:
    """A port P with P, P+1 and P+2 free on the loopback (bounded tries)."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if port + 2 > 65535:
            continue
        try:
            socks = []
            for p in (port, port + 1, port + 2):
                s = socket.socket()
                socks.append(s)
                s.bind(("127.0.0.1", p))
            return port
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    raise AssertionError("no three consecutive free ports")


def listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_serve_sh_runs_two_processes_behind_nginx_and_stops_them_on_ctrl_c(tmp_path, postgres_url):
    nginx_binary()
    port = three_free_ports()
    env = base_env(tmp_path, store="postgres", database_url=postgres_url, host_passcode="SERVE-SH-TEST-1")
    log = (tmp_path / "serve.log").open("w")
    script = subprocess.Popen(
        ["bash", str(SERVE_SH), "--replicas", "2", "--port", str(port), "--address", "127.0.0.1"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        banner = ""
        while "behind nginx" not in banner:
            assert script.poll() is None, (tmp_path / "serve.log").read_text()
            assert time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
            time.sleep(0.25)
            banner = (tmp_path / "serve.log").read_text()
        assert f"2 app process(es) behind nginx on port {port} (http://localhost:{port})" in banner
        for p in (port + 1, port + 2):  # each app process answers on its own port
            with urllib.request.urlopen(f"http://127.0.0.1:{p}/_stcore/health", timeout=10) as reply:
                assert reply.read() == b"ok"
        answered = False
        while not answered and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=10) as reply:
                    answered = reply.read() == b"ok"
                    cookies = reply.headers.get_all("Set-Cookie") or []
            except OSError:
                time.sleep(0.25)
        assert answered, (tmp_path / "serve.log").read_text()
        assert any(c.startswith("partenariat_replica=") for c in cookies)
        assert (tmp_path / "data" / "pseudonym.key").exists()  # one data folder, shared
    finally:
        script.send_signal(signal.SIGINT)  # what Ctrl-C sends to the script
        try:
            code = script.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(script.pid, signal.SIGKILL)
            script.wait(timeout=15)
            raise
        log.close()
    assert code == 130
    deadline = time.monotonic() + 30
    while any(listening(p) for p in (port, port + 1, port + 2)) and time.monotonic() < deadline:
        time.sleep(0.25)
    assert not any(listening(p) for p in (port, port + 1, port + 2))


# docker-compose.yml and the Dockerfile cannot be run here (no registry): they are read, and checked
# against the nginx template and the app's own settings.


def compose() -> dict:
    import yaml

    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_compose_runs_postgres_the_app_replicated_and_nginx():
    services = compose()["services"]
    assert set(services) == {"postgres", "init", "app", "nginx"}
    app = services["app"]
    assert app["deploy"]["replicas"] == "${PARTENARIAT_REPLICAS:-2}"
    assert app["build"] == "." and services["init"]["build"] == "."
    assert app["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert app["depends_on"]["init"]["condition"] == "service_completed_successfully"
    assert services["nginx"]["depends_on"]["app"]["condition"] == "service_healthy"
    assert "ports" not in app  # only nginx is published; replicas cannot all bind one host port


def test_compose_app_settings_point_at_its_postgres_and_share_one_data_folder():
    from partenariat_core.config import ENV_PREFIX, SETTINGS

    services = compose()["services"]
    env = services["app"]["environment"]
    known = {ENV_PREFIX + s.name.upper() for s in SETTINGS} | {"FORWARDED_ALLOW_IPS"}
    assert set(env) <= known, set(env) - known
    assert env["FORWARDED_ALLOW_IPS"] == "*"  # nginx's container forwards the browser's address
    assert env["PARTENARIAT_STORE"] == "postgres"
    pg = services["postgres"]["environment"]
    url = re.fullmatch(
        r"postgresql://(\w+):(\$\{POSTGRES_PASSWORD[^}]*\})@(\w+):5432/(\w+)", env["PARTENARIAT_DATABASE_URL"]
    )
    assert url, env["PARTENARIAT_DATABASE_URL"]
    assert url.group(1) == pg["POSTGRES_USER"] and url.group(4) == pg["POSTGRES_DB"]
    assert url.group(3) == "postgres" and url.group(3) in services
    assert url.group(2).startswith("${POSTGRES_PASSWORD") and pg["POSTGRES_PASSWORD"].startswith(
        "${POSTGRES_PASSWORD"
    )
    assert env["PARTENARIAT_HOST_PASSCODE"].startswith("${PARTENARIAT_HOST_PASSCODE:?")  # one for all
    data_dir = env["PARTENARIAT_DATA_DIR"]
    for name in ("app", "init"):
        assert f"appdata:{data_dir}" in services[name]["volumes"]
    assert data_dir in services["init"]["command"][-1]
    assert "appdata" in compose()["volumes"] and "pgdata" in compose()["volumes"]


def test_compose_nginx_uses_the_template_rendered_for_the_app_service_and_port():
    services = compose()["services"]
    nginx = services["nginx"]
    mount = "./deploy/nginx-compose.conf:/etc/partenariat/nginx.conf:ro"
    assert nginx["volumes"] == [mount]
    assert nginx["command"][:3] == ["nginx", "-c", "/etc/partenariat/nginx.conf"]
    shipped = (ROOT / "deploy" / "nginx-compose.conf").read_text(encoding="utf-8")
    assert shipped == render.render(render.compose_values()), "run: python3 deploy/render_nginx.py --compose"
    assert render.COMPOSE_APP in services
    assert f"server {render.COMPOSE_APP}:{render.COMPOSE_APP_PORT} max_fails=0;" in shipped
    assert nginx["ports"] == [f"${{PARTENARIAT_PORT:-8080}}:{render.COMPOSE_PROXY_PORT}"]
    assert f"listen {render.COMPOSE_PROXY_PORT};" in shipped
    command = services["app"]["command"]
    assert command[:2] == ["python3", "serve.py"]
    assert command[command.index("--server.port") + 1] == str(render.COMPOSE_APP_PORT)
    assert command[command.index("--server.address") + 1] == "0.0.0.0"
    assert services["app"]["expose"] == [str(render.COMPOSE_APP_PORT)]
    assert "http://localhost:8080" in services["app"]["environment"]["PARTENARIAT_PUBLIC_URL"]


def test_the_dockerfile_serves_on_the_port_compose_and_nginx_expect():
    docker = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    port = render.COMPOSE_APP_PORT
    assert re.search(rf"^EXPOSE {port}$", docker, re.M)
    assert f"http://127.0.0.1:{port}/_stcore/health" in docker
    cmd = re.search(r"^CMD (\[.*\])$", docker, re.M)
    assert cmd and json.loads(cmd.group(1)) == compose()["services"]["app"]["command"]  # exec form is JSON
    assert "pip install --no-cache-dir -r requirements.txt" in docker
    assert re.search(r"^USER partenariat$", docker, re.M)  # not root
    assert "ENV PARTENARIAT_DATA_DIR=/data" in docker
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {"data/", ".git", ".streamlit/secrets.toml", "*.db"} <= set(ignored)


def test_the_deployment_guide_is_linked_and_its_paths_and_pool_size_are_true():
    import inspect

    from partenariat_core.store.postgres import PostgresStore

    guide = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
    assert "(docs/deployment.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
    for path in set(re.findall(r"`((?:deploy|scripts|bench|partenariat_core)/[\w./-]+\.\w+)`", guide)):
        if "(when present)" not in guide.split(path, 1)[1][:20]:
            assert (ROOT / path).exists(), path
    max_size = inspect.signature(PostgresStore).parameters["max_size"].default
    assert f"at most **{max_size}** connections" in guide
    assert f"**{max_size + 1} per process**" in guide
    assert "bash scripts/serve.sh --replicas 2" in guide
