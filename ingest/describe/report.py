"""Which inspection report the document answers: a few reports people answer often,
recognised by cue phrases (their titles, and recommendations the forces quote back), else a
quoted title next to "report" / "inspection" (with its year when one stands beside it), else
a subject line naming an inspection. A mention in a heading, or just after "responds to",
weighs more.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ingest.describe.layout import _Layout


@dataclass(frozen=True)
class KnownReport:
    """An inspection report recognised by cue phrases (regexes, case-insensitive)."""

    label: str  # canonical label stored in DocumentMeta.report
    short: str  # how a title refers to it: "comments on the HMICFRS Sussex stalking inspection"
    cues: tuple[str, ...]


# A few reports people answer often. Unknown reports fall back to a quoted title found
# next to "report" / "inspection" (see _quoted_report).
KNOWN_REPORTS: tuple[KnownReport, ...] = (
    KnownReport(
        "Stalking and harassment: inspection of Sussex Police (2019)",
        "the HMICFRS Sussex stalking inspection",
        (
            r"inspection\s+of\s+sussex\s+police",
            r"sussex\s+police\W{1,5}stalking\s+and\s+harassment",
            # Its recommendations, quoted back by the forces that answer it.
            r"victims\s+report\s+breaches\s+of\s+orders",
            r"treating\s+breaches\s+of\s+orders",
        ),
    ),
    KnownReport(
        "Living in Fear (2017)",
        "the Living in Fear report",
        (r"living\s+in\s+fear", r"police\s+and\s+cps\s+response\s+to\s+harassment\s+and\s+stalking"),
    ),
    KnownReport(
        "The poor relation (2019)",
        "the Poor Relation report on crimes against older people",
        (r"the\s+poor\s+relation", r"response\s+to\s+crimes\s+against\s+older\s+people"),
    ),
    KnownReport(
        "Everyone's business (2014)",
        "the Everyone's Business domestic abuse report",
        (r"everyone'?s\s+business\W{1,5}improving\s+the\s+police\s+response\s+to\s+domestic\s+abuse",),
    ),
    KnownReport(
        "Shining a light on betrayal (2019)",
        "the Shining a Light on Betrayal report",
        (r"shining\s+a\s+light\s+on\s+betrayal",),
    ),
    KnownReport(
        "Fraud: Time to choose (2019)",
        "the Fraud: Time to Choose report",
        (r"fraud\W{1,5}time\s+to\s+choose",),
    ),
)

_RESPONSE_RE = re.compile(r"\b(?:respon(?:ds?|ded|ding|ses?)|answer(?:s|ed|ing)?)\b", re.IGNORECASE)
# A quoted title, "..." or '...'; an apostrophe ("HMICFRS's") neither opens nor closes one.
_QUOTED_RE = re.compile(
    r'"(?P<a>[^"\n]{6,220})"'
    r"|(?<![A-Za-z])'(?P<b>(?:[^'\n]|'(?=[a-z])){6,220}?)'(?![a-z])"
)
_REPORT_WORD_RE = re.compile(r"\b(?:report|inspection|review|thematic)\b", re.IGNORECASE)
# A report's year right beside its quoted title: "its 2017 report '...'" / "'...' (2017)"
# / "'...', published in July 2020". Other years nearby are events, not the report's.
_YEAR_BEFORE_RE = re.compile(
    r"\b(19[89]\d|20\d\d)\s+(?:[\w&-]+\s+){0,3}?(?:report|inspection|review)\b[^'\"\n]{0,25}\Z",
    re.IGNORECASE,
)
_YEAR_AFTER_RE = re.compile(
    r"^[\s,]*\(?(?:published\s+(?:in|on)\s+)?(?:\d{1,2}\s+)?(?:[A-Z][a-z]+\s+)?(19[89]\d|20\d\d)\b"
)


def _find_report(lay: _Layout) -> tuple[str, str] | None:
    """(label, how a title refers to it) for the report the document answers."""
    t = lay.text
    best: tuple[float, int, KnownReport] | None = None
    for report in KNOWN_REPORTS:
        score, first = 0.0, len(t)
        for cue in _cues(report):
            for m in cue.finditer(t):
                score += _report_weight(lay, m.start())
                first = min(first, m.start())
        if score and (best is None or (score, -first) > (best[0], -best[1])):
            best = (score, first, report)
    if best:
        return best[2].label, best[2].short
    label = _quoted_report(lay) or _subject_report(lay)
    return (label, label) if label else None


@lru_cache(maxsize=64)
def _cues(report: KnownReport) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(c, re.IGNORECASE) for c in report.cues)


def _report_weight(lay: _Layout, pos: int) -> float:
    weight = 1.0
    if any(start <= pos < end for start, end in lay.headings):
        weight *= 3
    if _RESPONSE_RE.search(lay.text, max(0, pos - 160), pos):
        weight *= 2
    return weight


def _quoted_report(lay: _Layout) -> str | None:
    """A quoted title beside "report" / "inspection": "... the HMICFRS report 'Title' ...".

    The same title quoted several times adds up; its year comes from whichever mention
    sits next to one ("its 2017 report '...'", "'...', published in July 2020")."""
    t = lay.text
    scores: dict[str, float] = {}
    first: dict[str, int] = {}
    years: dict[str, str] = {}
    titles: dict[str, str] = {}
    for m in _QUOTED_RE.finditer(t):
        title = " ".join((m.group("a") or m.group("b")).strip(" .,;:-–").split())
        if not title[:1].isupper() or len(title.split()) < 2:
            continue
        before, after = t[max(0, m.start() - 60) : m.start()], t[m.end() : m.end() + 60]
        if not _REPORT_WORD_RE.search(before + " " + after[:30]):
            continue
        key = title.lower()
        scores[key] = scores.get(key, 0.0) + _report_weight(lay, m.start())
        first.setdefault(key, m.start())
        near = _YEAR_BEFORE_RE.search(before) or _YEAR_AFTER_RE.match(after)
        if near and key not in years:
            years[key] = near.group(1)
        titles.setdefault(key, title)
    if not scores:
        return None
    key = max(scores, key=lambda k: (scores[k], -first[k]))
    return f"{titles[key]} ({years[key]})" if key in years else titles[key]


def _subject_report(lay: _Layout) -> str | None:
    """An unquoted subject line naming an inspection: "Re: HMICFRS inspection of ..."."""
    subject = lay.subject or lay.fields.get("subject") or lay.fields.get("title")
    if subject and re.search(r"\b(?:HMIC\w*|inspection|report)\b", subject, re.IGNORECASE):
        return re.sub(r"^(?:re|subject)\s*:\s*", "", subject, flags=re.IGNORECASE).strip(" .")
    return None
