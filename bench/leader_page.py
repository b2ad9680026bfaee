"""Print how long the leader's table takes for one batch: 40 trekkers, 6 weeks of logs each."""

from __future__ import annotations

import asyncio
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from conversations.batch_report import report
from conversations.profile import from_answers
from storage import LoggedSession, Store
from storage import batches as q

TREKKERS = 40
START = date(2026, 10, 19)
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


async def seed(store: Store) -> int:
    answers = {"running": "sometimes", "run_minutes": 20, "joints": [], "trek_date":
               "2027-02-20", "grade": "moderate", "days": 4}
    async with store.transaction() as tx:
        batch = await q.create_batch(tx, "Bench Trek", date(2027, 2, 20), "moderate")
        for k in range(TREKKERS):
            user = await tx.get_or_create_user("telegram", str(k), f"T{k}")
            user.profile = from_answers(answers, START)
            user.timezone, user.status = "Asia/Kolkata", "active"
            await q.join(tx, user.id, batch, NOW - timedelta(days=40))
            for d in range(0, 42, 2 + k % 3):
                await tx.add_log(LoggedSession(
                    user_id=user.id, day=START + timedelta(days=d), kind="done",
                    session_type="backpack_walk" if d % 6 == 0 else "zone2_run",
                    minutes=30 + d))
        return batch.id


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}")
        await store.start()
        batch_id = await seed(store)
        async with store.transaction() as tx:
            batch = await tx.session.get(q.Batch, batch_id)
        assert batch is not None
        times = []
        for _ in range(5):
            t0 = time.perf_counter()
            async with store.transaction() as tx:
                table = await report(tx, batch, NOW, "readiness", True)
            times.append(time.perf_counter() - t0)
        await store.close()
    assert len(table.trekkers) == TREKKERS
    print(f"leader table, {TREKKERS} trekkers: first {times[0] * 1000:.0f} ms, "
          f"then {min(times[1:]) * 1000:.0f} ms (best of 4)")


if __name__ == "__main__":
    asyncio.run(main())
