"""Planning: which documents each force writes (report, kind, date, file name) and which topic statuses they state."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from evals.gencorpus.data import BOARD, COMMENTS, LETTER, OTHER_REPORTS, REPORTS, STATUSES, TOPICS
from evals.gencorpus.text import rand_date, slug

# The order statuses move in across a force's documents; done and declined are both final.
_RANK = {"planned": 0, "in_progress": 1, "done": 2, "declined": 2}
# The statuses an earlier document may have stated, by the final status.
_EARLIER = {
    "done": ("planned", "in_progress"),
    "in_progress": ("planned", "in_progress"),
    "planned": ("planned",),
    "declined": ("planned", "in_progress"),
}
# Chance of a letter, a board paper and published comments, by report (default: _OTHER_KINDS).
_KIND_WEIGHTS = {"lif": (0.3, 0.5, 0.2), "sussex": (0.45, 0.3, 0.25)}
_OTHER_KINDS = (0.4, 0.35, 0.25)
_FILE_KIND = {LETTER: "pcc-letter", BOARD: "board-paper", COMMENTS: "comments"}


@dataclass
class DocPlan:
    force: str
    report: str
    kind: str  # LETTER, BOARD, COMMENTS
    date: date
    index: int = -1
    file: str = ""
    mentions: list[tuple[str, str, date | None]] = field(default_factory=list)  # (topic, status, previous mention date)


def _reports_for(rng: random.Random, k: int) -> list[str]:
    """The reports a force's `k` documents respond to: a share for the stalking reports, then the others."""
    n_stalk = k if k <= 3 else max(3, min(12, round(k / 4)))
    if n_stalk == 1:
        reports = ["sussex"]
    else:
        n_lif = max(1, n_stalk // 3)
        reports = ["lif"] * n_lif + ["sussex"] * (n_stalk - n_lif)
    others = list(OTHER_REPORTS)
    rng.shuffle(others)
    # The topic-bearing reports first, so that mid-sized corpora carry their topics.
    others.sort(key=lambda r: r not in ("fraud", "older", "roads"))
    return reports + [others[i % len(others)] for i in range(k - n_stalk)]


def _plan_force(seed: int, force: str, k: int) -> list[DocPlan]:
    rng = random.Random(f"{seed}:force:{force}")
    used: set[date] = set()
    plans = []
    for rep in _reports_for(rng, k):
        lo, hi = REPORTS[rep].window
        for _ in range(1000):
            d = rand_date(rng, lo, hi)
            if d not in used and d.weekday() < 5:
                break
        else:  # the window is full: widen it
            d = max(used) + timedelta(days=1)
            while d in used:
                d += timedelta(days=1)
        used.add(d)
        kind = rng.choices((LETTER, BOARD, COMMENTS), _KIND_WEIGHTS.get(rep, _OTHER_KINDS))[0]
        plans.append(DocPlan(force, rep, kind, d))
    plans.sort(key=lambda p: p.date)
    return plans


def _plan_topics(seed: int, force: str, plans: list[DocPlan]) -> None:
    """Choose each topic's final status and which documents mention it (in `plans[*].mentions`)."""
    rng = random.Random(f"{seed}:topics:{force}")
    for topic in TOPICS:
        eligible = [p for p in plans if p.report in topic.reports]
        status = rng.choices(STATUSES, topic.weights)[0]
        if not eligible or status == "not_mentioned":
            continue
        m = min(len(eligible), rng.choice((1, 1, 2, 2, 3)))
        chosen = sorted(rng.sample(eligible, m), key=lambda p: p.date)
        earlier = _EARLIER[status]
        statuses = sorted((rng.choice(earlier) for _ in range(m - 1)), key=_RANK.__getitem__) + [status]
        prev: date | None = None
        for p, st in zip(chosen, statuses, strict=True):
            p.mentions.append((topic.id, st, prev))
            prev = p.date


def _name_files(seed: int, plans: list[DocPlan]) -> None:
    """Give each plan its index and a unique file name (without extension)."""
    names: set[str] = set()
    for i, p in enumerate(plans):
        p.index = i
        r = random.Random(f"{seed}:name:{i}")
        stem = (
            f"hmicfrs-response-{r.randrange(16**6):06x}"
            if r.random() < 0.15
            else f"{slug(p.force)}-{_FILE_KIND[p.kind]}-{p.date.isoformat()}"
        )
        name, n = stem, 2
        while name in names:
            name, n = f"{stem}-{n}", n + 1
        names.add(name)
        p.file = name


def plan(n_docs: int, seed: int, forces: Sequence[str]) -> list[DocPlan]:
    """`n_docs` documents spread evenly over `forces`, in date order."""
    rng = random.Random(f"{seed}:plan")
    order = list(forces)
    rng.shuffle(order)
    plans: list[DocPlan] = []
    for i, force in enumerate(order):
        k = n_docs // len(order) + (1 if i < n_docs % len(order) else 0)
        if k:
            fp = _plan_force(seed, force, k)
            _plan_topics(seed, force, fp)
            plans += fp
    plans.sort(key=lambda p: (p.date, p.force))
    _name_files(seed, plans)
    return plans
