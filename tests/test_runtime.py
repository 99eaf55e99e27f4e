"""Start-up: one runtime per process, a data folder checked before anything, serve.py refusing to
serve on a broken setting."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest
import streamlit as st

from partenariat_core.config import load_settings
from partenariat_core.datadir import ensure_data_dir
from partenariat_core.errors import ConfigError
from partenariat_core.pseudonym import Pseudonyms
from partenariat_core.runtime import replace_shared_runtime, shared_runtime, start_runtime

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("PARTENARIAT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PARTENARIAT_SECRETS_FILE", str(tmp_path / "absent.toml"))
    monkeypatch.setenv("PARTENARIAT_DEMO", "false")
    replace_shared_runtime(None)
    yield tmp_path
    replace_shared_runtime(None)


def test_one_runtime_per_process_whatever_clients_clear(env):
    # A websocket client's ``clear_cache`` message runs exactly this; it used to rebuild the runtime
    # (and start one more Sheets sync thread each time).
    first = shared_runtime()
    threads = threading.active_count()
    for _ in range(10):
        st.cache_resource.clear()
        st.cache_data.clear()
        assert shared_runtime() is first
    assert threading.active_count() == threads


def test_concurrent_first_calls_build_one_runtime(env):
    built = []

    def build():
        runtime = start_runtime()
        built.append(runtime)
        return runtime

    got = []
    workers = [threading.Thread(target=lambda: got.append(shared_runtime(build))) for _ in range(8)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=30)
    assert len(built) == 1 and len(got) == 8 and all(r is built[0] for r in got)


def test_replacing_the_runtime_closes_the_old_store(env):
    old = shared_runtime()
    closed = []
    old.store.close = lambda: closed.append(True)  # type: ignore[method-assign]
    replace_shared_runtime(start_runtime())
    assert closed == [True]
    assert shared_runtime() is not old


def test_a_data_folder_that_is_a_file_is_named_as_such(tmp_path):
    blocker = tmp_path / "data"
    blocker.write_text("oops")
    with pytest.raises(ConfigError) as info:
        ensure_data_dir(blocker)
    assert info.value.message("fr") == (
        f"Le dossier de données « {blocker} » est un fichier, pas un dossier (réglage PARTENARIAT_DATA_DIR)."
    )
    assert "is a file, not a folder" in info.value.message("en")


def test_a_read_only_data_folder_is_named_as_such():
    parent = Path(tempfile.mkdtemp(prefix="partenariat-ro-"))  # pytest's tmp_path is root-only
    parent.chmod(0o755)
    folder = parent / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        code = 1
        try:
            if os.geteuid() == 0:  # root may write anywhere: check as an ordinary user would run it
                os.setgid(65534)
                os.setuid(65534)
            ensure_data_dir(folder)
        except ConfigError as exc:
            os.write(write, exc.message("en").encode())
            code = 3
        finally:
            os._exit(code)
    os.close(write)
    _, status = os.waitpid(child, 0)
    message = os.read(read, 4096).decode()
    os.close(read)
    folder.chmod(0o755)
    shutil.rmtree(parent)
    assert os.waitstatus_to_exitcode(status) == 3
    assert message == (
        f"The data folder “{folder}” is read-only: the app must be able to write there (setting "
        "PARTENARIAT_DATA_DIR)."
    )


def test_a_new_data_folder_is_private_and_holds_a_private_pseudonym_key(env):
    runtime = shared_runtime()
    data = env / "data"
    assert oct(data.stat().st_mode & 0o777) == "0o700"
    assert oct((data / "pseudonym.key").stat().st_mode & 0o777) == "0o600"
    # The same key after a restart: a phone's answers keep their pseudonym.
    assert Pseudonyms.in_data_dir(data).of("token-123") == runtime.pseudonyms.of("token-123")
    assert runtime.pseudonyms.of("token-123") != runtime.pseudonyms.of("token-124")
    assert "token-123" not in runtime.pseudonyms.of("token-123")


def _serve(env_vars: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARTENARIAT_")}
    env.update({"PARTENARIAT_SECRETS_FILE": str(tmp_path / "absent.toml"), **env_vars})
    return subprocess.run(
        [sys.executable, "serve.py", "--server.port", "1", "--server.address", "127.0.0.1"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_serve_refuses_to_start_on_a_malformed_setting_and_says_why(tmp_path):
    # Before: a red box on every page, nothing on the console, and the server kept serving.
    done = _serve({"PARTENARIAT_DATA_DIR": str(tmp_path), "PARTENARIAT_REFRESH_SECONDS": "vite"}, tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "L'application ne peut pas démarrer : Réglage « PARTENARIAT_REFRESH_SECONDS » invalide : « vite » "
        "(attendu : un nombre de secondes entre 0,5 et 60)."
    )
    assert "Traceback" not in done.stderr and "You can now view" not in done.stdout


def test_serve_speaks_english_when_configured(tmp_path):
    env = {"PARTENARIAT_DATA_DIR": str(tmp_path), "PARTENARIAT_LANGUAGE": "en", "PARTENARIAT_STORE": "excel"}
    done = _serve(env, tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "The app cannot start: Invalid setting “PARTENARIAT_STORE”: “excel” "
        "(expected: one of: sqlite, sheets, postgres)."
    )


def test_settings_are_typed_attributes(tmp_path):
    env = {"PARTENARIAT_REFRESH_SECONDS": "7", "PARTENARIAT_MAX_CARDS": "9"}
    settings = load_settings(env=env, secrets_file=tmp_path / "none.toml")
    assert settings.refresh_seconds == 7 and isinstance(settings.refresh_seconds, float)  # halves allowed
    assert settings.max_cards == 9 and isinstance(settings.max_cards, int)
    assert settings.values["refresh_seconds"] == 7


def test_processes_starting_at_once_on_an_empty_data_folder_agree_on_key_and_passcode(tmp_path):
    # Replicas start together: before, the key file was created empty and then written, so a second
    # process could read it empty and fail to start, or two could write different keys.
    from partenariat_core.passcode import resolve_host_passcode

    script = (
        "import sys; from pathlib import Path\n"
        "from partenariat_core.pseudonym import Pseudonyms\n"
        "from partenariat_core.passcode import resolve_host_passcode\n"
        "d = Path(sys.argv[1])\n"
        "print(Pseudonyms.in_data_dir(d).of('token'), resolve_host_passcode(None, d)[0])\n"
    )
    data = tmp_path / "shared"
    data.mkdir()
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(data)], cwd=ROOT, stdout=subprocess.PIPE, text=True
        )
        for _ in range(8)
    ]
    outputs = {run.communicate(timeout=60)[0].strip() for run in runs}
    assert all(run.returncode == 0 for run in runs)
    assert len(outputs) == 1
    pseudonym, passcode = outputs.pop().split()
    assert pseudonym == Pseudonyms.in_data_dir(data).of("token")
    assert passcode == resolve_host_passcode(None, data)[0]
    assert sorted(p.name for p in data.iterdir()) == ["host_passcode.txt", "pseudonym.key"]  # no leftovers


def test_screens_see_another_process_answers_within_one_refresh(env):
    # A write by another process (a replica, the command line) only shows once the shared snapshot's
    # ttl runs out; a ttl of 1 s with the 0.5 s refresh would hand a screen the same board twice.
    runtime = start_runtime()
    try:
        assert runtime.live.ttl < runtime.settings.refresh_seconds
    finally:
        runtime.close()
