"""What a join costs Streamlit itself: server CPU per page load of pages that do nothing of ours.

Two throwaway scripts are served with the same runner settings as the app (``.streamlit/config.toml``:
no source watcher, no collection after each run; the app's collector thresholds, ``ui/runtime.py``):

- ``bare``: one line of Markdown, what any Streamlit page costs to open;
- ``shaped``: the shape of a phone's page in free mode, without our code: a style tag, a title, four
  activities, each a header and a form in its own fragment (two 5-option radios, or one, a Markdown
  help line, a Send button), a host-check fragment on a timer, a footer (38 deltas; ours draws 47).

Tabs open through Streamlit's own websocket protocol (``bench/st_client.py``) at ``--rate`` per second
and stay connected, as phones do. Printed: server CPU per join (from ``/proc``), join p50/p95. Set it
beside ``bench_server.py --forms '' --projectors 0`` (our page, free mode) and ``--guided`` (the join
step) run in the same minutes: what is left above ``shaped`` is ours to cut, what is below is not.

    python bench/bench_streamlit_floor.py                 # 400 tabs at 40/s on each page
    python bench/bench_streamlit_floor.py --tabs 800 --rate 40

A benchmark, not a test: nothing in CI runs it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from st_client import StreamlitTab

CLK_TCK = os.sysconf("SC_CLK_TCK")
COLLECTOR = (  # the app's collector settings (ui/runtime.py), set at the first run
    "import gc\nif gc.get_threshold()[0] != 10_000:\n    gc.freeze()\n    gc.set_threshold(10_000, 10, 10)\n"
)
PAGES = {
    "bare": COLLECTOR + "import streamlit as st\nst.markdown('Bonjour')\n",
    "shaped": COLLECTOR
    + """import streamlit as st
st.html("<style>.pl-x { color: #1f4e9c; }</style>")
st.title("Atelier de bench")
st.caption("Code de la session : BENCH1")

def activity(i):
    with st.form(f"form{i}"):
        st.markdown(f"**Question {i}**")
        for j in range(2 if i < 4 else 1):
            st.radio(f"Choix {i}.{j}", ["1", "2", "3", "4", "5"], index=None, key=f"r{i}{j}", horizontal=True)
        st.markdown("Une ligne d'aide.")
        st.form_submit_button("Envoyer", width="stretch")

fragment = st.fragment(activity)
for i in range(4):
    st.header(f"Activité {i}", divider="gray")
    fragment(i)

@st.fragment(run_every=3)
def host_check():
    st.markdown("")

host_check()
st.caption("Pied de page")
""",
}


def server_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def measure(script: Path, tabs: int, rate: float) -> tuple[float, float, float, int]:
    """Serve ``script``, open ``tabs`` tabs at ``rate``/s: CPU per join (ms), join p50, p95 (s), failures."""
    port = free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port)]
    cmd += [
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]
    cmd += [
        "--server.fileWatcherType",
        "none",
        "--runner.postScriptGC",
        "false",
        "--runner.fastReruns",
        "true",
    ]
    server = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    opened: list[StreamlitTab] = []
    try:
        for _ in range(300):  # bounded: 30 s for the server to listen
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1).close()
                break
            except OSError:
                await asyncio.sleep(0.1)
        base = f"ws://127.0.0.1:{port}"
        warm = StreamlitTab(base)  # the first run imports what the page needs
        opened.append(warm)
        await warm.connect()
        await warm.run()
        seconds: list[float] = []
        failures = 0

        async def join() -> None:
            nonlocal failures
            tab = StreamlitTab(base)
            opened.append(tab)
            await tab.connect()
            result = await tab.run()
            seconds.append(result.seconds)
            failures += not result.ok

        before = server_cpu(server.pid)
        start = time.perf_counter()
        tasks = []
        for i in range(tabs):
            tasks.append(asyncio.create_task(join()))
            await asyncio.sleep(max(0.0, start + (i + 1) / rate - time.perf_counter()))
        await asyncio.gather(*tasks)
        await asyncio.sleep(0.5)  # the last messages leave
        cpu = server_cpu(server.pid) - before
        cuts = statistics.quantiles(seconds, n=20)
        return 1000 * cpu / tabs, statistics.median(seconds), cuts[18], failures
    finally:
        for tab in opened:
            await tab.close()
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tabs", type=int, default=400)
    parser.add_argument("--rate", type=float, default=40.0, help="tabs opened per second")
    parser.add_argument(
        "--rounds", type=int, default=2, help="each page measured this many times, interleaved"
    )
    args = parser.parse_args()
    py = platform.python_version()
    print(f"bench_streamlit_floor: {args.tabs} tabs at {args.rate:g}/s; {os.cpu_count()} CPUs, Python {py}")
    with tempfile.TemporaryDirectory(prefix="bench_floor_") as tmp:
        for round_ in range(args.rounds):
            for name, source in PAGES.items():
                script = Path(tmp) / f"{name}.py"
                script.write_text(source, encoding="utf-8")
                ms, p50, p95, failures = asyncio.run(measure(script, args.tabs, args.rate))
                print(
                    f"  round {round_ + 1} {name:7} server CPU per join {ms:5.2f} ms   "
                    f"join p50 {p50:.3f} s  p95 {p95:.3f} s   failed runs {failures}",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
