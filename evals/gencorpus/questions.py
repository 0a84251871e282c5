"""The question set (the schema of DESIGN.md) that the ground-truth statuses answer.

Per topic: which forces have done / plan / declined it, one force's status (with its numbers as facts), a
follow-up turn about another force, and a force that never mentioned it (abstain); then officer counts,
and questions about things no document mentions (abstain).
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from evals.gencorpus.data import STATUSES, TOPICS, Topic
from evals.gencorpus.text import slug

Status = dict[str, dict[str, dict]]  # force -> topic name -> {"status", "evidence", "history"}

_ABSTAIN = (
    "Which forces have started GPS tagging of stalking perpetrators?",
    "Has any force introduced facial recognition to identify stalkers?",
    "Which forces use drones to monitor stalking suspects?",
)


def by_status(status: Status, force: str, topic: Topic) -> str:
    return status[force][topic.name]["status"]


def fact(n: str) -> list[str]:
    """The ways a number may be written: "1,234" or "1234"."""
    return [n, n.replace(",", "")] if "," in n else [n]


def _latest_files(status: Status, forces: list[str], topic: Topic) -> list[str]:
    return sorted({status[f][topic.name]["evidence"][0]["file"] for f in forces})


def _list_questions(status: Status, t: Topic, by: dict[str, list[str]], rng: random.Random) -> list[dict]:
    """Which forces have done, plan to, or decided not to do the topic (the others as not_forces)."""
    qs: list[dict] = []
    if by["done"]:
        question = rng.choice(
            (
                f"Which forces have {t.name}?",
                f"Which police forces report that they have {t.name}?",
                f"List the forces that have {t.name}.",
            )
        )
        not_forces = sorted(by["planned"] + by["not_mentioned"] + by["declined"])
        qs.append(_list_item(status, t, "done", question, by["done"], not_forces))
    if by["planned"]:
        not_forces = sorted(by["done"] + by["declined"] + by["not_mentioned"])
        question = f"Which forces plan to {t.infinitive}?"
        qs.append(_list_item(status, t, "planned", question, by["planned"], not_forces))
    if by["declined"]:
        not_forces = sorted(by["done"] + by["in_progress"] + by["planned"] + by["not_mentioned"])
        question = f"Which forces have decided not to {t.infinitive}?"
        qs.append(_list_item(status, t, "declined", question, by["declined"], not_forces))
    return qs


def _list_item(status: Status, t: Topic, what: str, question: str, forces: list[str], not_forces: list[str]) -> dict:
    return {
        "id": f"gen-{t.id}-{what}",
        "question": question,
        "expect": {"docs": _latest_files(status, forces, t), "forces": sorted(forces), "not_forces": not_forces},
    }


def _force_questions(
    status: Status, forces: Sequence[str], present: set[str], t: Topic, by: dict[str, list[str]], rng: random.Random
) -> list[dict]:
    """One force's status, a follow-up turn about another, and one that never mentioned the topic."""
    qs: list[dict] = []
    mentioned = sorted(f for f in forces if by_status(status, f, t) != "not_mentioned")
    if mentioned:
        f = rng.choice(mentioned)
        ev = status[f][t.name]["evidence"][0]
        item = {
            "id": f"gen-{t.id}-{slug(f)}",
            "question": f"Has {f} {t.name}?",
            "expect": {"docs": [ev["file"]], "forces": [f]},
        }
        if ev.get("numbers"):
            item["expect"]["facts"] = [fact(n) for n in list(ev["numbers"].values())[:2]]
        qs.append(item)
        other = rng.choice(mentioned)
        ev2 = status[other][t.name]["evidence"][0]
        qs.append(
            {
                "id": f"gen-{t.id}-followup-{slug(other)}",
                "turns": [f"Which forces have {t.name}?", f"And what about {other}?"],
                "expect": {"docs": [ev2["file"]], "forces": [other]},
            }
        )
    unmentioned = sorted(f for f in by["not_mentioned"] if f in present)
    if unmentioned:
        f = rng.choice(unmentioned)
        qs.append(
            {
                "id": f"gen-{t.id}-absent-{slug(f)}",
                "question": f"What has {f} said about whether it has {t.name}?",
                "expect": {"abstain": True, "docs": [], "forces": []},
            }
        )
    return qs


def _count_questions(status: Status, forces: Sequence[str]) -> list[dict]:
    """How many officers the first force that trained them (with a count) trained, per training topic."""
    qs: list[dict] = []
    for t in TOPICS:
        if t.id not in ("train_frontline", "older_training"):
            continue
        for f in forces:
            ev = status[f][t.name]["evidence"]
            if status[f][t.name]["status"] == "done" and ev and "n_officers" in ev[0]["numbers"]:
                n = ev[0]["numbers"]["n_officers"]
                what = "on stalking" if t.id == "train_frontline" else "to recognise abuse of older people"
                qs.append(
                    {
                        "id": f"gen-{t.id}-count-{slug(f)}",
                        "question": f"How many officers has {f} trained {what}?",
                        "expect": {"docs": [ev[0]["file"]], "forces": [f], "facts": [fact(n)]},
                    }
                )
                break
    return qs


def questions(status: Status, forces: Sequence[str], present: set[str]) -> list[dict]:
    """The question set; `present`: the forces with at least one document."""
    rng = random.Random("questions")
    qs: list[dict] = []
    for t in TOPICS:
        by: dict[str, list[str]] = {s: [] for s in STATUSES}
        for f in forces:
            by[status[f][t.name]["status"]].append(f)
        qs += _list_questions(status, t, by, rng)
        qs += _force_questions(status, forces, present, t, by, rng)
    qs += _count_questions(status, forces)
    for i, q in enumerate(_ABSTAIN, 1):
        qs.append({"id": f"gen-abstain-{i}", "question": q, "expect": {"abstain": True, "docs": [], "forces": []}})
    return qs
