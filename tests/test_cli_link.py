"""``python -m partenariat_core link | unlink``: a session linked to a worksheet from a shell.

The worksheet is in the fake Sheets server; the link lands in the data folder, where the server's
follower reads it (tests/test_linked_sources.py follows links; here only the command line).
"""

from __future__ import annotations

import pytest

from partenariat_core.__main__ import main
from partenariat_core.fake_sheets import FakeSheetsServer
from partenariat_core.forms_source import LinkFile
from partenariat_core.model import Session
from partenariat_core.store import SQLiteStore

FORM = "1FormCliLink"
TAB = "Réponses au formulaire 1"
HEADERS = ["Horodateur", "Votre secteur", "Qu’est-ce qu’on garde ?", "Un mot pour la fin ?"]
CODE = "CLK234"


@pytest.fixture
def fake():
    with FakeSheetsServer() as server:
        server.quota.enabled = False
        server.create_spreadsheet(FORM, "Atelier (réponses)", sheets=[TAB, "Notes"])
        server.set_values(
            FORM, TAB, [HEADERS, ["20/11/2026 09:00:01", "Santé publique", "Une idée", "merci"]]
        )
        server.set_values(FORM, "Notes", [["Horodateur", "Qu’est-ce qu’on jette ?"]])
        yield server


@pytest.fixture
def data_dir(tmp_path, monkeypatch, fake):
    folder = tmp_path / "data"
    monkeypatch.setenv("PARTENARIAT_DATA_DIR", str(folder))
    monkeypatch.setenv("PARTENARIAT_SECRETS_FILE", str(tmp_path / "none.toml"))
    monkeypatch.setenv("PARTENARIAT_SHEETS_API_URL", fake.base_url)
    monkeypatch.setenv("PARTENARIAT_DEMO", "false")
    for name in ("STORE", "SQLITE_PATH", "INSTRUMENTS_DIR", "LANGUAGE"):
        monkeypatch.delenv(f"PARTENARIAT_{name}", raising=False)
    store = SQLiteStore(folder / "partenariat.db")
    store.create_session(
        Session(CODE, "Atelier", instruments=("keep_throw",), sectors=("community", "public_health"))
    )
    store.close()
    return folder


def test_link_maps_automatically_and_says_what_it_could_not(data_dir, capsys):
    url = f"https://docs.google.com/spreadsheets/d/{FORM}/edit#gid=0"
    assert main(["link", CODE.lower(), url]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (
        f"Session {CODE} reliée à l'onglet « {TAB} » de la feuille {FORM} : "
        "le serveur la lit désormais de lui-même."
    )
    keep = "Qu'est-ce qu'on garde / Qu'est-ce qu'on jette — Qu'est-ce qu'on garde"
    assert f"  Qu’est-ce qu’on garde ? → {keep}" in out
    assert "Colonnes non associées (non importées) : Un mot pour la fin ?" in out
    assert "Réponse non reconnue : « Santé publique » dans « Votre secteur » (1 fois)" in out
    [link] = LinkFile.in_data_dir(data_dir).load()
    assert (link.session, link.spreadsheet, link.worksheet, link.paused) == (CODE, FORM, TAB, False)
    assert link.mapping.timestamp_column == "Horodateur"

    # linking again refreshes the mapping, never a second link; another worksheet is a second link
    assert main(["--lang", "en", "link", CODE, FORM]) == 0
    assert capsys.readouterr().out.startswith(f"Session {CODE} was already linked")
    assert main(["link", CODE, FORM, "--worksheet", "Notes"]) == 0
    assert [lk.worksheet for lk in LinkFile.in_data_dir(data_dir).load()] == [TAB, "Notes"]


def test_unlink_ends_it_and_says_so(data_dir, capsys):
    assert main(["link", CODE, FORM]) == 0
    assert main(["link", CODE, FORM, "--worksheet", "Notes"]) == 0
    capsys.readouterr()
    assert main(["unlink", CODE, FORM, "--worksheet", "Notes"]) == 0
    assert [lk.worksheet for lk in LinkFile.in_data_dir(data_dir).load()] == [TAB]
    assert main(["unlink", CODE, FORM]) == 0
    assert LinkFile.in_data_dir(data_dir).load() == []
    capsys.readouterr()
    assert main(["unlink", CODE, FORM]) == 1
    assert (
        capsys.readouterr().err.strip()
        == f"La session {CODE} n'est reliée à aucun onglet de la feuille {FORM}."
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["link", "ZZZ999", FORM], "ZZZ999"),
        (["link", CODE, FORM, "--worksheet", "Absent"], "Pas d'onglet « Absent »"),
        (["link", CODE, "1NoSuchSheet"], "Classeur introuvable"),
    ],
)
def test_link_refuses_with_a_clear_message_and_saves_nothing(data_dir, capsys, args, message):
    assert main(args) == 1
    assert message in capsys.readouterr().err
    assert LinkFile.in_data_dir(data_dir).load() == []
