"""The Discord adapter's pure parts: rendering within Discord's limits, escaping, links, dates,
autocomplete, permissions and delivery nonces (no client, no stand-in)."""

from __future__ import annotations

from datetime import date, datetime, timezone

import discord
from hypothesis import given, settings as hsettings, strategies as st

from adapters.discord.render import (
    CHARS_PER_MESSAGE,
    DESCRIPTION_LIMIT,
    EMBEDS_PER_MESSAGE,
    FIELD_NAME_LIMIT,
    FIELD_VALUE_LIMIT,
    FIELDS_PER_EMBED,
    TITLE_LIMIT,
    ZWSP,
    clean,
    discord_when,
    masked_link,
    render_reply,
    units,
)
from adapters.discord.slash import needs_admin, who_suggestions, zone_suggestions
from adapters.discord.transport import delivery_nonce
from bot.models import Change, Source
from bot.reply import Reply
from tests.conftest import make_record as record
from tests.discord_helpers import PING


# -- records for the pure tests ------------------------------------------------------------------


def noon_utc(d: date) -> int:
    return int(datetime(d.year, d.month, d.day, 12, tzinfo=timezone.utc).timestamp())


def assert_within_limits(messages: list[list[discord.Embed]]) -> None:
    assert messages
    for embeds in messages:
        assert 1 <= len(embeds) <= EMBEDS_PER_MESSAGE
        total = 0
        for embed in embeds:
            data = embed.to_dict()
            assert units(data.get("title", "")) <= TITLE_LIMIT
            assert units(data.get("description", "")) <= DESCRIPTION_LIMIT
            assert len(data.get("fields", [])) <= FIELDS_PER_EMBED
            for f in data.get("fields", []):
                assert 0 < units(f["name"]) <= FIELD_NAME_LIMIT
                assert 0 < units(f["value"]) <= FIELD_VALUE_LIMIT
                total += units(f["name"]) + units(f["value"])
            total += units(data.get("title", "")) + units(data.get("description", ""))
        assert total <= CHARS_PER_MESSAGE


# -- rendering (pure) -----------------------------------------------------------------------------


def test_untrusted_text_is_escaped_and_cannot_mention():
    text = clean("@everyone **breaking** <@123> <@&456> @here [click](https://evil.example)\x1b[31m\n# head")
    assert not PING.search(text)
    assert "@" + ZWSP + "everyone" in text and "@" + ZWSP + "here" in text
    assert "\\*\\*breaking\\*\\*" in text and "\\[click\\]" in text
    assert "\x1b" not in text and "\n" not in text
    assert clean("# Title").startswith("\\#") and clean("1. one").startswith("1\\.")


@hsettings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=30), st.sampled_from(
    ["@everyone", "@here", "<@123>", "<@!5>", "<@&7>", "@", "<", "\\", "*", "\n", "\x00", "@Everyone"])),
    max_size=12))
def test_clean_never_leaves_a_mention_or_control_character(parts):
    text = clean("".join(parts))
    assert not PING.search(text)
    assert all(ch.isprintable() or ch == ZWSP for ch in text)


def test_masked_links_only_for_stored_http_urls():
    assert masked_link("Reuters [wire]", "https://ex.com/a_(b)") == "[Reuters \\[wire\\] (ex.com)](https://ex.com/a_%28b%29)"
    assert masked_link("t", "http://ex.com/x") == "[t (ex.com)](http://ex.com/x)"  # the reader sees the host
    # Article text never becomes a link: masked links are escaped, bare URLs broken.
    assert clean("[bank](https://evil.example/x) **bold**") == \
        "\\[bank\\](https\\://evil.example/x) \\*\\*bold\\*\\*"
    for bad in ("javascript:alert(1)", "data:text/html,x", "/relative", "ftp://ex.com/f", "https://ex.com/a b", None):
        assert masked_link("plain", bad) == "plain"


def test_dates_are_discord_timestamps_only_for_instants():
    day = record(start=date(2025, 10, 29), end=date(2025, 10, 29))
    assert discord_when(day) == "Wed 29 Oct 2025"  # a timestamp would show UTC+13/+14 readers the next day
    timed = record(time="14:30", tz="Asia/Seoul")
    exact = int(datetime(2025, 10, 29, 5, 30, tzinfo=timezone.utc).timestamp())
    assert discord_when(timed) == f"<t:{exact}:F> (<t:{exact}:R>)"
    assert discord_when(record(time="14:30")) == "Wed 29 Oct 2025, 14:30 local time"
    span = record(precision="range", start=date(2025, 10, 31), end=date(2025, 11, 1))
    assert discord_when(span) == "31 Oct – 1 Nov 2025"
    month = record(precision="month", start=date(2025, 11, 1), end=date(2025, 11, 30))
    assert discord_when(month) == "November 2025"
    assert discord_when(record(start=None, end=None)) == "date not known"


def test_meeting_list_embed():
    reply = Reply(kind="meetings", text="Upcoming summits in the next 30 days:",
                  meetings=[record(), record(2, status="cancelled", name="APEC_Leaders")])
    [[embed]] = render_reply(reply)
    data = embed.to_dict()
    assert data["description"] == "Upcoming summits in the next 30 days:"
    first, second = data["fields"]
    assert first["name"] == "#1 Bilateral meeting: Donald Trump – Lee Jae-myung"
    assert first["value"] == "Wed 29 Oct 2025 · Gyeongju · confirmed"
    assert second["name"] == "#2 Bilateral meeting: APEC\\_Leaders" and second["value"].endswith("**CANCELLED**")


def test_long_lists_split_into_messages_within_every_limit():
    many = [record(i, name=f"Summit {i} " + "x" * 240, location="L" * 900) for i in range(1, 121)]
    messages = render_reply(Reply(kind="meetings", text="t" * 5000, meetings=many))
    assert len(messages) > 1
    assert_within_limits(messages)
    names = [f["name"] for embeds in messages for e in embeds for f in e.to_dict().get("fields", [])]
    assert [n.split(" ")[0] for n in names] == [f"#{i}" for i in range(1, 121)]
    descriptions = "".join(e.description or "" for embeds in messages for e in embeds)
    assert descriptions.count("t") == 5000


def test_detail_embed_with_sources_history_and_limits():
    sources = [Source(i, f"Story {i} @everyone", f"https://news.example/{i}", "Wire", "2025-10-20T08:00:00",
                      "Trump will meet Lee " + "y" * 400) for i in range(60)]
    sources.append(Source(99, "No link", "javascript:alert(1)", None, None, ""))
    changes = [Change("2025-10-20T08:00:00", "created", None, "x", 1, None, "Story 1"),
               Change("2025-10-21T08:00:00", "location", "Seoul", "Gyeongju", 2, None, "Story 2")]
    rec = record(sources=sources, changes=changes, alt_locations=["Busan"])
    messages = render_reply(Reply(kind="detail", text="Summit #1", meetings=[rec]))
    assert_within_limits(messages)
    first = messages[0][0].to_dict()
    assert first["title"] == "#1 Bilateral meeting: Donald Trump – Lee Jae-myung"
    fields = {f["name"]: f["value"] for embeds in messages for e in embeds for f in e.to_dict().get("fields", [])}
    assert fields["Where"] == "Gyeongju\nalso reported: Busan"
    first_source = "[Story 0 @" + ZWSP + "everyone (news.example)](https://news.example/0) (Wire · 2025-10-20)"
    assert fields["Sources (61)"].startswith(first_source)
    assert "Sources (61) (continued)" in fields
    everything = "\n".join(fields.values())
    assert "No link" in everything and "javascript" not in everything
    assert "location: Seoul → Gyeongju — Story 2" in fields["History"]


def test_help_and_error_replies():
    [[help_embed]] = render_reply(Reply(kind="help", text="summitbot tracks…", rows=[("/summits help", "Show.")],
                                        ephemeral=True))
    assert help_embed.title == "summitbot help" and help_embed.fields[0].name == "/summits help"
    [[error]] = render_reply(Reply.error("There is no summit #9."))
    assert error.description == "⚠️ There is no summit #9." and error.colour.value == 0xED4245


def test_autocomplete_suggestions():
    names = ["Donald Trump", "Lee Jae-myung", "Leo XIV", "Xi Jinping"] + [f"Lee {i}" for i in range(40)]
    assert who_suggestions(names, "jae") == ["Lee Jae-myung"]
    assert who_suggestions(names, "lee jae") == ["Lee Jae-myung"]
    assert len(who_suggestions(names, "le")) == 25
    assert who_suggestions(["x" * 101, "Xi Jinping"], "x") == ["Xi Jinping"]
    assert "Asia/Seoul" in zone_suggestions("seoul")
    assert zone_suggestions("america/new")[0] == "America/New_York"
    assert len(zone_suggestions("")) == 25


def test_settings_commands_need_admin():
    assert needs_admin("subscribe", {}) and needs_admin("unsubscribe", {"_": "1"}) and needs_admin("digest", {})
    assert needs_admin("timezone", {"_": "Asia/Seoul"}) and not needs_admin("timezone", {"_": ""})
    assert not needs_admin("upcoming", {}) and not needs_admin("subscriptions", {})
    assert needs_admin("ingest", {"_": "https://news.example/1"}) and needs_admin("feeds", {"_": "add https://x.test/"})
    assert needs_admin("feeds", {"_": "remove 1"}) and needs_admin("feeds", {"_": "resume 1"})
    assert not needs_admin("feeds", {"_": "list"})


def test_delivery_nonce_is_stable_short_and_per_message():
    a = delivery_nonce("reminder:1:2:2025-10-28T09:00:00Z")
    assert a == delivery_nonce("reminder:1:2:2025-10-28T09:00:00Z") and len(a) <= 25
    assert a != delivery_nonce("reminder:1:2:2025-10-28T09:00:00Z", 1) != delivery_nonce("other")
