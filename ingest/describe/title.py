"""A short title for the document, from what describe has read: its kind, its force and
office, its own heading (a board paper's title, a page's first title line, a plan's or an
annual report's title line), its recipient and its date at the precision the text gives:
"Gwent PCC letter to the Home Secretary, 14 May 2019".
"""

from __future__ import annotations

import re

from ingest.describe.kinds import _BOARD_LINE_RE, _PRESS_STRONG_RE, _WEB_RE
from ingest.describe.layout import _FIELD_RE, _Layout
from ingest.describe.names import _office_holder
from ingest.describe.recipient import _tidy_caps
from ingest.describe.text import _lines, _Span
from ingest.describe.when import _DATELINE_RE, _parse_when
from ingest.types import DocType, DocumentMeta


def _when(meta: DocumentMeta) -> str | None:
    if not meta.date:
        return None
    if meta.date_precision == "year":
        return str(meta.date.year)
    if meta.date_precision == "month":
        return f"{meta.date:%B %Y}"
    return f"{meta.date.day} {meta.date:%B %Y}"


def _numbered(line: str) -> bool:
    return bool(re.match(r"^\d+(?:\.\d+)*\.?\s", line))


def _heading(lay: _Layout) -> str | None:
    """A board paper's own heading: its "Title:" field or the first line after the header (a
    heading in capitals wrapped onto a second line is joined)."""
    if "title" in lay.fields:
        return lay.fields["title"]
    if not lay.fields_end:
        return None
    lines = [line for _, line in _lines(lay.text, lay.fields_end, min(len(lay.text), lay.fields_end + 600))[:3]]
    for i, line in enumerate(lines[:2]):
        if _numbered(line) or _BOARD_LINE_RE.match(line):
            continue
        heading = line.strip(" .")
        if heading.isupper() and i + 1 < len(lines) and lines[i + 1].isupper() and not _numbered(lines[i + 1]):
            heading = f"{heading} {lines[i + 1].strip(' .')}"
        return " ".join(heading.split())
    return None


def _page_heading(lay: _Layout) -> str | None:
    """The first line that reads as a title: not a breadcrumb, a header field or a date."""
    for _, line in _lines(lay.text, 0, min(len(lay.text), 1500))[:8]:
        if re.search(r"[>›»]", line) or _FIELD_RE.match(line) or _DATELINE_RE.match(line) or _parse_when(line):
            continue  # a breadcrumb, a header field, a date
        if _WEB_RE.match(line) or _PRESS_STRONG_RE.match(line):
            continue  # "Skip to main content", "PRESS RELEASE"
        if len(line) <= 120:
            return " ".join(line.strip(" .").split())
    return None


def _who(meta: DocumentMeta) -> str:
    force = meta.force or ""
    roles = [a.role.value for a in meta.authors if a.role and _office_holder(a.role)]
    return " ".join(p for p in (force, " and ".join(dict.fromkeys(roles))) if p)


def _titled(kind: str, heading: str | None, when: str | None) -> str:
    title = f"{kind}: {heading}" if heading else kind
    return f"{title} ({when})" if when else title


def _title(meta: DocumentMeta, lay: _Layout, report: tuple[str, str] | None, cue: _Span | None) -> str:
    when = _when(meta)
    force = meta.force or ""
    if meta.doc_type == DocType.board_paper:
        heading = _heading(lay)
        if not heading or len(heading) > 90:
            heading = f"response to {report[1]}" if report else heading and heading[:87] + "..."
        return _titled(f"{force} board paper".strip(), heading, when)
    if meta.doc_type == DocType.minutes:
        title = f"Minutes of the {meta.meeting}" if meta.meeting else f"{force} minutes".strip()
        return f"{title}, {when}" if when else title
    if meta.doc_type == DocType.annual_report and cue:
        return _titled(f"{_who(meta)} annual report".strip(), _tidy_caps(lay.text[cue[0] : cue[1]].strip()), when)
    if meta.doc_type == DocType.action_plan and cue:
        return _titled(f"{force} action plan".strip(), " ".join(lay.text[cue[0] : cue[1]].split()), when)
    if meta.doc_type in (DocType.press_release, DocType.web_page, DocType.action_plan, DocType.annual_report):
        return _titled(f"{force} {meta.doc_type.value}".strip(), _page_heading(lay), when)
    if meta.doc_type == DocType.email:
        title = " ".join(p for p in ("Email", f"from {meta.author_name}" if meta.author_name else "") if p)
        title += f" to {meta.recipient}" if meta.recipient else ""
        title += f": {lay.fields['subject']}" if "subject" in lay.fields else ""
        return f"{title}, {when}" if when else title
    if meta.doc_type == DocType.published_comments:
        about = f" on {report[1]}" if report else ""
        return f"{force} comments{about}".strip()
    if meta.doc_type in (DocType.letter_home_secretary, DocType.letter):
        to = "the Home Secretary" if meta.doc_type == DocType.letter_home_secretary else meta.recipient
        title = f"{_who(meta)} letter" + (f" to {to}" if to else "")
        return f"{title}, {when}".strip() if when else title.strip()
    if not (force or report):
        first_line = next((line.strip() for _, line in _lines(lay.text, 0, min(len(lay.text), 400))), "")
        return first_line if 0 < len(first_line) <= 90 else "Untitled document"
    parts = [force, "document", f"on {report[1]}" if report else "", f"({when})" if when else ""]
    return " ".join(p for p in parts if p)
