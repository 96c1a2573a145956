"""The Slack adapter without a network: Block Kit rendering and escaping, links and date tokens, message
limits, input decoding, the app manifest, and the per-channel pacer."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path

import pytest

from adapters.slack import SlackAdapter
from adapters.slack.app import api_url, command_text, response_type
from adapters.slack.render import (
    MAX_BLOCKS,
    MAX_FALLBACK,
    MAX_SECTION_TEXT,
    escape,
    link,
    render_reply,
    safe,
    safe_url,
    slack_when,
)
from adapters.slack.transport import ChannelPacer
from bot.models import Change, Source
from bot.reply import Reply
from tests.conftest import make_record as record
from tests.slack_helpers import UTC, FakeTime, assert_no_injection, run

ROOT = Path(__file__).resolve().parent.parent


# -- rendering (pure) ----------------------------------------------------------------------------------


def test_article_text_is_escaped_everywhere():
    rec = record(name="<!channel> breaking <@U123>", location="<http://evil|bank>", participants=["<!here>", "A & B"],
                 alt_locations=["<!everyone>"], certainty="confirmed",
                 sources=[Source(1, "<!channel> breaking", "http://news.example/a?x=1&y=2", "<@U123> Times",
                                 "2025-10-20", "He said <http://evil|x> & more")],
                 changes=[Change("2025-10-20T10:00:00+00:00", "location", "<!here>", "<http://evil|x>", 1, None,
                                 "<!channel> breaking")])
    for kind in ("meetings", "detail"):
        reply = Reply(kind=kind, text="Search for “<!channel>”:", meetings=[rec],
                      rows=[("source", "<!channel> breaking http://evil"), ("<@U123>", "<http://evil|x>")])
        messages = render_reply(reply)
        payload = [m.payload() for m in messages]
        assert_no_injection(payload)
        dumped = json.dumps(payload, ensure_ascii=False)
        assert "&lt;!channel&gt; breaking &lt;@U123&gt;" in dumped
        assert "&lt;http://evil|bank&gt;" in dumped and "A &amp; B" in dumped
        assert "<http://news.example/a?x=1&amp;y=2|&lt;!channel&gt; breaking (news.example)>" in dumped
        for block in payload[0]["blocks"]:
            for obj in [block.get("text")] + block.get("elements", []):
                if obj:
                    assert obj["type"] == "mrkdwn" and obj["verbatim"] is True


def test_links_only_for_stored_http_urls():
    assert link("javascript:alert(1)", "click") == "click"
    assert link("ftp://files.example/x", "<!channel>") == "&lt;!channel&gt;"
    assert link("http://a.example/x y", "t") == "t"  # whitespace: not a URL we would build a link from
    assert link("https://a.example/p?q=1|<b>", "T") == "<https://a.example/p?q=1%7C%3Cb%3E|T (a.example)>"
    assert link("https://a.example/", None) == "<https://a.example/|a.example>"
    assert safe_url("http:///nohost") is None and safe_url(None) is None
    assert escape("a&<b>") == "a&amp;&lt;b&gt;"
    # Slack has no escape for mrkdwn: article text gets look-alikes; "_" inside a word formats nothing and stays.
    assert safe("*b* _i_ ~s~ `c` phone_call") == "\u2217b\u2217 \u02cdi\u02cd \u223cs\u223c \u02cbc\u02cb phone_call"


def test_dates_are_slack_date_tokens_only_for_instants():
    day = record()
    # A date is a date: a token would show it a day off to readers in UTC-11 or UTC+14.
    assert slack_when(day) == slack_when(day, "Asia/Seoul") == slack_when(day, "Pacific/Kiritimati") == "Wed 29 Oct 2025"
    timed = record(time="14:30", tz="Asia/Seoul")
    at = int(datetime(2025, 10, 29, 5, 30, tzinfo=UTC).timestamp())
    assert slack_when(timed) == f"<!date^{at}^{{date_long}} {{time}}|Wed 29 Oct 2025 14:30>"
    span = record(start=date(2025, 10, 31), end=date(2025, 11, 1), precision="range")
    assert slack_when(span) == "31 Oct – 1 Nov 2025"
    month = record(start=date(2025, 11, 1), end=date(2025, 11, 30), precision="month")
    assert slack_when(month) == "November 2025"
    assert slack_when(record(start=None, end=None)) == "date not known"
    assert "<!here>" not in slack_when(record(time="14:30<!here>"))


def test_one_section_per_meeting_with_sources_context():
    rec = record(name="APEC summit", sources=[Source(1, "Leaders to meet", "https://n.example/1", "Yonhap",
                                                     "2025-10-20T08:00:00", "x")])
    [message] = render_reply(Reply(kind="meetings", text="Upcoming summits in the next 30 days:", meetings=[rec]))
    lead, meeting, ctx = message.blocks
    assert lead == {"type": "section", "text": {"type": "mrkdwn", "text": "Upcoming summits in the next 30 days:",
                                                "verbatim": True}}
    text = meeting["text"]["text"]
    assert text.startswith("*#1 Bilateral meeting:* APEC summit\nWed 29 Oct 2025 · ")
    assert "· Gyeongju · confirmed" in text and "With Donald Trump, Lee Jae-myung" in text
    assert ctx["type"] == "context"
    assert ctx["elements"][0]["text"] == "Sources: <https://n.example/1|Leaders to meet (n.example)> (Yonhap, 2025-10-20)"
    assert message.text.startswith("Upcoming summits in the next 30 days:\n#1 Bilateral meeting: APEC summit")


def test_long_lists_split_within_slack_limits():
    many = [record(i, name="Summit " + "x" * 190, location="L" * 300, participants=["P" * 150] * 8,
                   sources=[Source(i, "t" * 300, "https://n.example/" + "a" * 500, "o", "2025-10-20", "")] * 8)
            for i in range(1, 131)]
    messages = render_reply(Reply(kind="meetings", text="Upcoming:", meetings=many))
    assert len(messages) == 5
    for m in messages:
        assert 0 < len(m.blocks) <= MAX_BLOCKS and 0 < len(m.text) <= MAX_FALLBACK
        for block in m.blocks:
            for obj in [block.get("text")] + block.get("elements", []):
                if obj:
                    assert len(obj["text"]) <= MAX_SECTION_TEXT
    shown = sum(1 for m in messages for b in m.blocks if b["type"] == "section" and b["text"]["text"].startswith("*#"))
    note = messages[-1].blocks[-1]
    assert note["type"] == "context" and f"and {130 - shown} more not shown" in note["elements"][0]["text"]
    assert messages[1].text.startswith("(continued)")
    # 30 meetings fit in two messages without a note
    two = render_reply(Reply(kind="meetings", text="Upcoming:", meetings=many[:30]))
    assert len(two) == 2 and sum(len(m.blocks) for m in two) == 1 + 30 * 2
    assert "more not shown" not in json.dumps([m.blocks for m in two])


def test_detail_help_error_and_rows():
    sources = [Source(i, f"Story {i}", f"https://n.example/{i}", "Wire", "2025-10-20", "s" * 400) for i in range(40)]
    rec = record(sources=sources, changes=[Change("2025-10-21T09:00:00+00:00", "start", "2025-10-28",
                                                  "2025-10-29", 2, None, "Moved")])
    messages = render_reply(Reply(kind="detail", text="Summit #1", meetings=[rec]))
    blocks = [b for m in messages for b in m.blocks]
    assert all(len(b["text"]["text"]) <= MAX_SECTION_TEXT for b in blocks if b["type"] == "section")
    body = "\n".join(b["text"]["text"] for b in blocks if b["type"] == "section")
    assert "*Sources (40)*" in body and "*History*" in body and "start: 2025-10-28 → 2025-10-29 _(Moved)_" in body
    assert "<https://n.example/39|Story 39 (n.example)>" in body

    help_ = render_reply(Reply(kind="help", text="summitbot", rows=[("/summits upcoming [days:30]", "Soon.")],
                               ephemeral=True))[0]
    assert help_.blocks[1]["text"]["text"] == "`/summits upcoming [days:30]` — Soon."
    error = render_reply(Reply.error("Unknown command `<@U1>`."))[0]
    assert error.text == ":warning: Unknown command `&lt;@U1&gt;`." and len(error.blocks) == 1


def test_visibility_policy_and_input_decoding():
    import bot.commands.meetings  # noqa: F401  (commands register on import, as Commands() does)
    import bot.commands.subscriptions  # noqa: F401

    ok = Reply(text="done")
    assert response_type("upcoming days:7", Reply(kind="meetings", meetings=[record()])) == "ephemeral"
    assert response_type("help", Reply(kind="help", ephemeral=True)) == "ephemeral"
    assert response_type("subscribe lead:1d", ok) == "in_channel"
    assert response_type("sub who:Xi", ok) == "in_channel"
    assert response_type("digest daily", ok) == "in_channel"
    assert response_type("timezone Asia/Seoul", ok) == "in_channel"
    assert response_type("timezone", ok) == "ephemeral"
    assert response_type("subscribe", Reply.error("Only admins can use `/summits subscribe` here.")) == "ephemeral"
    assert command_text(" search A &amp; B &lt;x&gt; ") == "search A & B <x>"
    assert api_url({"SLACK_API_URL": "http://127.0.0.1:9/api"}) == "http://127.0.0.1:9/api/"
    assert api_url({}) == "https://slack.com/api/"
    assert SlackAdapter.enabled({"SLACK_BOT_TOKEN": "x", "SLACK_SIGNING_SECRET": "s"})
    assert SlackAdapter.enabled({"SLACK_BOT_TOKEN": "x", "SLACK_APP_TOKEN": "a"})
    assert not SlackAdapter.enabled({"SLACK_BOT_TOKEN": "x"}) and not SlackAdapter.enabled({"SLACK_APP_TOKEN": "a"})


def test_manifest_declares_the_command_scopes_and_socket_mode():
    manifest = (ROOT / "config" / "slack-manifest.yml").read_text(encoding="utf-8")
    assert "- command: /summits" in manifest and "should_escape: false" in manifest
    oauth, settings = manifest.split("oauth_config:")[1].split("\nsettings:")
    scopes = re.findall(r"^ {6}- ([a-z:.]+) ", oauth, re.M)
    assert scopes == ["commands", "chat:write", "chat:write.public", "users:read", "channels:history",
                      "groups:history"]
    assert "socket_mode_enabled: true" in manifest and "/slack/events" in manifest
    # Buttons and the subscribe form need interactivity; the Home tab, its event.
    assert re.search(r"interactivity:\n +is_enabled: true", settings)
    assert re.findall(r"^ {6}- ([a-z_]+)", settings, re.M) == ["app_home_opened"]
    assert "home_tab_enabled: true" in manifest
    assert "\t" not in manifest


def test_pacer_spaces_posts_to_one_channel_only():
    async def scenario():
        t = FakeTime()
        pacer = ChannelPacer(1.0, monotonic=t.monotonic, sleep=t.sleep)
        await pacer.wait("a")
        pacer.posted("a")
        t.now += 0.25
        await pacer.wait("b")  # another channel: no wait
        pacer.posted("b")
        await pacer.wait("a")
        assert t.slept == [pytest.approx(0.75)]
        pacer.posted("a")
        t.now += 5
        await pacer.wait("a")
        assert len(t.slept) == 1

    run(scenario())
