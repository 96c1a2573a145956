"""The console adapter's plain-text rendering."""

from __future__ import annotations

from adapters.console import render_text
from bot.models import Change, Source
from bot.reply import Reply
from tests.conftest import make_record


def test_help_puts_each_summary_under_its_usage():
    text = render_text(Reply(kind="help", text="summitbot", rows=[("/summits show ID", "One summit."),
                                                                   ("/summits help", "This.")]))
    assert text.splitlines() == ["summitbot", "  /summits show ID", "      One summit.", "  /summits help",
                                 "      This."]


def test_detail_quotes_a_sentence_once_and_cleans_history():
    rec = make_record(sources=[Source(1, "Trump to meet Lee", None, "Wire", "2025-10-20", "Trump to meet Lee"),
                               Source(2, "Other", None, None, None, "Lee said\x1b[31m so.")],
                      changes=[Change("2025-10-21T09:00:00+00:00", "location", "Seoul\n", "Gyeongju", 2, None,
                                      None)])
    text = render_text(Reply(kind="detail", meetings=[rec]))
    assert text.startswith("#1 Bilateral meeting: Donald Trump – Lee Jae-myung\n")
    assert text.count("Trump to meet Lee") == 1 and "“Lee said [31m so.”" in text and "\x1b" not in text
    assert "2025-10-21 09:00 location: Seoul → Gyeongju" in text
