"""Filters from user input, checked once for every surface: the CLI's flags, the chat's
`/filter`, the eval's `--filter KEY=VALUE` and the web app's controls all call
`parse_filters` (or `parse_filter_specs` for KEY=VALUE text), and get a `Filters` with
canonical force names and document types, or a `FilterError` whose message names the field
and says what it accepts.

Dates may be ISO (2019-05-14), a day, month or year in words ("14 May 2019", "May 2019",
"2019"), or relative ("today", "yesterday", "last week", "last month", "last year"). A month
or year means its first day as a `since` bound and its last day as an `until` bound, so
"since May 2019" and "until May 2019" both include May.
"""

from __future__ import annotations

import calendar
import re
import shlex
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from assistant.types import Filters
from ingest.dates import month_number
from ingest.forces import normalise_force
from ingest.types import DocType

__all__ = ["DOC_TYPES", "FilterError", "parse_date", "parse_filter_specs", "parse_filters"]

DOC_TYPES = [t.value for t in DocType]


class FilterError(ValueError):
    """A filter a user gave that cannot be used; `field` names it ("force", "since", ...)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})$")
_MONTH_YEAR = re.compile(r"^([a-z]+)\.?,?\s+(\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")
_RELATIVE = {"today": 0, "yesterday": 1}
_LAST = {"week": 7, "month": 31, "year": 365}


def _bounded(year: int, month: int | None, day: int | None, end: bool) -> date:
    if day is not None and month is not None:
        return date(year, month, day)
    if month is not None:
        return date(year, month, calendar.monthrange(year, month)[1] if end else 1)
    return date(year, 12, 31) if end else date(year, 1, 1)


def parse_date(value: object, field: str, *, end: bool = False, today: date | None = None) -> date | None:
    """A date from what a user typed or a date picker sent; None when nothing was given.

    `end`: the value is an upper bound, so a month or a year means its last day. Raises
    FilterError naming `field` when the value is not a date."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float):  # Gradio's DateTime sends a timestamp
        return datetime.fromtimestamp(value, tz=UTC).date()
    text = " ".join(str(value).lower().split())
    today = today or date.today()
    try:
        return _parse_text(text, end, today)
    except ValueError:  # 2019-13-45, 31 February 2019: looks like a date, is none
        pass
    raise FilterError(
        field, f"The {field} date '{value}' is not a date: use 2019-05-14, 14 May 2019, May 2019, 2019 or yesterday."
    )


def _parse_text(text: str, end: bool, today: date) -> date:
    if text in _RELATIVE:
        return today - timedelta(days=_RELATIVE[text])
    if text.startswith("last ") and text[5:] in _LAST:
        return today - timedelta(days=_LAST[text[5:]])
    if re.match(r"^\d{4}-\d{1,2}-\d{1,2}", text):
        return date.fromisoformat("-".join(f"{int(p):02d}" for p in text[:10].split(" ")[0].split("-")))
    if (m := _DAY_MONTH_YEAR.match(text)) and (month := month_number(m[2])) is not None:
        return _bounded(int(m[3]), month, int(m[1]), end)
    if (m := _MONTH_YEAR.match(text)) and (month := month_number(m[1])) is not None:
        return _bounded(int(m[2]), month, None, end)
    if m := _YEAR.match(text):
        return _bounded(int(m[1]), None, None, end)
    raise ValueError(text)


def _as_list(value: Iterable[str] | str | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def parse_force(name: object) -> str:
    """The canonical name of a force ("devon & cornwall" -> "Devon and Cornwall")."""
    canonical = normalise_force(name) if isinstance(name, str) else None
    if canonical is None:
        raise FilterError("force", f"Unknown force '{name}': use a name such as 'Gwent' or 'Devon and Cornwall'.")
    return canonical


def parse_doc_type(name: object) -> str:
    """A document type, matched without regard to case."""
    types = {t.lower(): t for t in DOC_TYPES}
    if not isinstance(name, str) or name.strip().lower() not in types:
        raise FilterError("doc_type", f"Unknown document type '{name}': use one of {', '.join(DOC_TYPES)}.")
    return types[name.strip().lower()]


def parse_filters(
    forces: Iterable[str] | str | None = None,
    doc_types: Iterable[str] | str | None = None,
    since: object = None,
    until: object = None,
    *,
    today: date | None = None,
) -> Filters:
    """Filters from user input. Raises FilterError (its `field` says which input is wrong)."""
    start = parse_date(since, "since", today=today)
    stop = parse_date(until, "until", end=True, today=today)
    if start and stop and start > stop:
        raise FilterError("since", f"The since date ({start}) is after the until date ({stop}).")
    return Filters(
        forces=list(dict.fromkeys(parse_force(f) for f in _as_list(forces))),
        doc_types=list(dict.fromkeys(parse_doc_type(t) for t in _as_list(doc_types))),
        since=start,
        until=stop,
    )


_KEYS = {"force": "force", "doc_type": "doc_type", "type": "doc_type", "since": "since", "until": "until"}


def parse_filter_specs(specs: Iterable[str] | str, current: Filters | None = None) -> Filters:
    """`force=Gwent doc_type="board paper" since=2019-01-01` (a string, split like a shell
    line, or a list of KEY=VALUE items) applied on top of `current`; `clear` empties them."""
    items = shlex.split(specs) if isinstance(specs, str) else list(specs)
    if items == ["clear"]:
        return Filters()
    base = current or Filters()
    given: dict[str, list[str]] = {}
    for spec in items:
        key, sep, value = spec.partition("=")
        field = _KEYS.get(key.strip().replace("-", "_").lower())
        if not sep or not value.strip() or field is None:
            raise FilterError(
                field or "filter", f"Filter '{spec}': use KEY=VALUE with KEY one of force, doc_type, since, until."
            )
        given.setdefault(field, []).append(value.strip())
    parsed = parse_filters(
        given.get("force"),
        given.get("doc_type"),
        given.get("since", [None])[-1],
        given.get("until", [None])[-1],
    )
    return Filters(
        forces=list(dict.fromkeys([*base.forces, *parsed.forces])),
        doc_types=list(dict.fromkeys([*base.doc_types, *parsed.doc_types])),
        since=parsed.since or base.since,
        until=parsed.until or base.until,
    )
