"""The date vocabulary every part shares: month names (English and Welsh, for bilingual
letterheads), their numbers, and the regular-expression pieces that find them."""

from __future__ import annotations

import calendar

_ENGLISH = [calendar.month_name[i].lower() for i in range(1, 13)]
_WELSH = "ionawr chwefror mawrth ebrill mai mehefin gorffennaf awst medi hydref tachwedd rhagfyr".split()

# Month word -> number: full English names, their three-letter abbreviations (and "sept"),
# and the Welsh names. Keys are lower case.
MONTHS: dict[str, int] = {
    **{name: i for i, name in enumerate(_ENGLISH, 1)},
    **{name[:3]: i for i, name in enumerate(_ENGLISH, 1)},
    "sept": 9,
    **{name: i for i, name in enumerate(_WELSH, 1)},
}

# An English month name, full ("May", "September"): for case-sensitive prose patterns.
MONTH_NAME = "(?:" + "|".join(calendar.month_name[i] for i in range(1, 13)) + ")"
# A month written any way a letterhead writes it, English abbreviations and Welsh included:
# for case-insensitive patterns ("14th Sept. 2019", "Gorffennaf 2019").
MONTH_WORD = (
    "(?:"
    + "|".join(f"{name[:3]}(?:{name[3:]})?" if len(name) > 3 else name for name in _ENGLISH)
    + "|sept|"
    + "|".join(_WELSH)
    + r")\.?"
)


def month_number(word: str) -> int | None:
    """The number of a month word ("Sept." -> 9, "Gorffennaf" -> 7), or None."""
    word = word.lower().rstrip(".")
    return MONTHS.get(word) or (MONTHS.get(word[:3]) if word[:3] in MONTHS and word.isalpha() else None)
