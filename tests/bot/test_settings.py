"""Settings from the environment: operators, how long notifications keep their text, the fetch guard."""

from __future__ import annotations

import pytest

from bot.settings import Settings, SettingsError


def test_is_admin_is_true_only_for_the_listed_ids() -> None:
    settings = Settings.from_env({"KHABRI_ADMINS": "12, 34", "HOME": "/tmp"})
    assert settings.is_admin(12)
    assert settings.is_admin(34)
    assert not settings.is_admin(56)
    assert not settings.is_admin(None)


def test_outbox_keep_days_defaults_to_thirty_and_reads_a_number() -> None:
    assert Settings.from_env({"HOME": "/tmp"}).outbox_keep_days == 30
    assert Settings.from_env({"HOME": "/tmp", "KHABRI_OUTBOX_KEEP_DAYS": "0.5"}).outbox_keep_days == 0.5


@pytest.mark.parametrize("value", ["soon", "-1", "nan"])
def test_a_bad_outbox_keep_days_is_named(value: str) -> None:
    with pytest.raises(SettingsError, match="KHABRI_OUTBOX_KEEP_DAYS"):
        Settings.from_env({"HOME": "/tmp", "KHABRI_OUTBOX_KEEP_DAYS": value})


def test_operators_are_the_ids_in_khabri_admins() -> None:
    settings = Settings.from_env({"KHABRI_ADMINS": "101, -5,202"})
    assert settings.is_admin(101)
    assert settings.is_admin(-5)
    assert not settings.is_admin(303)
    assert not settings.is_admin(None)


def test_without_khabri_admins_no_one_is_an_operator() -> None:
    assert not Settings.from_env({}).is_admin(101)


def test_khabri_admins_must_be_ids() -> None:
    with pytest.raises(SettingsError, match="KHABRI_ADMINS"):
        Settings.from_env({"KHABRI_ADMINS": "alice"})


@pytest.mark.parametrize("name", ["KHABRI_FETCH_LOOPBACK", "FETCH_LOOPBACK", "KHABRI_ALLOW_LOOPBACK"])
def test_no_environment_variable_lets_fetches_reach_loopback(name: str) -> None:
    assert Settings.from_env({name: "1"}).fetch_loopback is False


def test_the_dictionary_is_the_systems_unless_khabri_dictionary_says_otherwise(tmp_path) -> None:
    from bot.archive.dictionary import SYSTEM_DICTIONARY
    from tests.auxil.dictd import SMALL, write_dictd

    assert Settings.from_env({"HOME": "/tmp"}).dictionary == SYSTEM_DICTIONARY
    assert Settings.from_env({"HOME": "/tmp", "KHABRI_DICTIONARY": "off"}).dictionary is None
    name = write_dictd(tmp_path / "eng-hin", SMALL)
    for given in (str(name), f"{name}.index", f"{name}.dict.dz"):
        assert Settings.from_env({"HOME": "/tmp", "KHABRI_DICTIONARY": given}).dictionary == name


def test_a_khabri_dictionary_without_its_files_is_named(tmp_path) -> None:
    with pytest.raises(SettingsError, match=r"KHABRI_DICTIONARY: no dictionary index .*nothing\.index"):
        Settings.from_env({"HOME": "/tmp", "KHABRI_DICTIONARY": str(tmp_path / "nothing")})
