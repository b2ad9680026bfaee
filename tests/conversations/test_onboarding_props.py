"""Property: any sequence of messages during onboarding gets a reply and never fails."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.clock import FakeClock
from conversations import texts
from conversations.engine import Engine
from conversations.messages import Incoming, Kind
from storage import Store

WORDS = ["/start", "/restart", "/help", "back", "yes", "no", "30", "knee", "15 March",
         "in 10 weeks", "easy", "not sure", "4", "7:30", "Mumbai", "+5:30", "7:30 in Denver",
         "", " ", "🏔️🏃", "\x00\x07\x1b[2J", "x" * 10_000, "/", "/unknown", "1 January 2020",
         "999999999999999999999", "-1", "0", "⁵", "٣", "\u202e evil", "ＭＵＭＢＡＩ"]
messages = st.lists(
    st.tuples(st.one_of(st.sampled_from(WORDS), st.text(max_size=60)),
              st.sampled_from([Kind.TEXT, Kind.TEXT, Kind.TEXT, Kind.STICKER, Kind.CHOICE]),
              st.one_of(st.none(), st.sampled_from(["days:4", "grade:unsure", "bogus", ":"]))),
    min_size=1, max_size=12,
)
_users = itertools.count()


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=messages)
async def test_any_input_gets_a_reply_and_never_an_error(store: Store, sequence) -> None:
    engine = Engine(store, FakeClock(datetime(2026, 12, 1, 9, 0, tzinfo=UTC)))
    user = f"prop{next(_users)}"  # a fresh conversation per example, one store for all
    for text, kind, choice in sequence:
        replies = await engine.handle(Incoming(channel="test", user_key=user,
                                               at=engine.clock(), text=text, kind=kind,
                                               choice_id=choice))
        assert replies
        assert all(r.text and r.text != texts.SORRY for r in replies)
