"""The tables the generator draws on: read once, at import, from ``data/*.yaml`` into typed constants.

    forces.yaml   FORCE_INFO: letterhead details per force
    people.yaml   BOARDS, GROUPS, UNITS, RANKS, PARTNERS, FIRST, LAST, POSTNOMINALS, HOME_SECRETARIES
    reports.yaml  REPORTS: the HMICFRS reports responded to
    topics.yaml   TOPICS: the ground-truth topics and their status sentences
    filler.yaml   LEADS, FOLLOW_ONS, FILLER_BANKS, F_STALKING, F_GENERIC, F_CLOSING, DISTRACTORS, WELSH_LANGUAGE

Each file's header comment says what its fields mean.  Tables keep their order (the generator draws
from them with a seeded random number generator), so editing one changes the corpus a seed gives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).parent / "data"

# Values mirror ingest.types.DocType / AuthorRole.
LETTER = "letter to the Home Secretary"
BOARD = "board paper"
COMMENTS = "published comments"
PCC_ROLE = "PCC"
CC_ROLE = "Chief Constable"

STATUSES = ("done", "in_progress", "planned", "declined", "not_mentioned")
TARGET_CHARS = (6000, 8000)  # per document; ~10 chunks of ~700 characters


@dataclass(frozen=True)
class ForceInfo:
    org: str  # "Constabulary", "Police", "Police Service"
    street: str
    postcode: str
    domain: str
    tel: str
    welsh: str | None = None  # Welsh name of the area for bilingual letterheads


@dataclass(frozen=True)
class Report:
    key: str
    title: str
    short: str
    published: date
    window: tuple[date, date]  # when responses are dated
    subject: str
    stalking: bool
    recs: tuple[tuple[str, str], ...]  # (recommendation text, topic-rec key)
    findings: tuple[str, ...]


@dataclass(frozen=True)
class Topic:
    id: str
    name: str  # past participle phrase: "Which forces have NAME?"
    infinitive: str  # "Which forces plan to INFINITIVE?"
    reports: tuple[str, ...]
    rec: str  # recommendation key its table responses sit under
    weights: tuple[float, ...]  # done, in_progress, planned, declined, not_mentioned
    templates: dict[str, tuple[str, ...]]


# libyaml's safe loader when PyYAML has it: the same result, ten times faster than the pure-Python one.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load(name: str) -> Any:
    with (DATA_DIR / f"{name}.yaml").open(encoding="utf-8") as f:
        return yaml.load(f, Loader=_LOADER)


def _strs(items: Any, what: str) -> tuple[str, ...]:
    if not isinstance(items, list) or not all(isinstance(s, str) for s in items):
        raise ValueError(f"gencorpus data: {what} must be a list of strings")
    return tuple(items)


def _date(value: Any, what: str) -> date:
    if not isinstance(value, date):
        raise ValueError(f"gencorpus data: {what} must be a date (YYYY-MM-DD), not {value!r}")
    return value


def _forces(raw: dict[str, dict[str, str]]) -> dict[str, ForceInfo]:
    return {force: ForceInfo(**fields) for force, fields in raw.items()}


def _window(pub: date, lo: int = 25, hi: int = 420) -> tuple[date, date]:
    return pub + timedelta(days=lo), pub + timedelta(days=hi)


def _report(key: str, r: dict[str, Any]) -> Report:
    published = _date(r["published"], f"{key}.published")
    if "window" in r:
        first, last = (_date(d, f"{key}.window") for d in r["window"])
        window = (first, last)
    else:
        window = _window(published)
    return Report(
        key,
        r["title"],
        r["short"],
        published,
        window,
        r["subject"],
        bool(r["stalking"]),
        tuple((rec["text"], rec["key"]) for rec in r["recommendations"]),
        _strs(r["findings"], f"{key}.findings"),
    )


def _topic(t: dict[str, Any], default_weights: list[float]) -> Topic:
    weights = tuple(float(w) for w in t.get("weights", default_weights))
    if len(weights) != len(STATUSES):
        raise ValueError(f"gencorpus data: topic {t['id']} needs one weight per status {STATUSES}")
    for key in t["reports"]:
        if key not in REPORTS:
            raise ValueError(f"gencorpus data: topic {t['id']} names an unknown report {key!r}")
    templates = {status: _strs(ts, f"{t['id']}.templates.{status}") for status, ts in t["templates"].items()}
    return Topic(t["id"], t["name"], t["infinitive"], tuple(t["reports"]), t["rec"], weights, templates)


# --------------------------------------------------------------------------- forces and people

FORCE_INFO: dict[str, ForceInfo] = _forces(_load("forces"))

_people = _load("people")
BOARDS = _strs(_people["boards"], "boards")
GROUPS = _strs(_people["groups"], "groups")
UNITS = _strs(_people["units"], "units")
RANKS = _strs(_people["ranks"], "ranks")
PARTNERS = _strs(_people["partners"], "partners")
FIRST = _strs(_people["first_names"], "first_names")
LAST = _strs(_people["last_names"], "last_names")
POSTNOMINALS = _strs(_people["postnominals"], "postnominals")
HOME_SECRETARIES: tuple[tuple[date, str], ...] = tuple(  # (from, name), in date order
    (_date(h["from"], "home_secretaries.from"), h["name"]) for h in _people["home_secretaries"]
)

# --------------------------------------------------------------------------- reports and topics

REPORTS: dict[str, Report] = {key: _report(key, r) for key, r in _load("reports").items()}
STALKING_REPORTS = tuple(k for k, r in REPORTS.items() if r.stalking)
OTHER_REPORTS = tuple(k for k, r in REPORTS.items() if not r.stalking)

_topics = _load("topics")
TOPICS: tuple[Topic, ...] = tuple(_topic(t, _topics["default_weights"]) for t in _topics["topics"])
TOPIC_BY_ID = {t.id: t for t in TOPICS}

# Phrases that carry a topic status; filler text must never contain them (DISTRACTORS aside).
TOPIC_PHRASES = re.compile(
    r"""
      audit                       # audit_breaches
    | single\ point | SPOC        # stalking_spoc, fraud_spoc
    | Information\ Notice
    | \bPINs?\b                   # withdraw_pins
    | train                       # train_frontline, older_training
    | definition                  # npcc_definition
    | clinic                      # stalking_clinic
    | advoca                      # victim_advocate
    | protocol                    # cps_protocol
    | protection\ order           # review_spos
    | breach                      # record_breaches, audit_breaches
    | action\ plan                # action_plan
    | roads\ policing\ strategy   # roads_strategy
    | GPS | drone | facial\ recognition  # what the abstention questions ask about
    """,
    re.I | re.VERBOSE,
)

# --------------------------------------------------------------------------- filler

_filler = _load("filler")
LEADS: dict[str, tuple[str, ...]] = {status: _strs(v, f"leads.{status}") for status, v in _filler["leads"].items()}
FOLLOW_ONS = _strs(_filler["follow_ons"], "follow_ons")
FILLER_BANKS: dict[str, tuple[str, ...]] = {name: _strs(v, f"banks.{name}") for name, v in _filler["banks"].items()}
F_STALKING = _strs(_filler["stalking"], "stalking")
F_GENERIC = _strs(_filler["generic"], "generic")
F_CLOSING = _strs(_filler["closing"], "closing")
# Filler sentences that share words with a topic without stating it (hard negatives).
DISTRACTORS = _strs(_filler["distractors"], "distractors")
WELSH_LANGUAGE = _strs(_filler["welsh_language"], "welsh_language")
