"""Settings: defaults, the secrets file, the environment (which wins), and clear errors."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from partenariat_core.config import REPO_ROOT, SETTINGS, load_settings
from partenariat_core.errors import ConfigError


@pytest.fixture
def no_secrets(tmp_path):
    return tmp_path / "absent-secrets.toml"


def _secrets(tmp_path, text):
    path = tmp_path / "secrets.toml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_defaults_without_env_or_secrets(no_secrets):
    settings = load_settings(env={}, secrets_file=no_secrets)
    assert settings.store == "sqlite"
    assert settings.data_dir == REPO_ROOT / "data"
    # issue 15: half a second, so that a card shows on the screens within a second (bench/RESULTS.md)
    assert settings.refresh_seconds == 0.5
    assert settings.anonymity_threshold == 3
    assert settings.card_max_length == 280
    assert settings.max_cards == 30
    assert settings.demo is True
    assert settings.language == "fr"
    assert settings.host_passcode is None
    assert settings.secrets == {}


def test_every_setting_has_a_value_and_help(no_secrets):
    settings = load_settings(env={}, secrets_file=no_secrets)
    for s in SETTINGS:
        assert s.name in settings.values
        assert s.help.strip(), s.name
    with pytest.raises(AttributeError):
        _ = settings.no_such_setting


def test_sqlite_file_defaults_to_a_file_in_data_dir(tmp_path, no_secrets):
    settings = load_settings(env={"PARTENARIAT_DATA_DIR": str(tmp_path / "d")}, secrets_file=no_secrets)
    assert settings.sqlite_file == tmp_path / "d" / "partenariat.db"


def test_sqlite_path_overrides_the_default_file(tmp_path, no_secrets):
    env = {"PARTENARIAT_DATA_DIR": str(tmp_path / "d"), "PARTENARIAT_SQLITE_PATH": str(tmp_path / "x.db")}
    assert load_settings(env=env, secrets_file=no_secrets).sqlite_file == tmp_path / "x.db"


def test_the_secrets_file_sets_values(tmp_path):
    path = _secrets(
        tmp_path,
        """
        [partenariat]
        refresh_seconds = 5
        demo = false
        language = "en"
        host_passcode = "  s3cret-and-long  "

        [other]
        key = "kept for others"
        """,
    )
    settings = load_settings(env={}, secrets_file=path)
    assert settings.refresh_seconds == 5
    assert settings.demo is False
    assert settings.language == "en"
    assert settings.host_passcode == "s3cret-and-long"
    assert settings.secrets["other"] == {"key": "kept for others"}


def test_the_environment_wins_over_the_secrets_file(tmp_path):
    path = _secrets(
        tmp_path,
        """
        [partenariat]
        refresh_seconds = 5
        anonymity_threshold = 4
        """,
    )
    settings = load_settings(env={"PARTENARIAT_REFRESH_SECONDS": "7"}, secrets_file=path)
    assert settings.refresh_seconds == 7
    assert settings.anonymity_threshold == 4  # not in env: the file's value


def test_an_empty_env_value_falls_back_to_the_file(tmp_path):
    path = _secrets(tmp_path, "[partenariat]\nmax_cards = 12\n")
    assert load_settings(env={"PARTENARIAT_MAX_CARDS": ""}, secrets_file=path).max_cards == 12


def test_the_secrets_file_can_be_named_in_the_environment(tmp_path):
    path = _secrets(tmp_path, "[partenariat]\nmax_cards = 9\n")
    assert load_settings(env={"PARTENARIAT_SECRETS_FILE": str(path)}).max_cards == 9


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("PARTENARIAT_REFRESH_SECONDS", "soon"),
        ("PARTENARIAT_REFRESH_SECONDS", "0"),
        ("PARTENARIAT_REFRESH_SECONDS", "61"),
        ("PARTENARIAT_REFRESH_SECONDS", "0.2"),  # below half a second the tail is the server's queue
        ("PARTENARIAT_REFRESH_SECONDS", "nan"),
        ("PARTENARIAT_MAX_CARDS", "2.5"),
        ("PARTENARIAT_STORE", "mysql"),
        ("PARTENARIAT_LANGUAGE", "de"),
        ("PARTENARIAT_DEMO", "maybe"),
    ],
)
def test_a_bad_env_value_names_the_variable(no_secrets, name, raw):
    with pytest.raises(ConfigError) as info:
        load_settings(env={name: raw}, secrets_file=no_secrets)
    assert info.value.key == "error.config_value"
    assert info.value.params["name"] == name
    assert info.value.params["value"] == raw
    assert info.value.params["expected"]


@pytest.mark.parametrize(("raw", "expected"), [("0.5", 0.5), ("0,5", 0.5), (" 2 ", 2.0), ("60", 60.0)])
def test_the_refresh_takes_seconds_with_a_decimal_point_or_comma(no_secrets, raw, expected):
    settings = load_settings(env={"PARTENARIAT_REFRESH_SECONDS": raw}, secrets_file=no_secrets)
    assert settings.refresh_seconds == expected


def test_host_panels_refresh_once_a_second_at_the_fastest(no_secrets):
    fast = load_settings(env={"PARTENARIAT_REFRESH_SECONDS": "0.5"}, secrets_file=no_secrets)
    slow = load_settings(env={"PARTENARIAT_REFRESH_SECONDS": "4"}, secrets_file=no_secrets)
    assert (fast.panel_refresh_seconds, slow.panel_refresh_seconds) == (1.0, 4.0)


@pytest.mark.parametrize(("raw", "expected"), [("oui", True), ("NON", False), (" 1 ", True), ("off", False)])
def test_booleans_accept_french_and_english(no_secrets, raw, expected):
    assert load_settings(env={"PARTENARIAT_DEMO": raw}, secrets_file=no_secrets).demo is expected


def test_choices_ignore_case(no_secrets):
    assert load_settings(env={"PARTENARIAT_STORE": " SQLite "}, secrets_file=no_secrets).store == "sqlite"


def test_a_bad_secrets_value_names_the_file_and_setting(tmp_path):
    path = _secrets(tmp_path, '[partenariat]\nanonymity_threshold = "trois"\n')
    with pytest.raises(ConfigError) as info:
        load_settings(env={}, secrets_file=path)
    assert info.value.key == "error.config_value"
    assert info.value.params["name"] == "secrets.toml [partenariat] anonymity_threshold"


def test_a_broken_secrets_file_is_an_error(tmp_path):
    path = _secrets(tmp_path, "[partenariat\nrefresh_seconds = 5\n")
    with pytest.raises(ConfigError) as info:
        load_settings(env={}, secrets_file=path)
    assert info.value.key == "error.config_file"
    assert info.value.params["file"] == str(path)


def test_a_partenariat_entry_that_is_not_a_table_is_an_error(tmp_path):
    path = _secrets(tmp_path, 'partenariat = "oops"\n')
    with pytest.raises(ConfigError) as info:
        load_settings(env={}, secrets_file=path)
    assert info.value.key == "error.config_file"


def test_paths_expand_the_home_folder(no_secrets):
    settings = load_settings(env={"PARTENARIAT_DATA_DIR": "~/partenariat"}, secrets_file=no_secrets)
    assert settings.data_dir == Path("~/partenariat").expanduser()
    assert "~" not in str(settings.data_dir)


def test_settings_attributes_and_the_documented_list_are_the_same():
    from dataclasses import fields

    from partenariat_core.config import Settings

    assert [f.name for f in fields(Settings) if f.name != "secrets"] == [s.name for s in SETTINGS]
    defaults = Settings()
    assert {s.name: s.default for s in SETTINGS} == defaults.values


@pytest.mark.parametrize("passcode", ["x", "123456789", "  short-pw   "])
def test_a_configured_passcode_shorter_than_10_characters_stops_the_app(no_secrets, passcode):
    with pytest.raises(ConfigError) as info:
        load_settings(env={"PARTENARIAT_HOST_PASSCODE": passcode}, secrets_file=no_secrets)
    assert info.value.key == "error.passcode_too_short"
    assert info.value.params == {"name": "PARTENARIAT_HOST_PASSCODE", "minimum": 10}
    french, english = info.value.message("fr"), info.value.message("en")
    assert "PARTENARIAT_HOST_PASSCODE" in french and "au moins 10 caractères" in french
    assert "PARTENARIAT_HOST_PASSCODE" in english and "at least 10 characters" in english
    assert passcode.strip() not in french + english  # the secret is never repeated


def test_a_short_passcode_in_the_secrets_file_names_the_file(tmp_path):
    path = _secrets(tmp_path, '[partenariat]\nhost_passcode = "abc"\n')
    with pytest.raises(ConfigError) as info:
        load_settings(env={}, secrets_file=path)
    assert info.value.params["name"] == "secrets.toml [partenariat] host_passcode"


def test_a_passcode_of_exactly_10_characters_is_accepted(no_secrets):
    env = {"PARTENARIAT_HOST_PASSCODE": " 0123456789 "}
    assert load_settings(env=env, secrets_file=no_secrets).host_passcode == "0123456789"
