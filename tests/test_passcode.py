"""The host passcode: long enough, generated when absent, compared in constant time."""

from __future__ import annotations

import pytest

from partenariat_core.errors import ConfigError
from partenariat_core.passcode import (
    MIN_PASSCODE_LENGTH,
    PASSCODE_FILE,
    check_passcode,
    resolve_host_passcode,
)

EXPECTED = "GARD-EZ42-QBEC"  # 14 characters


def test_the_right_passcode_passes_whatever_the_case_and_spaces():
    assert check_passcode(EXPECTED, EXPECTED)
    assert check_passcode("  gard-ez42-qbec ", EXPECTED)


@pytest.mark.parametrize(
    "given",
    [
        "GARD-EZ42-QBED",  # same length, last character wrong
        "XARD-EZ42-QBEC",  # same length, first character wrong
        "GARD-EZ42-QBE",  # one shorter
        "GARD-EZ42-QBECX",  # one longer
        "GARD",  # a prefix
        "",
        "   ",
        None,
    ],
)
def test_a_wrong_passcode_of_the_same_or_another_length_fails(given):
    assert not check_passcode(given, EXPECTED)


def test_a_configured_passcode_is_used_as_it_is(tmp_path):
    assert resolve_host_passcode("a-long-passcode", tmp_path) == ("a-long-passcode", None)
    assert not (tmp_path / PASSCODE_FILE).exists()


def test_a_short_configured_passcode_is_refused(tmp_path):
    with pytest.raises(ConfigError) as info:
        resolve_host_passcode("short", tmp_path)
    assert info.value.key == "error.passcode_too_short"
    assert info.value.params["minimum"] == MIN_PASSCODE_LENGTH == 10


def test_a_generated_passcode_is_long_enough_and_kept(tmp_path):
    passcode, path = resolve_host_passcode(None, tmp_path)
    assert path == tmp_path / PASSCODE_FILE
    assert len(passcode) == 14 and len(passcode) >= MIN_PASSCODE_LENGTH
    assert (path.stat().st_mode & 0o777) == 0o600
    assert resolve_host_passcode(None, tmp_path) == (passcode, path)


def test_a_short_passcode_in_the_passcode_file_is_refused_naming_the_file(tmp_path):
    (tmp_path / PASSCODE_FILE).write_text("abc\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        resolve_host_passcode(None, tmp_path)
    assert info.value.params["name"] == str(tmp_path / PASSCODE_FILE)
