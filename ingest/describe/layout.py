"""Where the parts of a document stand in the normalised text: the "Key: value" header
fields near the top ("To:", "From:", "Date:", "Report of:", ...), the salutation and the
letterhead above it, the signing block after "Yours sincerely" (else the short lines around
a role at the very end), and the heading lines where a document names its own subject. Read
once into a `_Layout`, which every other reader takes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.describe.names import _role_matches
from ingest.describe.text import _lines, _snippet

# Header lines "Key: value" near the top. One named group per meaning; the first line of a
# meaning wins, and a second "From:"/"Sent:" ends the header (an email thread quotes others).
_FIELD_KEYS = (
    "published",
    "date",
    "held",
    "sent",
    "as_at",
    "exported",
    "updated",
    "to",
    "from",
    "author",
    "cc",
    "subject",
    "title",
    "agenda",
    "meeting",
    "marking",
)
_FIELD_RE = re.compile(
    r"""
    ^[ \t]*
    (?:\|[ \t]*|[-•*][ \t]+)?                             # a key-and-value table row ("| To | Ann |"), a bullet
    (?:[A-Za-z']+(?:[ ][A-Za-z']+)?[ ]?\|[ ]?)?          # a Welsh twin before a bar: "Dyddiad | Date:"
    (?:
        (?P<published>
            date[ ]published                              # when a page or a release went out
          | (?:first[ ])?published(?:[ ]on)?
          | publication[ ]date)
      | (?P<date>
            date(?:[ ]of[ ](?:report|paper|letter|issue|response|reply))?   # "Date:", "Date of report:"
          | (?:report|paper)[ ]date
          | (?:response|reply)[ ](?:sent|date|issued)       # an FOI answer's "Response sent:"
          | date[ ]completed|completion[ ]date              # a form's "Date completed:"
          | (?:date[ ]of[ ])?broadcast(?:[ ]on)?            # a programme's captions: when it went out
          | dyddiad)                                      # Welsh "Date"
      | (?P<held>date[ ]of[ ]meeting|meeting[ ]date)     # when the paper is read: its date if no other
      | (?P<sent>(?:date[ ])?sent)                        # an email's date
      | (?P<as_at>(?:(?:status|position|data|progress)[ ])?as[ ]at)   # a tracker's "Status as at:"
      | (?P<exported>
            exported(?:[ ]on)?                            # a system export's stamp
          | export[ ]date
          | (?:report[ ])?generated)
      | (?P<updated>(?:page[ ])?last[ ](?:updated|modified)|updated)  # a web page's stamp
      | (?P<to>to|recipients?|return(?:ed)?[ ]to)         # an addressee; a form's "Return to:"
      | (?P<from>
            from                                          # a memo's or an email's sender
          | report[ ](?:of|by)                            # the office a paper is from
          | presented[ ]by
          | submitted[ ]by)
      | (?P<author>
            author                                        # the person who wrote a paper
          | report[ ]author
          | written[ ]by
          | prepared[ ]by
          | completed[ ]by                                # a form's "Completed by:"
          | (?:procedure|policy|document)[ ]owner)         # a procedure's document control table
      | (?P<cc>cc|copy[ ]to)                              # copies: never the addressee
      | (?P<subject>subject)
      | (?P<title>(?:report[ ]|paper[ ])?title)
      | (?P<agenda>agenda[ ]item(?:[ ]no\.?)?)
      | (?P<meeting>
            meeting                                       # the body a paper goes to
          | governance                                    # the board a tracker reports to
          | (?:reporting|reports|accountable|submitted)[ ]to
          | for(?=[ \t]*(?:[:|]|\t)[^\n]*\b(?:board|panel|committee|forum)\b)   # "For: Strategic Board, 12 March"
          | oversight)
      | (?P<marking>
            (?:security|protective|government[ ]security)[ ](?:marking|classification)  # not a title
          | classification)
    )
    (?:[ \t]*(?:[:|][ \t]*|\t)|(?<=by)[ ](?=[A-Z]))(?P<value>[^\n]*)$    # "Presented by DS Helen Marchetti"
    """,
    re.IGNORECASE | re.MULTILINE | re.VERBOSE,
)
_FIELDS_MAX = 2000  # how far down header lines may stand
_TAIL_FIELDS = 600  # how far up from the end an "Author:"-like line may stand

_SALUTATION_RE = re.compile(r"(?:^|\|)[ \t]*(?:Dear|Annwyl)\b[ \t]*(?P<to>[^\n|]*)$", re.MULTILINE)
# Text flattened from a PDF can put the salutation mid-line: "... SW1P 4DF Dear Home Secretary HMICFRS ...".
_INLINE_SALUTATION_RE = re.compile(
    r"(?<=[\s|])Dear\s+(?P<to>Home\s+Secretary|(?:[A-Z][\w.'-]*)(?:\s+[A-Z][a-z][\w.'-]*){0,2})"
)
_VALEDICTION_RE = re.compile(
    r"\b(?:yours\s+(?:sincerely|faithfully|truly)|(?:kind|best|warm)\s+regards|best\s+wishes"
    r"|yn\s+gywir|yn\s+ddiffuant)\b"
    r"|^[ \t]*regards,?[ \t]*$",  # an email's "Regards," on its own line ("with regards to" is prose)
    re.IGNORECASE | re.MULTILINE,
)
_CC_LINE_RE = re.compile(r"^[ \t]*(?:cc|c\.c\.|copy\s+to|copies\s+to|enc(?:losure)?s?|appendix)\b", re.IGNORECASE)
_INLINE_CC_RE = re.compile(r"(?<=\s)(?:cc|Cc|CC)\b:?\s")
_PROSE_END_RE = re.compile(r"\b[a-z][\w']*[.!?;:]$")
_HEADER_MAX = 2500  # a salutation further down than this is not the letter's opening
_TOP = 400  # how far down a letterhead may run when there is no salutation to end it


@dataclass
class _Layout:
    """Where the parts of a document are, in the normalised text."""

    text: str
    fields: dict[str, str]  # header fields by meaning: "to", "from", "date", "title", ...
    field_spans: dict[str, tuple[int, int]]  # the line each was read from
    field_names: dict[str, str]  # each as written ("Report of", "From")
    fields_end: int
    salutation: re.Match[str] | None
    header_end: int  # letterhead and address: before the salutation
    signature: tuple[int, int] | None  # the signing block (name, role, force)
    subject: str | None  # the line after the salutation ("Re: ...")
    headings: list[tuple[int, int]]  # where a document names its own subject: title, subject line

    def field_line(self, key: str) -> str:
        start, end = self.field_spans[key]
        return _snippet(self.text, start, end)


def _scan_fields(t: str) -> tuple[dict[str, str], dict[str, tuple[int, int]], dict[str, str], int]:
    fields: dict[str, str] = {}
    spans: dict[str, tuple[int, int]] = {}
    names: dict[str, str] = {}
    end = 0
    for m in _FIELD_RE.finditer(t, 0, min(len(t), _FIELDS_MAX)):
        key = next(k for k in _FIELD_KEYS if m.group(k) is not None)
        name = " ".join(m.group(key).lower().split())
        if key in fields:
            if name in ("from", "sent") and names[key].lower() == name:
                break  # a second message header: an email thread quoting earlier mail
            continue
        value = m.group("value").strip(" .\t|")
        if value:
            fields[key], spans[key], names[key], end = value, (m.start(), m.end()), name, m.end()
    if "author" not in fields:
        # "Prepared by: Karen Brennan, Disclosure Officer" may close a document instead
        for m in _FIELD_RE.finditer(t, max(end, len(t) - _TAIL_FIELDS)):
            if m.group("author") and (value := m.group("value").strip(" .\t|")):
                fields["author"], spans["author"], names["author"] = value, (m.start(), m.end()), m.group("author")
    return fields, spans, names, end


def _layout(t: str) -> _Layout:
    fields, spans, names, fields_end = _scan_fields(t)
    salutation = _SALUTATION_RE.search(t, 0, _HEADER_MAX) or _INLINE_SALUTATION_RE.search(t, 0, _HEADER_MAX)
    header_end = salutation.start() if salutation else _letterhead_end(t)
    # The document's own heading lines: its first line (a title, or the letterhead), the
    # letterhead, the line after the header fields and the subject line after "Dear ...".
    headings = [(0, header_end)]
    for start in sorted({0, fields_end}):
        headings += _first_line(t, start)
    subject_line = _first_line(t, salutation.end()) if salutation else []
    headings += subject_line
    subject = t[subject_line[0][0] : subject_line[0][1]].strip() if subject_line else None
    signature = _signature(t, salutation)
    return _Layout(t, fields, spans, names, fields_end, salutation, header_end, signature, subject, headings)


def _first_line(t: str, start: int) -> list[tuple[int, int]]:
    """The span of the first non-empty line from `start`, if it is short enough to be a heading."""
    first = _lines(t, start, min(len(t), start + 600))[:1]
    return [(first[0][0], first[0][0] + len(first[0][1]))] if first and len(first[0][1]) <= 300 else []


def _letterhead_end(t: str) -> int:
    """Without a salutation the letterhead is the short lines before the first prose."""
    end = 0
    for offset, line in _lines(t, 0, min(len(t), _TOP)):
        if not _is_signature_line(line):
            break
        end = offset + len(line)
    return end


def _signature(t: str, salutation: re.Match[str] | None) -> tuple[int, int] | None:
    """The signing block: the short lines after "Yours sincerely", else the short lines
    around a role ("Police and Crime Commissioner for ...") at the very end of the text."""
    valediction = _VALEDICTION_RE.search(t, salutation.end() if salutation else 0)
    if valediction:
        # "Yn gywir | Yours sincerely": the block starts after the last one on the line.
        line_end = t.find("\n", valediction.end())
        line_end = len(t) if line_end < 0 else line_end
        for later in _VALEDICTION_RE.finditer(t, valediction.end(), line_end):
            valediction = later
        start = valediction.end()
        # Flattened text may run name, role and copy list on one line: "... Gwent cc Wendy Williams".
        cc = _INLINE_CC_RE.search(t, start, line_end)
        end = cc.start() if cc else line_end
        # Up to nine short lines: room for two signatories with a name, a role and a force each.
        for offset, line in _lines(t, line_end, min(len(t), line_end + 800))[:9]:
            if _CC_LINE_RE.match(line) or not _is_signature_line(line):
                break
            end = offset + len(line)
        return (start, end) if t[start:end].strip() else None
    lines = _lines(t, max(0, len(t) - 1500), len(t))
    while lines and _CC_LINE_RE.match(lines[-1][1]):
        lines.pop()
    for i in range(len(lines) - 1, max(-1, len(lines) - 5), -1):
        if _is_signature_line(lines[i][1]) and _role_matches(lines[i][1]):
            lo, hi = i, i
            while lo > max(0, i - 5) and _is_signature_line(lines[lo - 1][1]):  # two blocks: joint authors
                lo -= 1
            while hi < min(len(lines) - 1, i + 2) and _is_signature_line(lines[hi + 1][1]):
                hi += 1
            return lines[lo][0], lines[hi][0] + len(lines[hi][1])
    return None


def _is_signature_line(line: str) -> bool:
    """Short, and not the end of a sentence: a name, a role, a force, a post-nominal."""
    line = line.strip()
    return len(line) <= 90 and len(line.split()) <= 12 and not _PROSE_END_RE.search(line)
