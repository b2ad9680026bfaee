"""Week-1 volumes as data: what a person of each profile can do now without strain.

Our judgement (documented with reasons in planner/README.md, "Start volumes"). The 10%
weekly rule then grows the plan from here; only this starting point depends on the
profile class (not a runner / sometimes / regular runner), a joint issue and the number
of training days.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.profile import Profile, Running


@dataclass(frozen=True)
class StartRow:
    """Week-1 doses for one profile class."""

    walk: int  # backpack walk, minutes, light pack
    floors: int  # stairs, floors (minutes: stairs_minutes)
    cycling: int  # easy cycling / low-impact cardio, minutes
    strength_sets: int  # strength, sets of each move (minutes: strength_minutes)
    z2_cap: int  # zone 2: the runner's easy minutes, clamped 20-40 and capped here
    long_run_extra: int  # long slow run: easy minutes + this, clamped 30-60 (article)


START: dict[Running, StartRow] = {
    Running.NO: StartRow(walk=60, floors=10, cycling=35, strength_sets=2, z2_cap=20,
                         long_run_extra=0),
    Running.SOMETIMES: StartRow(walk=60, floors=12, cycling=35, strength_sets=2, z2_cap=25,
                                long_run_extra=0),
    Running.REGULAR: StartRow(walk=65, floors=14, cycling=40, strength_sets=2, z2_cap=40,
                              long_run_extra=10),
}

JOINT_WALK = -5  # a joint issue: the first walks a little shorter
JOINT_FLOORS = -2  # and a couple of floors fewer (stairs load knees, hips and ankles)
JOINT_Z2_CAP = 30  # runners with a joint issue: zone 2 at most 30 min in week 1
FEW_DAYS = 3  # three training days: four rest days between, so the walk can be a little
FEW_DAYS_WALK = 20  # longer (strength: one session plus a short block, planner/week.py)
MORE_DAYS = 6  # six training days: a person already used to daily activity, one more
MORE_DAYS_FLOORS = 2  # couple of floors
RUN_CLAMP = (20, 40)  # zone 2 runs: 20-40 min (article)
LONG_RUN_CLAMP = (30, 60)  # long slow runs: 30-60 min (article)
RUN_WALK_BELOW = 20  # easy minutes under this: zone 2 (and long) runs are run/walk
RUN_WALK_MIN_RUN = 2  # run segments start at half their easy minutes, at least 2 min,
RUN_WALK_GROWTH = 0.5  # grow by half (at least 1 min) each progression week, and the run
# is continuous once a segment covers the session (our judgement, run/walk method)
RUN_WALK_WALK = ((5, 2), (RUN_CLAMP[1], 1))  # walk 2 min after runs under 5 min, else 1
STAIRS_WARMUP = 10  # a stairs session: 5 min warm-up walk + climbs + 5 min cool-down
STRENGTH_WARMUP = 5  # a strength session: 5 min warm-up + about 10 min a set


@dataclass(frozen=True)
class Start:
    """Week-1 doses for one profile."""

    walk: int
    floors: int
    cycling: int
    strength_sets: int
    z2: int
    long_run: int
    run_seg: int | None = None  # run/walk: minutes of each run segment; None = continuous


def _clamp(x: int, lo: int, hi: int) -> int:
    return max(lo, min(hi, x))


def stairs_minutes(floors: int) -> int:
    """Minutes of a stairs session: warm-up and cool-down plus about 30 s a floor (up
    and walking back down)."""
    return STAIRS_WARMUP + floors // 2


def strength_minutes(sets: int) -> int:
    """Minutes of a strength session: a warm-up plus about 10 min per set of the moves."""
    return STRENGTH_WARMUP + 10 * sets


def run_segment(profile: Profile) -> int | None:
    """First run/walk segment for a runner whose easy minutes are under RUN_WALK_BELOW."""
    easy = profile.easy_run_minutes
    if not profile.runner or easy is None or easy >= RUN_WALK_BELOW:
        return None
    return max(RUN_WALK_MIN_RUN, easy // 2)


def next_run_segment(seg: int | None) -> int | None:
    """The run segment a progression week later (None once running is continuous)."""
    if seg is None:
        return None
    nxt = seg + max(1, int(seg * RUN_WALK_GROWTH))
    return None if nxt >= RUN_CLAMP[1] else nxt


def run_walk(seg: int | None, minutes: int) -> tuple[int, int] | None:
    """(run, walk) minutes of a run/walk session, or None for a continuous run."""
    if seg is None:
        return None
    walk = next(w for below, w in RUN_WALK_WALK if seg < below)
    return None if seg + walk >= minutes else (seg, walk)


def start_volumes(profile: Profile) -> Start:
    """Week-1 doses for ``profile`` from the START table and its adjustments."""
    row = START[profile.running]
    joint = profile.joint_issue
    days = len(profile.weekdays)
    few = days <= FEW_DAYS
    easy = profile.easy_run_minutes or RUN_CLAMP[0]
    z2_cap = min(row.z2_cap, JOINT_Z2_CAP) if joint else row.z2_cap
    walk = row.walk + (JOINT_WALK if joint else 0) + (FEW_DAYS_WALK if few else 0)
    floors = row.floors + (JOINT_FLOORS if joint else 0) + (
        MORE_DAYS_FLOORS if days >= MORE_DAYS else 0)
    return Start(
        walk=walk,
        floors=floors,
        cycling=row.cycling,
        strength_sets=row.strength_sets,
        z2=_clamp(min(easy, z2_cap), *RUN_CLAMP),
        long_run=_clamp(easy + row.long_run_extra, *LONG_RUN_CLAMP),
        run_seg=run_segment(profile),
    )
