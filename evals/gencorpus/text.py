"""Small text helpers: dates in words, numbers with commas, slugs, and the Latin-1 the PDF fonts can show."""

from __future__ import annotations

import random
import re
from datetime import date, timedelta

# English month names, written out here rather than taken from `calendar` (whose names follow the locale):
# the same seed must give the same bytes everywhere.
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def ordinal(d: date) -> str:
    """ "5th July 2017"."""
    n = d.day
    suf = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suf} {MONTHS[d.month - 1]} {d.year}"


def long_date(d: date) -> str:
    """ "5 July 2017"."""
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def month_year(d: date) -> str:
    return f"{MONTHS[d.month - 1]} {d.year}"


def number(n: int) -> str:
    return f"{n:,}"


def slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")


def rand_date(rng: random.Random, lo: date, hi: date) -> date:
    if hi <= lo:
        return lo
    return lo + timedelta(days=rng.randrange((hi - lo).days + 1))


_LATIN1 = str.maketrans(
    {"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "...", "ŵ": "w", "ŷ": "y", "\u00a0": " "}
)


def to_latin1(s: str) -> str:
    """What the core PDF fonts can show: typographic punctuation simplified, the rest '?'."""
    return s.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")
