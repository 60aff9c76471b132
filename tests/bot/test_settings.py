"""Settings read from the environment: operators, and the fetch guard that no variable can loosen."""

from __future__ import annotations

import pytest

from bot.settings import Settings, SettingsError


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
