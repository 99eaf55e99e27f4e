"""Start Partenariat Live: check everything, start the store, then serve. ``scripts/run.sh`` runs this.

    python serve.py [any ``streamlit run`` option, e.g. --server.port 8502 --server.address 0.0.0.0]

``streamlit run app.py`` alone would build the runtime at the first page view: a broken setting would
show as a red box on every page while the server kept serving, the generated passcode would be printed
only then, and after a restart the Sheets writer would wait for someone to open a page before sending
what the outbox holds. Here the runtime is built first, in this process, before the server listens;
the pages find it already running (``partenariat_core.runtime.shared_runtime``). A configuration
error is printed on the console and the server does not start (exit status 2).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from partenariat_core import PartenariatError, normalize_language, shared_runtime, t

APP = Path(__file__).with_name("app.py")


def main(argv: Sequence[str]) -> int:
    lang = normalize_language(os.environ.get("PARTENARIAT_LANGUAGE"))
    try:
        runtime = shared_runtime()
    except PartenariatError as exc:
        print(t("app.start_failed", lang, problem=exc.message(lang)), file=sys.stderr, flush=True)
        return 2
    del runtime  # built and running; the pages find it
    from streamlit.web import cli  # imported late: a configuration error answers without loading it

    sys.argv = ["streamlit", "run", str(APP), *argv]
    return cli.main()  # type: ignore[no-any-return]  # click's standalone mode exits by itself


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
