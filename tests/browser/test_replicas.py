"""Two app processes on one PostgreSQL, Debian's nginx in front, in a real browser.

The processes share one data folder (the pseudonym key lives there, so the same phone has the same
pseudonym on both) and one configured host passcode, as ``scripts/serve.sh`` runs them. A phone on
replica A posts a card and a projector screen on replica B shows it: the store, not a process, holds
the room. Then the same through nginx: the page and its websocket (``/_stcore/stream``) go through the
proxy, a card posts, and every request of one browser reaches one process (the affinity cookie).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from live_server import PASSCODE, REFRESH_SECONDS, ROOT, free_port
from nginx_server import NginxServer, start_nginx

from partenariat_core import create_session, join_url, load_instruments
from partenariat_core.agenda import screen_url
from partenariat_core.sessions import ensure_screen_key
from partenariat_core.store.postgres import PostgresStore

pytestmark = pytest.mark.browser
FOLLOW_MS = 30_000
TITLE = "Deux répliques, une salle"


@dataclass
class Replica:
    url: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path


def start_replica(name: str, data_dir: Path, env: dict[str, str]) -> Replica:
    port = free_port()
    log = data_dir.parent / f"replica-{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "serve.py", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"replica {name} exited: {log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                if reply.read() == b"ok":
                    return Replica(url, port, process, log)
        except OSError:
            time.sleep(0.25)
    process.kill()
    process.wait(timeout=15)
    raise RuntimeError(f"replica {name} did not become healthy within 60 s")


def stop_replica(replica: Replica) -> None:
    replica.process.terminate()
    try:
        replica.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        replica.process.kill()
        replica.process.wait(timeout=15)


@pytest.fixture(scope="module")
def deployment(postgres_server, tmp_path_factory) -> Iterator[tuple]:
    """A session on the test's PostgreSQL, replicas A and B on it, nginx in front of both."""
    database = "replicas_browser"
    url = postgres_server.create_database(database)
    store = PostgresStore(url)
    session = create_session(store, load_instruments(), TITLE, instrument_ids=("keep_throw",))
    key_session = ensure_screen_key(store, session.code)
    folder = tmp_path_factory.mktemp("replicas")
    data_dir = folder / "data"
    data_dir.mkdir()
    env = {
        **os.environ,
        "PARTENARIAT_STORE": "postgres",
        "PARTENARIAT_DATABASE_URL": url,
        "PARTENARIAT_DATA_DIR": str(data_dir),
        "PARTENARIAT_DEMO": "false",
        "PARTENARIAT_HOST_PASSCODE": PASSCODE,
        "PARTENARIAT_REFRESH_SECONDS": str(REFRESH_SECONDS),
        "PARTENARIAT_SECRETS_FILE": str(folder / "no-secrets.toml"),
    }
    replicas: list[Replica] = []
    proxy: NginxServer | None = None
    try:
        # A first: it makes the data folder's pseudonym key, B reads it (as scripts/serve.sh does)
        replicas.append(start_replica("a", data_dir, env))
        replicas.append(start_replica("b", data_dir, env))
        proxy = start_nginx([r.port for r in replicas])
        yield replicas, proxy, store, session.code, key_session
    finally:
        if proxy is not None:
            proxy.stop()
        for replica in replicas:
            stop_replica(replica)
        store.close()
        postgres_server.drop_database(database)


def post_card(phone, text: str) -> None:
    phone.get_by_role("heading", name=TITLE).wait_for()
    phone.get_by_label("Votre carte").fill(text)
    phone.get_by_role("button", name="Publier la carte").click()
    phone.get_by_text("Carte publiée").wait_for()


def stored_texts(store: PostgresStore, code: str) -> list[str]:
    return [e.text for e in store.read_events(code) if e.text]


def test_a_card_posted_on_replica_a_shows_on_a_screen_of_replica_b(browser, deployment, artifacts):
    (a, b), _, store, code, key_session = deployment
    projector = browser.new_page(viewport={"width": 1920, "height": 1080})
    projector.set_default_timeout(FOLLOW_MS)
    projector.goto(screen_url(b.url, key_session, 1))
    projector.locator(".pl-screen").wait_for()
    assert projector.get_by_text("Une carte écrite sur la réplique A").count() == 0

    phone = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone.set_default_timeout(FOLLOW_MS)
    phone.goto(join_url(a.url, code))
    post_card(phone, "Une carte écrite sur la réplique A")
    projector.get_by_text("Une carte écrite sur la réplique A").wait_for(timeout=FOLLOW_MS)
    projector.screenshot(path=str(artifacts / "replica-b-screen.png"))
    assert stored_texts(store, code).count("Une carte écrite sur la réplique A") == 1
    phone.close()
    projector.close()


def test_through_nginx_the_page_and_its_websocket_work_and_stay_on_one_process(
    browser, deployment, artifacts
):
    replicas, proxy, store, code, key_session = deployment
    phone = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone.set_default_timeout(FOLLOW_MS)
    phone.goto(join_url(proxy.url, code))
    post_card(phone, "Une carte passée par nginx")
    projector = browser.new_page(viewport={"width": 1920, "height": 1080})
    projector.set_default_timeout(FOLLOW_MS)
    projector.goto(screen_url(proxy.url, key_session, 1))
    projector.get_by_text("Une carte passée par nginx").wait_for(timeout=FOLLOW_MS)
    assert stored_texts(store, code).count("Une carte passée par nginx") == 1

    cookies = {c["name"]: c["value"] for c in phone.context.cookies()}
    affinity = cookies["partenariat_replica"]
    assert re.fullmatch(r"[0-9a-f]{32}", affinity)  # nginx's $request_id
    phone.close()
    projector.close()
    # the access log: the websocket was upgraded (101), and every request carrying that cookie
    # reached the same app process
    log = (proxy.folder / "access.log").read_text()
    assert re.search(r'"GET /_stcore/stream HTTP/1\.1" 101 ', log), log[-2000:]
    served = set(re.findall(rf"upstream=(\S+) affinity={affinity}$", log, re.M))
    assert len(served) == 1, served
    assert served <= {f"127.0.0.1:{r.port}" for r in replicas}


def test_the_affinity_cookie_pins_each_browser_and_spreads_browsers_over_both(deployment):
    """Twenty browsers (cookie values) asking five times each: each always reaches one process, and
    between them they reach both. The values are fixed, so the spread is the same on every run."""
    replicas, proxy, *_ = deployment
    values = [f"{n:032x}" for n in range(1, 21)]
    for value in values:
        for _ in range(5):
            request = urllib.request.Request(
                f"{proxy.url}/_stcore/health", headers={"Cookie": f"partenariat_replica={value}"}
            )
            with urllib.request.urlopen(request, timeout=10) as reply:
                assert reply.read() == b"ok"
                ours = [c for c in reply.headers.get_all("Set-Cookie") or [] if "partenariat_replica" in c]
                assert ours == []  # a browser keeps the cookie it has
    log = (proxy.folder / "access.log").read_text()
    reached: dict[str, set[str]] = {}
    for upstream, value in re.findall(r"upstream=(\S+) affinity=([0-9a-f]{32})$", log, re.M):
        reached.setdefault(value, set()).add(upstream)
    assert all(len(reached[v]) == 1 for v in values), {v: reached.get(v) for v in values}
    assert set().union(*(reached[v] for v in values)) == {f"127.0.0.1:{r.port}" for r in replicas}
    with urllib.request.urlopen(f"{proxy.url}/_stcore/health", timeout=10) as reply:
        ours = [c for c in reply.headers.get_all("Set-Cookie") or [] if "partenariat_replica" in c]
    assert len(ours) == 1 and re.fullmatch(
        r"partenariat_replica=[0-9a-f]{32}; Path=/; HttpOnly; SameSite=Lax", ours[0]
    ), ours


def test_behind_nginx_the_passcode_throttle_counts_the_browsers_own_address(browser, deployment):
    """Behind nginx the throttle must count each browser's address, not the proxy's (else one guesser
    would make every host wait). Streamlit's server (uvicorn) takes the client address from
    X-Forwarded-For when the connection comes from 127.0.0.1, which nginx sends (appending the address
    it saw). On the loopback every browser is 127.0.0.1, so the browser's "own address" here is a
    header it sends itself (TEST-NET-3); a Streamlit that ignored forwarded addresses fails this."""
    replicas, proxy, _, code, _ = deployment
    page = browser.new_page(extra_http_headers={"X-Forwarded-For": "203.0.113.7"})
    page.set_default_timeout(FOLLOW_MS)
    page.goto(f"{proxy.url}/remote?session={code}")
    page.get_by_label("Code d'animation").fill("PAS-LE-BON-CODE")
    page.get_by_role("button", name="Entrer").click()
    page.get_by_text("Code d'animation incorrect").wait_for()
    page.close()
    logs = "".join(r.log.read_text(errors="replace") for r in replicas)
    assert "Wrong host passcode from address 203.0.113.7: failure 1 from this address" in logs
