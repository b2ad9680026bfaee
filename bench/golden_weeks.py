"""Print the golden plans' weeks as compact lines: week minutes, long walk, pack, strength
days, stairs days, the second walk, downhill practice (walk min / floors down) and the
test-day codes (the before/after table of planner changes)."""

from __future__ import annotations

from planner import SessionType, build_plan
from tests.planner.test_golden import CASES

STAIRS = {t for t in SessionType if t.value in ("stairs", "step_ups")}


def main() -> None:
    for name, profile in sorted(CASES.items()):
        plan = build_plan(profile, (), profile.start_date)
        print(f"## {name}")
        print("week | phase | min | long walk | pack | strength | stairs | 2nd walk | down | tests")
        for w in plan.weeks:
            walks = [s for s in w.sessions if s.type is SessionType.BACKPACK_WALK]
            walk = max((s.minutes for s in walks), default=0)
            pack = max((s.pack_kg or 0 for s in walks), default=0)
            strength = sum(s.type is SessionType.STRENGTH or s.strength_block > 0
                           for s in w.sessions if s.training)
            stairs = sum(s.type in STAIRS for s in w.sessions)
            second = max((s.minutes for s in w.sessions if s.type.value == "second_walk"),
                         default=0)
            down_walk = max((s.descent for s in walks), default=0)
            down_floors = max((s.descent for s in w.sessions if s.type in STAIRS), default=0)
            tests = ",".join(c for s in w.sessions for c in s.tests) or "-"
            print(f"{w.index} | {w.phase.value} | {w.minutes} | {walk} | {pack:g} | "
                  f"{strength} | {stairs} | {second or '-'} | {down_walk}/{down_floors} | "
                  f"{tests}")


if __name__ == "__main__":
    main()
