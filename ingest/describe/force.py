"""Which force the document is from: every force the text names (with the Welsh area names
ingest.forces does not list on their own), weighed by where the mention stands (the
signature most, then the letterhead and the header fields); a force named as the subject of
an inspection ("an inspection of Sussex Police") counts for nothing.
"""

from __future__ import annotations

import re

from ingest.describe.layout import _Layout
from ingest.describe.text import _Span
from ingest.forces import find_forces, normalise_force

# A force named as the subject of an inspection, not as the author.
_SUBJECT_BEFORE_RE = re.compile(
    r"(?:inspections?|inspected|review|report|assessment)\s+(?:of|into|on)\s+(?:the\s+)?\W{0,2}$",
    re.IGNORECASE,
)
_SUBJECT_AFTER_RE = re.compile(r"^(?:\s+(?:police|constabulary))?['\s,]*(?:\(|commissioned\s+by)", re.IGNORECASE)
# Welsh area names that forces.py does not list on their own.
_WELSH_AREAS_RE = re.compile(
    r"\b(?:Heddlu\s+a\s+Throseddu|Heddlu)\s+(Gogledd\s+Cymru|De\s+Cymru|Dyfed[-\s]Powys|Gwent)\b",
    re.IGNORECASE,
)
_WELSH_AREAS = {"gogledd cymru": "North Wales", "de cymru": "South Wales"}


def _force_mentions(t: str) -> list[tuple[str, int, int]]:
    found = find_forces(t)
    seen = {start for _, start, _ in found} | {end for _, _, end in found}
    for m in _WELSH_AREAS_RE.finditer(t):
        area = " ".join(m.group(1).split()).lower()
        force = _WELSH_AREAS.get(area) or normalise_force(area)
        if force and m.end(1) not in seen:  # "Heddlu Gwent" is already one of forces.py's
            found.append((force, m.start(1), m.end(1)))
    return found


def _find_force(lay: _Layout) -> tuple[str, _Span] | None:
    """The author's force and the mention that weighed most: mentions count by where they
    stand (the signature and the letterhead most); a force named as the subject ("an
    inspection of Sussex Police") counts for nothing."""
    t = lay.text
    scores: dict[str, float] = {}
    first: dict[str, int] = {}
    best: dict[str, tuple[float, _Span]] = {}  # force -> its strongest mention
    for force, start, end in _force_mentions(t):
        subject = _SUBJECT_BEFORE_RE.search(t, max(0, start - 40), start) or _SUBJECT_AFTER_RE.match(t[end : end + 40])
        if subject:
            continue
        if lay.signature and lay.signature[0] <= start < lay.signature[1]:
            weight = 8.0
        elif start < lay.header_end or start < lay.fields_end:
            weight = 4.0
        else:
            weight = 1.0
        scores[force] = scores.get(force, 0.0) + weight
        first.setdefault(force, start)
        if force not in best or weight > best[force][0]:
            best[force] = (weight, (start, end))
    if not scores:
        return None
    force = max(scores, key=lambda f: (scores[f], -first[f]))
    return force, best[force][1]
