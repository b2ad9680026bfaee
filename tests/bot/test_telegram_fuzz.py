"""Hostile and unlucky updates through the real Telegram webhook over HTTP, on SQLite and
PostgreSQL (issue 17): one table test per row of the issue's table, and a hypothesis fuzz
over update shapes. Never a 500, never an apology, no error logged; every text and button
press answered; edits, service messages, channel posts and group chatter ignored.

TREKBOT_FUZZ_EXAMPLES sets the fuzz's example count (default 200).
"""

from __future__ import annotations

import itertools
import json
import os
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.clock import FakeClock
from storage import Store
from tests.fakes.telegram_fuzz import (
    ANSWER,
    FIRST_CHAT,
    IGNORE,
    REJECT,
    ROWS,
    Case,
    _message,
    case,
    poster,
)

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
EXAMPLES = int(os.environ.get("TREKBOT_FUZZ_EXAMPLES", "200"))
PER_BOT = 10  # updates drawn per hypothesis example (one bot started per example)

# What each row must end as, beyond "no 500, no apology, nothing logged at ERROR".
STATUSES = {"malformed": {400}, "deep": {400, 413}}


@pytest.mark.parametrize("row", ROWS)
async def test_each_row_of_the_issue_table(row: str, any_store: Store, clock: FakeClock
                                           ) -> None:
    rng = random.Random(row)
    cases = [case(row, n, rng) for n in range(6)]
    for n, c in enumerate(cases):
        c.onboarded = c.chat_id > 0 and n % 2 == 1  # new people and coached people
    async with poster(any_store, clock) as bot:
        tally = await bot.post(cases)
    assert tally.problems() == {}
    codes = {code for (_row, code) in tally.status}
    assert codes <= STATUSES.get(row, {200, 400}), codes
    if any(c.expect in (IGNORE, REJECT) for c in cases):
        assert tally.replied_to_ignored[row] == 0


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8)
_any_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=300)
_FIELDS = ["text", "caption", "chat", "from", "photo", "sticker", "edit_date", "entities",
           "reply_markup", "new_chat_members", "date", "message_id"]
_serial = itertools.count(1_000_000)


@st.composite
def updates(draw: st.DrawFn) -> Case:
    """An update of a known shape, a text of any code points, or a message with a field
    replaced by any JSON value."""
    n = next(_serial)
    shape = draw(st.sampled_from(["row", "text", "field"]))
    if shape == "row":
        c = case(draw(st.sampled_from(ROWS)), n, random.Random(draw(st.integers(0, 2**32))))
    elif shape == "text":
        update = {"update_id": n, "message": _message(FIRST_CHAT + n, n, text=draw(_any_text))}
        c = Case("text", json.dumps(update).encode(), FIRST_CHAT + n, ANSWER)
    else:
        message = _message(FIRST_CHAT + n, n, text="hi")
        message[draw(st.sampled_from(_FIELDS))] = draw(_json)
        update = {"update_id": n, "message": message}
        c = Case("any_field", json.dumps(update).encode(), FIRST_CHAT + n, "any")
    c.onboarded = c.chat_id > 0 and draw(st.booleans())
    return c


@settings(max_examples=max(1, EXAMPLES // PER_BOT), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.data())
async def test_fuzzed_updates_through_the_webhook(any_store: Store, clock: FakeClock,
                                                  data: st.DataObject) -> None:
    # Several updates per bot: starting PTB for each would be most of the time.
    async with poster(any_store, clock) as bot:
        for _ in range(PER_BOT):
            c = data.draw(updates())
            tally = await bot.post([c])
            assert tally.problems() == {}, (c.row, c.body[:300])
