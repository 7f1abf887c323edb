"""Configuration: where it is found, how it is validated, and what the errors say."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from engage.config import find_config_path, load_config, parse_settings_file
from engage.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def error_for(tmp_path: Path, text: str) -> str:
    path = write(tmp_path / "config" / "engage.toml", text)
    with pytest.raises(ConfigError) as caught:
        parse_settings_file(path)
    return str(caught.value)


def test_the_example_config_is_valid() -> None:
    settings = parse_settings_file(ROOT / "config" / "engage.example.toml")
    assert settings.profile.specialties["sex_addiction"] == 1.0
    assert settings.digest.send_at == time(7, 30)


def test_a_valid_config_is_typed(tmp_path: Path) -> None:
    path = write(
        tmp_path / "c.toml",
        '[profile]\nlicensed_in = ["TX"]\n[profile.specialties]\nperinatal = 1.0\n'
        'infertility = 0.8\n[digest]\nsend_at = "6:05"\ntimezone = "America/Chicago"\n',
    )
    settings = parse_settings_file(path)
    assert settings.profile.to_profile().specialties == {"perinatal": 1.0, "infertility": 0.8}
    assert settings.digest.send_at == time(6, 5)


def test_a_bad_time_names_file_field_value_and_expectation(tmp_path: Path) -> None:
    message = error_for(tmp_path, '[digest]\nsend_at = "25:00"\n')
    assert message.endswith('engage.toml: digest.send_at: "25:00" is not a time (HH:MM)')


def test_a_folder_of_zones_is_not_a_time_zone(tmp_path: Path) -> None:
    message = error_for(tmp_path, '[digest]\ntimezone = "Pacific"\n')
    assert 'digest.timezone: "Pacific" is not a time zone' in message


def test_a_missing_required_field_is_named(tmp_path: Path) -> None:
    message = error_for(tmp_path, "[[feeds]]\nown = true\n")
    assert message.endswith("engage.toml: feeds[0].url: is missing")


def test_a_wrong_type_is_named_with_its_value(tmp_path: Path) -> None:
    message = error_for(tmp_path, '[profile.specialties]\ncouples = "high"\n')
    assert message.endswith('engage.toml: profile.specialties.couples: "high" is not a number')


def test_a_weight_out_of_range_is_refused(tmp_path: Path) -> None:
    message = error_for(tmp_path, "[profile.specialties]\ncouples = 3\n")
    assert "profile.specialties.couples: 3 is out of range" in message


def test_an_unknown_key_suggests_the_closest_known_one(tmp_path: Path) -> None:
    message = error_for(tmp_path, '[digest]\nsend_att = "07:00"\n')
    assert message.endswith("engage.toml: digest.send_att: unknown key (did you mean send_at?)")


def test_an_unknown_section_suggests_the_closest_known_one(tmp_path: Path) -> None:
    message = error_for(tmp_path, '[profle]\nname = "x"\n')
    assert message.endswith("engage.toml: profle: unknown key (did you mean profile?)")


def test_a_secret_in_the_toml_is_refused_and_the_env_variable_named(tmp_path: Path) -> None:
    message = error_for(tmp_path, '[digest]\nsmtp_password = "hunter2"\n')
    assert "digest.smtp_password: secrets never go in the config file" in message
    assert "digest.smtp_password_env" in message
    assert "hunter2" not in message


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    message = error_for(tmp_path, '[digest]\nsend_at = "x"\nmax_threads = "many"\n')
    assert len(message.splitlines()) == 2


def test_an_enabled_digest_needs_a_recipient_and_a_sender(tmp_path: Path) -> None:
    message = error_for(tmp_path, '[digest]\nenabled = true\nto = "me@example.org"\n')
    assert message.endswith("digest.sender: is missing (needed when digest.enabled = true)")


def test_invalid_toml_names_the_file_and_line(tmp_path: Path) -> None:
    message = error_for(tmp_path, "[digest\n")
    assert "engage.toml: not valid TOML" in message and "line 1" in message


def test_config_is_found_in_the_current_directory_first(tmp_path: Path) -> None:
    local = write(tmp_path / "config" / "engage.toml", "")
    write(tmp_path / "xdg-config" / "engage" / "engage.toml", "")
    assert find_config_path() == Path("config") / "engage.toml"
    assert (tmp_path / find_config_path()).samefile(local)  # type: ignore[operator]


def test_config_falls_back_to_the_user_config_directory(tmp_path: Path) -> None:
    user = write(tmp_path / "xdg-config" / "engage" / "engage.toml", "")
    assert find_config_path() == user


def test_engage_config_variable_wins_over_the_search(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "config" / "engage.toml", "")
    chosen = write(tmp_path / "elsewhere.toml", "")
    monkeypatch.setenv("ENGAGE_CONFIG", str(chosen))
    assert find_config_path() == chosen


def test_a_named_config_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="nope.toml: config file not found"):
        find_config_path(tmp_path / "nope.toml")


def test_without_any_config_the_defaults_apply() -> None:
    config = load_config()
    assert config.path is None
    assert config.settings.profile.specialties == {}


def test_engage_home_moves_the_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENGAGE_HOME", str(tmp_path / "data"))
    assert load_config().database_url == f"sqlite:///{tmp_path / 'data' / 'engage.db'}"


def test_engage_database_url_overrides_the_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "c.toml", '[database]\nurl = "sqlite:////tmp/from-config.db"\n')
    assert load_config(path).database_url == "sqlite:////tmp/from-config.db"
    monkeypatch.setenv("ENGAGE_DATABASE_URL", "postgresql://u@localhost/x")
    assert load_config(path).database_url == "postgresql://u@localhost/x"


def test_secrets_come_from_the_environment_or_a_dotenv_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "conf" / "engage.toml", "")
    write(tmp_path / "conf" / ".env", "ENGAGE_SMTP_PASSWORD=from-dotenv\n")
    config = load_config(path)
    assert config.secret("ENGAGE_SMTP_PASSWORD") == "from-dotenv"
    monkeypatch.setenv("ENGAGE_SMTP_PASSWORD", "from-env")
    assert config.secret("ENGAGE_SMTP_PASSWORD") == "from-env"
    assert config.secret("ENGAGE_NOT_SET") is None
