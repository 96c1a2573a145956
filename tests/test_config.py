"""Settings from config/summitbot.toml and the environment: every wrong value is refused at start with its reason."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from bot.config import ConfigError, load_settings

CLEAN_ENV: dict[str, str] = {}


def settings_from(tmp_path, toml: str, **env):
    path = tmp_path / "summitbot.toml"
    path.write_text(toml, encoding="utf-8")
    return load_settings(path, env=dict(CLEAN_ENV, **env))


def test_the_shipped_config_loads_and_the_environment_overrides_it():
    s = load_settings(env={"SUMMITBOT_DB": "/tmp/x.db", "SUMMITBOT_TIMEZONE": "asia/seoul", "PORT": "8080",
                           "SUMMITBOT_NOW": "2025-10-24"})
    assert (s.db, s.timezone, s.slack_port, s.lead, s.delivery_time) == ("/tmp/x.db", "Asia/Seoul", 8080, "7d,1d",
                                                                        "09:00")
    assert s.now.isoformat() == "2025-10-24T00:00:00+00:00"


def test_values_are_normalised(tmp_path):
    s = settings_from(tmp_path, '[channels]\ndelivery_time = "8:30"\ntimezone = "europe/berlin"\n'
                                '[slack]\nadmins = ["U1", 42]\n')
    assert (s.delivery_time, s.timezone, s.slack_admins) == ("08:30", "Europe/Berlin", ("U1", "42"))


@pytest.mark.parametrize("toml, words", [
    ('[delivery]\ngrace_hours = "abc"', "[delivery] grace_hours in"),
    ('[delivery]\ngrace_hours = -1', "must be between 0 and 8784, got -1"),
    ('[delivery]\ntick_seconds = 0', "[delivery] tick_seconds"),
    ('[delivery]\nmax_attempts = 2.5', "must be a whole number"),
    ('[delivery]\nlease_seconds = 1e400', "[delivery] lease_seconds in"),
    ('[delivery]\nlease_seconds = 1e400', "must be a finite number, got inf"),
    ('[delivery]\nlease_seconds = inf', "must be a finite number"),
    ('[delivery]\nlease_seconds = nan', "[delivery] lease_seconds in"),
    ('[delivery]\nlease_seconds = -5', "lease_seconds in"),
    ('[delivery]\nlease_seconds = 1e300', "must be between 1 and 86400"),
    ('[delivery]\ngrace_hours = 1e300', "grace_hours in"),
    ('[digest]\nweekly_days = 100000000000', "[digest] weekly_days"),
    ('[channels]\ndelivery_time = 9', "[channels] delivery_time"),
    ('[channels]\ndelivery_time = "25:00"', "not a time of day"),
    ('[channels]\nlead = "soon"', "`soon` is not a lead time"),
    ('[channels]\ntimezone = "Mars/Base"', "is not a time zone"),
    ('[feeds]\nevery = "banana"', "not an interval"),
    ('[slack]\nport = "x"', "[slack] port"),
    ('[slack]\nadmins = "U1"', "must be a list of user ids"),
    ('[fetch]\nallow_private = "yes"', "must be true or false"),
    ('[storage]\ndb = 5', "[storage] db"),
    ('delivery = 3', "[delivery] must be a table"),
    ('not toml [', "summitbot.toml"),
])
def test_a_wrong_value_in_the_file_names_itself(tmp_path, toml, words):
    with pytest.raises(ConfigError) as info:
        settings_from(tmp_path, toml)
    assert words in str(info.value)


@pytest.mark.parametrize("env, words", [
    ({"PORT": "abc"}, "PORT must be a whole number"),
    ({"PORT": "70000"}, "PORT must be between 0 and 65535"),
    ({"PORT": "1e400"}, "PORT must be a whole number"),
    ({"SUMMITBOT_NOW": "garbage"}, "SUMMITBOT_NOW: not an ISO date/time"),
    ({"SUMMITBOT_TIMEZONE": "Nowhere"}, "SUMMITBOT_TIMEZONE: `Nowhere` is not a time zone"),
    ({"SUMMITBOT_CONFIG": "/nonexistent/summitbot.toml"}, "config file not found"),
])
def test_a_wrong_environment_variable_names_itself(env, words):
    with pytest.raises(ConfigError) as info:
        load_settings(env=env)
    assert words in str(info.value)


def test_a_missing_config_file_given_with_the_option_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="config file not found"):
        load_settings(tmp_path / "nope.toml", env={})


def test_the_cli_reports_configuration_errors_without_a_traceback(tmp_path):
    from bot.cli import cli

    (tmp_path / "bad.toml").write_text('[delivery]\ngrace_hours = "soon"\n', encoding="utf-8")
    runner = CliRunner()
    out = runner.invoke(cli, ["--config", str(tmp_path / "bad.toml"), "upcoming"], env={"SUMMITBOT_NOW": ""})
    assert out.exit_code == 1 and "configuration: [delivery] grace_hours" in out.output
    assert "Traceback" not in out.output
    out = runner.invoke(cli, ["--db", str(tmp_path / "x.db"), "--now", "garbage", "upcoming"])
    assert out.exit_code == 2 and "Invalid value for --now: not an ISO date/time: 'garbage'" in out.output


def test_incomplete_platform_settings_stop_the_bot_with_the_reason(tmp_path):
    from adapters.runner import _platform_adapters
    from bot.commands import Commands, Services
    from bot.store import Store

    commands = Commands(Services(store=Store(tmp_path / "x.db"), settings=load_settings(env={})))
    with pytest.raises(ConfigError, match="neither SLACK_APP_TOKEN"):
        _platform_adapters(commands, load_settings(env={"SLACK_BOT_TOKEN": "xoxb-1"}), None)
    for bad in ("abc", "1234567890", "1" * 21, "99999999999999999999", "１２３４５６７８９０１２３４５６７８"):
        with pytest.raises(ConfigError, match="DISCORD_GUILD_ID must be a server id of 17 to 20 digits"):
            _platform_adapters(commands, load_settings(env={"DISCORD_TOKEN": "t", "DISCORD_GUILD_ID": bad}), None)


def test_a_plausible_discord_guild_id_is_accepted():
    from adapters.discord.client import sync_guild_id

    assert sync_guild_id({"DISCORD_GUILD_ID": " 81384788765712384 "}) == 81384788765712384
    assert sync_guild_id({"DISCORD_GUILD_ID": "1234567890123456789"}) == 1234567890123456789
    assert sync_guild_id({}) is None


def test_an_infinite_lease_stops_summitbot_at_start_with_its_name(tmp_path):
    from bot.cli import cli

    (tmp_path / "bad.toml").write_text("[delivery]\nlease_seconds = 1e400\n", encoding="utf-8")
    out = CliRunner().invoke(cli, ["--config", str(tmp_path / "bad.toml"), "--db", str(tmp_path / "x.db"), "run",
                                   "--once"], env={"SUMMITBOT_NOW": "", "SLACK_BOT_TOKEN": "", "DISCORD_TOKEN": ""})
    assert out.exit_code == 1 and "lease_seconds" in out.output and "finite" in out.output
    assert not (tmp_path / "x.db").exists()
