"""A summit an earlier article had in person and a later one reports 'moved online' or 'to a video conference':
a change of format, alerted as such, never a cancellation (issue 20). Two articles through the real pipeline,
in order, into a real SQLite file; the alert is planned and rendered as the scheduler would."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from bot.config import Settings
from bot.delivery import change_reply, plan_deliveries
from bot.extract import Extractor
from bot.models import Article
from bot.pipeline import Ingestor
from bot.subscriptions import add_subscription, channel_by_id, ensure_channel
from bot.transport import ChannelRef

FIRST = ("Leaders of the Quad will meet in New Delhi on November 20 for their annual summit, officials said. "
         "Indian Prime Minister Narendra Modi will host Japanese Prime Minister Shigeru Ishiba, Australian Prime "
         "Minister Anthony Albanese and U.S. President Donald Trump.")
LATER = [
    "Organisers moved the November 20 Quad summit in New Delhi to a video conference because of the storm, "
    "officials said.",
    "The Quad summit on November 20 has been moved online because of the storm, Indian officials said on Monday.",
    "India called off the in-person Quad summit in New Delhi; the leaders will hold it by video conference on "
    "November 20 instead.",
]
PUBLISHED = datetime(2025, 11, 1, 8, 0, tzinfo=timezone.utc)
LATER_PUBLISHED = datetime(2025, 11, 10, 8, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def pipeline_extractor(nlp):
    return Extractor(nlp=nlp)  # as `summitbot ingest` runs it


@pytest.mark.parametrize("later", LATER, ids=["video-conference", "moved-online", "called-off-for-video"])
def test_moved_online_is_a_format_change_never_a_cancellation(store, pipeline_extractor, later):
    ingestor = Ingestor(store, pipeline_extractor)
    ch = ensure_channel(store, ChannelRef("slack", "T1", "C1"), Settings(), PUBLISHED)
    add_subscription(store, ch, lead="1d", now=PUBLISHED)
    ingestor.ingest_article(Article(text=FIRST, published=PUBLISHED, title="Quad to meet", id="a1"))
    plan_deliveries(store, Settings(), PUBLISHED)  # the new summit's alert; the mark moves past it
    ingestor.ingest_article(Article(text=later, published=LATER_PUBLISHED, title="Quad goes online", id="a2"))

    (mid, status, fmt), = store.db.execute("SELECT id, status, format FROM meetings").fetchall()
    assert (status, fmt) == ("upcoming", "online")  # one record, still on, now held online
    fields = [r[0] for r in store.db.execute("SELECT field FROM changes WHERE meeting_id = ? ORDER BY id", [mid])]
    assert fields == ["created", "format"]

    plan_deliveries(store, Settings(), LATER_PUBLISHED)
    alerts = store.db.execute("SELECT payload FROM deliveries WHERE kind = 'change' ORDER BY id").fetchall()
    events = [json.loads(p)["events"] for (p,) in alerts]
    assert events == [["new"], ["online"]]
    data = json.loads(alerts[-1][0])
    reply = change_reply(store, store.meeting(mid), channel_by_id(store, ch.id), data)
    assert reply.text == "Summit moved online:" and ("format", "in person → online") in reply.rows
    assert "cancel" not in reply.text.lower()


def test_a_third_report_of_the_same_move_is_no_new_change(store, pipeline_extractor):
    ingestor = Ingestor(store, pipeline_extractor)
    ingestor.ingest_article(Article(text=FIRST, published=PUBLISHED, title="Quad to meet", id="a1"))
    for i, text in enumerate(LATER[:2]):
        ingestor.ingest_article(Article(text=text, published=LATER_PUBLISHED, title=f"online {i}", id=f"b{i}"))
    assert [r[0] for r in store.db.execute("SELECT field FROM changes ORDER BY id")] == ["created", "format"]


def test_a_real_cancellation_is_still_one(store, pipeline_extractor):
    ingestor = Ingestor(store, pipeline_extractor)
    ingestor.ingest_article(Article(text=FIRST, published=PUBLISHED, title="Quad to meet", id="a1"))
    ingestor.ingest_article(Article(text="India has cancelled the Quad summit planned for November 20 in New Delhi, "
                                         "officials said.", published=LATER_PUBLISHED, title="Off", id="a2"))
    assert store.db.execute("SELECT status, format FROM meetings").fetchall() == [("cancelled", None)]
