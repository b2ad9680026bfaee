"""The daily conversation through the engine: logging, questions, views, pain, account."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.clock import FakeClock
from conversations.engine import Engine
from conversations.history import history_of
from conversations.profile import to_planner
from planner import SessionType, session_for
from storage import Store
from tests.conversations.daily_support import Chat, logs, onboarded, profile, user_row

WED = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)  # a training day in the default 4-day week


def planned_on(day: date, **changes: object) -> SessionType:
    s = session_for(to_planner(profile(**changes)), (), day, day)
    assert s is not None
    return s.type


async def test_done_logs_minutes_effort_feeling_and_answers_with_the_week(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    uid = await onboarded(store)
    clock.advance_to(WED)
    chat = Chat(engine, clock)
    reply = await chat.say("finished it, 35 min 7/10, felt hard")
    [row] = await logs(store, uid)
    assert (row.kind, row.day, row.minutes, row.effort, row.feeling) == (
        "done", date(2026, 12, 2), 35, 7, "hard")
    assert row.session_type == planned_on(date(2026, 12, 2)).value
    assert "Logged" in reply and "35 min" in reply and "7/10" in reply
    assert "This week: 1 of" in reply
    assert "Next:" in reply


async def test_done_without_minutes_takes_the_planned_dose(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    uid = await onboarded(store)
    clock.advance_to(WED)
    await Chat(engine, clock).send("✅")
    [row] = await logs(store, uid)
    s = session_for(to_planner(profile()), (), date(2026, 12, 2), date(2026, 12, 2))
    assert s is not None and row.minutes == s.minutes


async def test_done_uses_the_users_local_date(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    uid = await onboarded(store, zone="Asia/Tokyo")
    clock.advance_to(datetime(2026, 12, 1, 23, 30, tzinfo=UTC))  # 08:30 on 2 Dec in Tokyo
    await Chat(engine, clock).send("done")
    [row] = await logs(store, uid)
    assert row.day == date(2026, 12, 2)


async def test_same_message_id_twice_logs_once_and_replies_once(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    uid = await onboarded(store)
    clock.advance_to(WED)
    chat = Chat(engine, clock)
    first = await chat.send("done 30 min", message_id="tg-77")
    again = await chat.send("done 30 min", message_id="tg-77")
    assert first and again == []
    assert len(await logs(store, uid)) == 1


async def test_second_done_for_the_same_session_says_already_logged(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    uid = await onboarded(store)
    clock.advance_to(WED)
    chat = Chat(engine, clock)
    await chat.send("done")
    reply = await chat.say("did it!")
    assert "already logged" in reply
    assert len(await logs(store, uid)) == 1


async def test_skip_logs_a_miss_and_done_later_replaces_it(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    uid = await onboarded(store)
    clock.advance_to(WED)
    chat = Chat(engine, clock)
    reply = await chat.say("can't today")
    assert "No need to make it up" in reply and "Wed 2 Dec" in reply
    assert [r.kind for r in await logs(store, uid)] == ["skipped"]
    assert "already" in await chat.say("skip")
    await chat.send("done after all")
    assert [r.kind for r in await logs(store, uid)] == ["done"]


async def test_missed_yesterday_logs_yesterday(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    uid = await onboarded(store)
    clock.advance_to(WED + timedelta(days=1))  # Thu; Wed was a training day
    await Chat(engine, clock).send("missed yesterday")
    [row] = await logs(store, uid)
    assert (row.kind, row.day) == ("skipped", date(2026, 12, 2))


async def test_missed_sessions_do_not_pile_up(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    await onboarded(store)
    clock.advance_to(WED)
    chat = Chat(engine, clock)
    p = to_planner(profile())
    before = session_for(p, (), date(2026, 12, 4), date(2026, 12, 2))
    await chat.send("skip")
    async with store.transaction() as tx:
        user = await tx.user("terminal", "ann")
        assert user is not None
        hist = history_of(await tx.logs(user.id))
        planned_fri = await tx.planned(user.id, date(2026, 12, 4))
    after = session_for(p, hist, date(2026, 12, 4), date(2026, 12, 2))
    assert before is not None and after is not None
    assert after.minutes <= before.minutes
    assert planned_fri is not None and planned_fri.minutes <= before.minutes


async def test_should_i_run_for_a_non_runner_says_no_with_the_alternative(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    await onboarded(store, running="no", easy_run_minutes=None)
    clock.advance_to(WED)
    reply = await Chat(engine, clock).say("should I run today?")
    assert "No run today" in reply
    assert "Instead:" in reply


async def test_should_i_run_on_a_run_day_says_yes(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    await onboarded(store)
    day = date(2026, 12, 1)
    p = to_planner(profile())
    while not (s := session_for(p, (), day, day)) or not s.is_run:
        day += timedelta(days=1)
    clock.advance_to(datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=9))
    reply = await Chat(engine, clock).say("can i go for a run")
    assert reply.startswith("*Yes")


async def test_today_plan_and_progress(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    await onboarded(store)
    clock.advance_to(WED)
    chat = Chat(engine, clock)
    assert "Today, Wed 2 Dec" in await chat.say("what's today")
    assert "Today, Wed 2 Dec" in await chat.say("/today")
    week = await chat.say("this week")
    assert "Week 1" in week and "<- today" in week
    assert week == await chat.say("/plan")
    await chat.send("done 40 min")
    out = await chat.send("how am I doing")
    assert "Readiness" in out[0].text and "Streak: 1" in out[0].text
    assert "40 of" in out[0].text
    image = out[1].attachment
    assert image is not None and image.is_image and image.data.startswith(b"\x89PNG")


async def test_pain_scores_follow_the_traffic_light(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    uid = await onboarded(store)
    clock.advance_to(WED)
    chat = Chat(engine, clock)
    red = await chat.say("pain 6/10 in my knee")
    assert "stop" in red and "low impact" in red and "physiotherapist" in red
    [row] = await logs(store, uid)
    assert (row.kind, row.pain, row.pain_area) == ("pain", 6, "knee")
    assert "Today now:" in red


async def test_pain_without_a_score_asks_for_one(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    uid = await onboarded(store)
    clock.advance_to(WED)
    chat = Chat(engine, clock)
    assert "0 to 10" in await chat.say("my ankle hurts")
    assert await logs(store, uid) == []
    reply = await chat.say("3")
    assert "carry on" in reply
    [row] = await logs(store, uid)
    assert (row.pain, row.pain_area) == (3, "ankle")


async def test_sickness_below_the_neck_means_rest(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    uid = await onboarded(store)
    clock.advance_to(WED)
    chat = Chat(engine, clock)
    reply = await chat.say("I have a fever")
    assert "Rest" in reply and "doctor" in reply
    [row] = await logs(store, uid)
    assert (row.kind, row.sickness) == ("sick", "fever")
    assert "No run today" in await chat.say("run today?")


async def test_pause_and_resume_change_the_status(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    uid = await onboarded(store)
    chat = Chat(engine, clock)
    await chat.send("pause reminders")
    assert (await user_row(store, uid)).status == "paused"  # type: ignore[union-attr]
    reply = await chat.say("/resume")
    user = await user_row(store, uid)
    assert user is not None and user.status == "active"
    assert user.next_prompt_at == datetime(2026, 12, 2, 6, 0, tzinfo=UTC)  # 7:00 Berlin
    assert "Wed 2 Dec, 7:00" in reply


async def test_reset_asks_first_then_starts_over(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    uid = await onboarded(store)
    chat = Chat(engine, clock)
    assert "yes" in await chat.say("/reset")
    assert "nothing changed" in await chat.say("no")
    assert (await user_row(store, uid)).state == "active"  # type: ignore[union-attr]
    await chat.send("start over")
    await chat.send("yes")
    user = await user_row(store, uid)
    assert user is not None and user.status == "stopped" and user.next_prompt_at is None
    assert user.state == "ask_running"


async def test_delete_asks_first_then_erases_every_row(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    uid = await onboarded(store)
    clock.advance_to(WED)
    chat = Chat(engine, clock)
    await chat.send("done")
    assert "yes" in await chat.say("delete my data")
    assert "Please reply" in await chat.say("hmm")
    assert "erased" in await chat.say("yes")
    assert await user_row(store, uid) is None
    assert await logs(store, uid) == []


async def test_help_menu_and_unknown_are_never_silent(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    await onboarded(store)
    chat = Chat(engine, clock)
    for word in ("help", "menu", "/help", "HELP"):
        assert "What you can tell me" in await chat.say(word)
    unknown = await chat.say("purple elephants")
    assert "done" in unknown and "today" in unknown


async def test_daily_commands_before_onboarding_ends_get_a_friendly_reply(
        engine: Engine, clock: FakeClock) -> None:
    reply = await Chat(engine, clock, key="new").say("/today")
    assert "questions" in reply


async def test_training_days_change_rebuilds_the_plan(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    uid = await onboarded(store)
    reply = await Chat(engine, clock).say("train on tue thu sat")
    assert "Tue, Thu, Sat" in reply
    user = await user_row(store, uid)
    assert user is not None and user.profile is not None
    assert user.profile["training_weekdays"] == [1, 3, 5]
    assert user.profile["days_per_week"] == 3
    async with store.transaction() as tx:
        planned = await tx.planned(uid, date(2026, 12, 3))
        assert planned is not None and planned.session_type != "recovery"


# -- pain warning signs ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("messages", "score", "words"),
    [
        (["my knee hurts and it's swollen", "4"], 4, ["ease off", "it's swollen"]),
        (["pain 5/10, worse when I walk"], 5, ["ease off", "gets worse as you move"]),
        (["still hurts from yesterday", "3"], 3, ["ease off", "lasted past the next day"]),
        (["my ankle hurts", "4, and it's swollen now"], 4, ["ease off", "it's swollen"]),
        (["pain 2/10 in my hip, swollen and getting worse"], 2,
         ["ease off", "it's swollen and it gets worse as you move"]),
        (["pain 7/10 in my knee, swollen"], 7, ["stop", "it's swollen"]),
    ],
)
async def test_pain_warning_signs_mean_a_physiotherapist_or_doctor(
        store: Store, engine: Engine, clock: FakeClock, messages: list[str], score: int,
        words: list[str]) -> None:
    uid = await onboarded(store)
    clock.advance_to(WED)
    chat = Chat(engine, clock)
    for message in messages:
        reply = await chat.say(message)
    for word in [*words, "please see a physiotherapist or doctor"]:
        assert word in reply, reply
    [row] = await logs(store, uid)
    assert (row.kind, row.pain) == ("pain", score)


async def test_pain_without_warning_signs_keeps_the_traffic_light(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    await onboarded(store)
    clock.advance_to(WED)
    reply = await Chat(engine, clock).say("pain 5/10 in my knee")
    assert "carry on carefully" in reply and "please see" not in reply
    assert "If it gets worse while moving" in reply


async def test_still_hurts_asks_about_yesterdays_sore_spot(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    uid = await onboarded(store)
    chat = Chat(engine, clock)
    await chat.send("knee pain 3/10")
    clock.advance(timedelta(days=1))
    # the morning follow-up is open ("How's the knee today?"): "still hurts" answers it
    # with yesterday's score, in one go (issue 11.4)
    reply = await chat.say("still hurts from yesterday")
    assert "physiotherapist" in reply and "0 to 10" not in reply
    assert "Pain 3/10 in your knee: ease off" in reply
    rows = await logs(store, uid)
    assert [(r.day, r.pain, r.pain_area) for r in rows] == [
        (date(2026, 12, 1), 3, "knee"), (date(2026, 12, 2), 3, "knee")]


async def test_pain_reported_with_a_second_done_is_still_heard(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    uid = await onboarded(store)
    clock.advance_to(WED)
    chat = Chat(engine, clock)
    await chat.send("done")
    reply = await chat.say("done, knee pain 6/10 and swollen")
    assert "already logged" in reply and "physiotherapist" in reply
    assert sorted(r.kind for r in await logs(store, uid)) == ["done", "pain"]


# -- first day, rest days, streaks, dates --------------------------------------------------------


async def test_missed_yesterday_on_the_first_day_of_the_plan_logs_nothing(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    uid = await onboarded(store, start_date="2026-12-01")  # the clock says Tue 1 Dec
    reply = await Chat(engine, clock).say("missed yesterday")
    assert reply == ("Your plan started today (Tue 1 Dec), so there was nothing to miss "
                     "yesterday (Mon 30 Nov).")
    assert await logs(store, uid) == []


def _days(kind: str) -> list[date]:
    """Days of the default plan's first two weeks that are training (or rest) days."""
    p = to_planner(profile())
    out = []
    for n in range(14):
        day = date(2026, 11, 30) + timedelta(days=n)
        s = session_for(p, (), day, day)
        if s is not None and s.training == (kind == "training"):
            out.append(day)
    return out


def _at(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=9)


async def test_done_on_a_rest_day_is_a_kind_bonus_not_a_planned_session(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    uid = await onboarded(store)
    rest = next(d for d in _days("rest") if d >= date(2026, 12, 1))
    clock.advance_to(_at(rest))
    reply = await Chat(engine, clock).say("done 30 min")
    assert f"Logged for {rest:%a} {rest.day} {rest:%b}:* Extra session, 30 min." in reply
    assert "bonus" in reply and "rest day" in reply
    assert "planned sessions done, plus 1 extra." in reply
    [row] = await logs(store, uid)
    assert (row.kind, row.session_type) == ("done", None)


async def test_skip_on_a_rest_day_logs_nothing(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    uid = await onboarded(store)
    rest = next(d for d in _days("rest") if d >= date(2026, 12, 1))
    clock.advance_to(_at(rest))
    reply = await Chat(engine, clock).say("skip")
    assert reply.startswith("Noted. Today (") and "nothing to skip" in reply
    assert await logs(store, uid) == []


async def test_the_streak_counts_planned_sessions_and_a_miss_ends_it(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    await onboarded(store)
    chat = Chat(engine, clock)
    training = [d for d in _days("training") if d >= date(2026, 12, 1)]
    for day in training[:3]:
        clock.advance_to(_at(day))
        reply = await chat.say("done")
    assert "That's 3 planned sessions in a row." in reply
    clock.advance_to(_at(training[3]))
    await chat.send("skip")
    clock.advance_to(_at(training[4]))
    reply = await chat.say("done")
    assert "in a row" not in reply
    progress = (await chat.send("progress"))[0].text
    assert "Streak: 1 planned session in a row" in progress
    # due so far: Mon 30 Nov (never logged), three done, the skip, and today's done
    assert "Planned sessions done: 4 of 6 so far" in progress


async def test_logging_replies_name_the_day(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    await onboarded(store)
    clock.advance_to(WED + timedelta(days=1))  # Thu 3 Dec
    chat = Chat(engine, clock)
    assert "*Logged for yesterday (Wed 2 Dec):*" in await chat.say("did it yesterday, 30 min")
    assert "for yesterday (Wed 2 Dec)" in await chat.say("done yesterday")
    assert "logged yesterday (Wed 2 Dec) as done" in await chat.say("missed yesterday")
