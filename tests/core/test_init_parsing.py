"""`engage init` reads answers in a therapist's words: specialties by name, states by name or
code, time zones by city or common name, and anything a terminal can send without a traceback."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from engage.setup import answers, mail, places, specialties, timezones
from engage.setup.answers import AnswerError
from engage.setup.document import build_document, render_toml
from engage.setup.progress import Progress

# -- specialties ------------------------------------------------------------------------------


def slugs(text: str) -> list[str]:
    return [choice.slug for choice in specialties.choose(text)]


@pytest.mark.parametrize(
    ("said", "slug"),
    [
        ("sex addiction", "sex_addiction"),
        ("betrayal trauma", "sex_addiction"),
        ("EMDR", "trauma"),
        ("emdr", "trauma"),
        ("IFS", "trauma"),
        ("couples work", "couples"),
        ("Gottman", "couples"),
        ("postpartum", "perinatal"),
        ("Perinatl", "perinatal"),
        ("OCD", "anxiety_ocd"),
        ("sex_addiction", "sex_addiction"),
        ("Sex and porn addiction, betrayal trauma", "sex_addiction"),
    ],
)
def test_a_specialty_named_in_plain_words_finds_its_slug(said: str, slug: str) -> None:
    assert slugs(said) == [slug]


def test_two_names_of_one_specialty_are_one_specialty_at_full_weight() -> None:
    [choice] = specialties.choose("sex addiction, betrayal trauma")
    assert (choice.slug, choice.weight) == ("sex_addiction", 1.0)
    assert choice.said == "sex addiction, betrayal trauma"


def test_the_first_named_specialties_weigh_most() -> None:
    table = specialties.as_table(specialties.choose("couples, trauma, grief, adoption"))
    assert table == {"couples": 1.0, "trauma": 0.8, "grief": 0.6, "adoption": 0.5}


def test_and_between_two_specialties_names_both() -> None:
    assert slugs("sex addiction and couples") == ["sex_addiction", "couples"]


def test_an_explicit_weight_still_wins() -> None:
    assert specialties.as_table(specialties.choose("perinatal=1, infertility=0.8")) == {
        "perinatal": 1.0,
        "infertility": 0.8,
    }


def test_a_word_of_two_specialties_is_asked_again_never_guessed() -> None:
    with pytest.raises(AnswerError, match="could be .* or "):
        specialties.choose("addiction")


@pytest.mark.parametrize("said", ["garbage", "../../etc", "", "   ", "couples=2", "x" * 10_000])
def test_an_unknown_specialty_is_a_hint_not_a_guess(said: str) -> None:
    with pytest.raises(AnswerError):
        specialties.choose(said)


def test_every_taxonomy_name_finds_its_own_slug() -> None:
    vocab = specialties.default_vocabulary()
    for slug, name in vocab.names.items():
        assert slugs(name) == [slug]


# -- states -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "said", ["California", "california", "calif", "Calif.", "CA", "ca", "Califronia", "SoCal"]
)
def test_california_however_written_is_ca(said: str) -> None:
    assert places.state_codes(said) == ["CA"]


def test_several_states_by_name_or_code_in_one_answer() -> None:
    assert places.state_codes("Texas and NM, new york; CA NV") == ["TX", "NM", "NY", "CA", "NV"]


def test_a_prefix_of_several_states_names_the_choices() -> None:
    with pytest.raises(AnswerError, match="New Jersey"):
        places.state_codes("new")


@pytest.mark.parametrize("said", ["Pacific", "garbage", "../../etc", "XX"])
def test_what_is_not_a_state_is_refused(said: str) -> None:
    with pytest.raises(AnswerError):
        places.state_codes(said)


def test_a_location_names_its_state() -> None:
    assert places.state_in("Southern California") == "CA"
    assert places.state_in("Austin, TX") == "TX"
    assert places.state_in("somewhere nice") is None


# -- time zones -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("said", "zone"),
    [
        ("Pacific", "America/Los_Angeles"),
        ("Pacific Time", "America/Los_Angeles"),
        ("pacific standard time", "America/Los_Angeles"),
        ("PST", "America/Los_Angeles"),
        ("Los Angeles", "America/Los_Angeles"),
        ("San Francisco", "America/Los_Angeles"),
        ("Mountain", "America/Denver"),
        ("Arizona", "America/Phoenix"),
        ("Central Time", "America/Chicago"),
        ("Chicago", "America/Chicago"),
        ("Eastern", "America/New_York"),
        ("EST", "America/New_York"),
        ("New York", "America/New_York"),
        ("Alaska", "America/Anchorage"),
        ("Hawaii", "Pacific/Honolulu"),
        ("Texas", "America/Chicago"),
        ("America/Chicago", "America/Chicago"),
        ("america/chicago", "America/Chicago"),
        ("Europe/Berlin", "Europe/Berlin"),
        ("Berlin", "Europe/Berlin"),
        ("UTC", "UTC"),
        ("Pacfic", "America/Los_Angeles"),
    ],
)
def test_a_time_zone_by_city_or_common_name(said: str, zone: str) -> None:
    assert timezones.timezone(said) == zone


@pytest.mark.parametrize(
    "said",
    ["Mars/Base", "../../etc", "/etc/passwd", "Pacific/../../etc/passwd", "America", "garbage",
     "", "\x00", "x" * 10_000],
)  # fmt: skip
def test_what_is_not_a_time_zone_is_a_hint_never_a_file_read(said: str) -> None:
    with pytest.raises(AnswerError):
        timezones.timezone(said)


def test_every_us_zone_is_reachable_by_a_common_name() -> None:
    us = {"America/Los_Angeles", "America/Denver", "America/Phoenix", "America/Chicago",
          "America/New_York", "America/Anchorage", "Pacific/Honolulu"}  # fmt: skip
    assert us <= {timezones.timezone(name) for name in timezones.COMMON}


# -- answers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("said", "time"),
    [("7", "07:00"), ("7am", "07:00"), ("7:30", "07:30"), ("7.30 pm", "19:30"),
     ("19:00", "19:00"), ("noon", "12:00"), ("12am", "00:00")],
)  # fmt: skip
def test_a_time_of_day_however_written(said: str, time: str) -> None:
    assert answers.time_of_day(said) == time


@pytest.mark.parametrize("said", ["25:00", "7:75", "13pm", "soon", ""])
def test_what_is_not_a_time_is_a_hint(said: str) -> None:
    with pytest.raises(AnswerError):
        answers.time_of_day(said)


def test_escape_sequences_and_control_characters_are_dropped_from_text() -> None:
    assert answers.text("Dr.\x00 Grace\x1b[31m Lee\x07\u200b") == "Dr. Grace Lee"


def test_a_ten_thousand_character_answer_is_asked_again_not_cut() -> None:
    with pytest.raises(AnswerError, match="10,000 characters"):
        answers.text("a" * 10_000)


def test_community_names_however_pasted() -> None:
    said = "r/therapists, MFT https://www.reddit.com/r/EMDR/ /r/privatepractice therapists"
    assert answers.subreddits(said) == ["therapists", "MFT", "EMDR", "privatepractice"]


def test_none_is_no_communities_not_a_community_called_none() -> None:
    assert answers.subreddits("none") == [] and answers.subreddits("") == []


def test_a_web_address_without_https_gets_it_and_never_a_password() -> None:
    assert answers.web_address("example.org/blog/") == "https://example.org/blog"
    with pytest.raises(AnswerError, match="password"):
        answers.web_address("https://me:secret@example.org/feed")
    with pytest.raises(AnswerError):
        answers.web_address("javascript:alert(1)")


def test_an_environment_variable_is_a_name_never_a_password() -> None:
    assert answers.env_name("ENGAGE_SMTP_PASSWORD") == "ENGAGE_SMTP_PASSWORD"
    for typed_by_mistake in ("abcd efgh ijkl mnop", "abcdefghijklmnop", "hunter2"):
        with pytest.raises(AnswerError, match="NAME"):
            answers.env_name(typed_by_mistake)


def test_delivery_in_plain_words() -> None:
    assert answers.delivery("both") == ["in_person", "telehealth"]
    assert answers.delivery("online") == ["telehealth"]
    assert answers.delivery("in-person and video") == ["in_person", "telehealth"]


# -- email presets ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "key", "host"),
    [("a@gmail.com", "gmail", "smtp.gmail.com"), ("a@outlook.com", "outlook", "smtp.office365.com"),
     ("a@icloud.com", "icloud", "smtp.mail.me.com"), ("a@fastmail.com", "fastmail",
                                                      "smtp.fastmail.com")],
)  # fmt: skip
def test_an_address_picks_its_provider_preset(address: str, key: str, host: str) -> None:
    assert mail.provider_of(address) == key and mail.PRESETS[key].host == host
    assert len(mail.PRESETS[key].steps) == 2


def test_a_practice_domain_is_other() -> None:
    assert mail.provider_of("grace@leecounseling.com") == "other"
    assert mail.provider("Microsoft 365") == "outlook"


# -- the document -----------------------------------------------------------------------------


def test_the_document_names_the_password_variable_and_never_holds_one() -> None:
    document = build_document({
        "name": "Dr. Lee", "specialties": {"couples": 1.0}, "digest_to": "lee@gmail.com",
        "smtp_host": "smtp.gmail.com", "smtp_port": 587, "smtp_security": "starttls",
        "smtp_password_env": "MY_MAIL_PASSWORD", "timezone": "America/Chicago",
        "own_feed": "https://lee.example/feed", "feeds": ["https://colleague.example/rss"],
    })  # fmt: skip
    digest = document["digest"]
    assert (digest["enabled"], digest["to"], digest["sender"]) == (True, "lee@gmail.com",
                                                                   "lee@gmail.com")  # fmt: skip
    assert digest["smtp_password_env"] == "MY_MAIL_PASSWORD"
    assert [f["own"] for f in document["feeds"]] == [False, True]
    assert "password =" not in render_toml(document)


# -- the resume file --------------------------------------------------------------------------


def test_the_resume_file_is_private_and_reads_back(tmp_path: Path) -> None:
    progress = Progress(tmp_path / "home", tmp_path / "engage.toml")
    progress.record("name", "Dr. Lee")
    progress.record("timezone", "Pacific")
    assert stat.S_IMODE(progress.path.stat().st_mode) == 0o600
    again = Progress(tmp_path / "home", tmp_path / "engage.toml")
    assert again.load() == {"name": "Dr. Lee", "timezone": "Pacific"}


def test_the_resume_file_refuses_a_secret_and_drops_one_found_in_it(tmp_path: Path) -> None:
    progress = Progress(tmp_path, tmp_path / "engage.toml")
    with pytest.raises(ValueError, match="never saved"):
        progress.record("smtp_password", "hunter2")
    progress.path.write_text(json.dumps(
        {"version": 1, "answers": {"name": "Dr. Lee", "smtp_password": "hunter2"}}
    ))  # fmt: skip
    assert progress.load() == {"name": "Dr. Lee"}


@pytest.mark.parametrize("content", ["{not json", "[]", '{"version": 1, "answers": 3}', ""])
def test_a_damaged_resume_file_is_ignored(tmp_path: Path, content: str) -> None:
    progress = Progress(tmp_path, tmp_path / "engage.toml")
    progress.path.write_text(content)
    assert progress.load() is None
