"""Who wrote the document, and in which office: the signatories of the signing block (two
blocks are joint authors; a line "on behalf of ..." names the principal, not a signer), a
paper's "Report of:" / "Author:" fields, an email's "From:", the letterhead, a name over a
role in a foreword, or the PCC a release introduces in its first lines. Minutes and trackers
are a body's or a unit's record: no person, role "other".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.dates import MONTH_NAME
from ingest.describe.kinds import _COMMENTS_HEADING_RE
from ingest.describe.layout import _CC_LINE_RE, _TOP, _is_signature_line, _Layout
from ingest.describe.names import (
    _NAME_RE,
    _ROLE_RE,
    _name_from_address,
    _name_in,
    _name_in_field,
    _office_holder,
    _role_matches,
    _role_of,
)
from ingest.describe.text import _ITEM_SEPARATOR_RE, _line_span, _lines, _Span
from ingest.forces import find_forces
from ingest.types import AuthorRole, DocType

# A line naming the principal a signer signs for: its role is not the signer's.
_ON_BEHALF_RE = re.compile(r"\bon\s+behalf\s+of\b|\bar\s+ran\b|^\W*p\.?\s?p\.?\s|\bsigned\s+for\b", re.IGNORECASE)

# A PCC named in running text: "Thames Valley's Police and Crime Commissioner, Jonathan
# Ferrers, has ...", "Police and Crime Commissioner Jonathan Ferrers said", "Katy Bourne, the
# Police and Crime Commissioner for Sussex".
_AREA = r"(?:\s+for\s+(?:the\s+)?[A-Z][\w&'-]*(?:\s+(?:and\s+|&\s+|of\s+)?[A-Z][\w&'-]*){0,4})?"
_PROSE_NAME_AFTER_RE = re.compile(rf"^{_AREA}\s*,\s*({_NAME_RE.pattern})\s*[,(]")
_PROSE_NAME_VERB_RE = re.compile(
    rf"^{_AREA}\s+({_NAME_RE.pattern})\s+(?:said|says|has|have|had|is|was|will|added|welcomed|announced|wrote)\b"
)
_PROSE_NAME_BEFORE_RE = re.compile(
    rf"({_NAME_RE.pattern}),\s+(?:the\s+)?(?:[A-Z][\w&'-]*\s+){{0,4}}(?:and\s+[A-Z][\w&'-]*\s+)?\Z"
)
_COMMISSIONED_BY_RE = re.compile(r"commissioned\s+by\s+(?:the\s+)?[\w ]{0,40}\Z", re.IGNORECASE)


@dataclass
class _Who:
    """A writer or signatory as read: name, role, and the lines they were read from."""

    name: str | None
    role: AuthorRole | None
    name_at: _Span | None = None
    role_at: _Span | None = None


def _author_from_field(value: str) -> tuple[str | None, AuthorRole]:
    roles = _role_matches(value)
    return _name_in_field(value), _role_of(roles[0]) if roles else AuthorRole.other


def _columns(lines: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """Signature blocks side by side ("Name One<TAB>Name Two") as one column each."""
    if not any("\t" in line for _, line in lines):
        return [lines]
    columns: list[list[tuple[int, str]]] = []
    for offset, line in lines:
        pos = 0
        for i, cell in enumerate(line.split("\t")):
            while len(columns) <= i:
                columns.append([])
            if cell.strip():
                columns[i].append((offset + pos, cell))
            pos += len(cell) + 1
    return columns


def _name_beside(lines: list[tuple[int, str]], i: int, m: re.Match[str], floor: int) -> tuple[str | None, _Span | None]:
    """The name that goes with the role `m` on line i: before it on the line ("Jeff Cuthbert
    B.Sc. Police and Crime Commissioner"), after it ("... for Gwent: Jeff Cuthbert", "Chief
    Constable Rachel Dunmore"), or alone on a line above (not above the previous role's line)."""
    offset, line = lines[i]
    after = line[m.end() :]
    tail = re.sub(r"^[^:,\n]*[:,]", "", after, count=1)
    for candidate in (line[: m.start()], tail if tail != after else "", after):
        if candidate and (name := _name_in(candidate)):
            return name, (offset, offset + len(line))
    for j in range(i - 1, max(floor, i - 4), -1):
        if name := _name_in(lines[j][1]):
            return name, (lines[j][0], lines[j][0] + len(lines[j][1]))
    return None, None


_OFFICE_OF_RE = re.compile(r"\boffice\s+of\s+(?:the\s+)?$", re.IGNORECASE)
# A job title on its own line under a signer's name ("Chief Executive", "Head of Governance").
_JOB_TITLE_RE = re.compile(r"^\s*[A-Z][a-z]+(?:\s+(?:of|and|for|the|[A-Z][a-z]+)){0,5}\s*$")


def _signers_in(lines: list[tuple[int, str]]) -> list[_Who]:
    found: list[_Who] = []
    last_role = -1
    for i, (offset, line) in enumerate(lines):
        # "Office of the Police and Crime Commissioner for Cheshire" under a name is where the
        # signer works, not the office the signer holds
        roles = [r for r in _role_matches(line) if not _OFFICE_OF_RE.search(line, 0, r.start())]
        if not roles:
            continue
        name, at = _name_beside(lines, i, roles[0], last_role)
        found.append(_Who(name, _role_of(roles[0]), at, (offset, offset + len(line))))
        last_role = i
    return found


def _signers(t: str, span: _Span) -> list[_Who]:
    """Who signed the block t[span]: each named role is one signatory (two blocks: joint
    authors); a line "on behalf of ..." names the principal, not a signer."""
    lines = [(o, line) for o, line in _lines(t, *span) if not _ON_BEHALF_RE.search(line)]
    found = [who for column in _columns(lines) for who in _signers_in(column)]
    named: list[_Who] = []
    for who in found:
        if who.name and all(who.name.lower() != n.name.lower() for n in named if n.name):
            named.append(who)
    if named:
        return named
    if found:
        return found[:1]
    # no office known: the first name in the block ("[signed]" above it is no name), with the
    # title under it, which is an office all the same ("Chief Executive")
    at = next((k for k, (_, line) in enumerate(lines) if _name_in(line)), None)
    if at is None:
        return []
    (offset, line), below = lines[at], lines[at + 1 : at + 2]
    titled = bool(below) and bool(_JOB_TITLE_RE.match(below[0][1])) and not _name_in(below[0][1])
    role_at = (below[0][0], below[0][0] + len(below[0][1])) if titled else None
    return [_Who(_name_in(line), AuthorRole.other if titled else None, (offset, offset + len(line)), role_at)]


def _field_authors(lay: _Layout) -> list[_Who]:
    """A paper's header: "Report of:"/"From:"/"Presented by:" give the office (and maybe the
    person), "Author:" the person who wrote it for that office."""
    who = _Who(None, None)
    if "from" in lay.fields:
        name, role = _author_from_field(lay.fields["from"])
        who = _Who(name, role, lay.field_spans["from"] if name else None, lay.field_spans["from"])
    if "author" in lay.fields:
        name, role = _author_from_field(lay.fields["author"])
        if not who.name and name:
            who.name, who.name_at = name, lay.field_spans["author"]
        if not _office_holder(who.role) and (_office_holder(role) or who.role is None):
            who.role, who.role_at = role, lay.field_spans["author"]
    return [who]


def _email_authors(lay: _Layout) -> list[_Who]:
    """An email's "From:" names the writer; its signature may give the office."""
    value = lay.fields.get("from", "")
    at = lay.field_spans.get("from")
    name, role = _author_from_field(value)
    who = _Who(name, role, at if name else None, at)
    signed = _signers(lay.text, lay.signature) if lay.signature else []
    if signed and not who.name and signed[0].name:
        who.name, who.name_at = signed[0].name, signed[0].name_at
    if signed and not _office_holder(who.role) and _office_holder(signed[0].role):
        who.role, who.role_at = signed[0].role, signed[0].role_at
    if not who.name and (name := _name_from_address(value)):
        who.name, who.name_at = name, at
    return [who]


def _letterhead_author(lay: _Layout, name: str | None, role: AuthorRole | None) -> _Who | None:
    """ "Police and Crime Commissioner for Gwent: Jeff Cuthbert" in the letterhead, or the
    role alone in "Office of the Police and Crime Commissioner"."""
    t = lay.text
    head = t[: lay.header_end] if lay.salutation else t[:_TOP]
    for m in _role_matches(head):
        line_start, line_end = _line_span(head, m.end())
        named = re.match(r"^[^:\n]{0,40}:\s*(.*)$", head[m.end() : line_end])
        head_name = _name_in(named.group(1)) if named else None
        if head_name and (not name or name == head_name):
            return _Who(head_name, role or _role_of(m), (line_start, line_end), (line_start, line_end))
        if not role and not name and re.search(r"office\s+of\s+(?:the\s+)?$", head[: m.start()], re.I):
            return _Who(None, _role_of(m), None, (line_start, line_end))
    return None


def _line_above(t: str, start: int) -> list[tuple[int, str]]:
    """The non-empty line above the line starting at `start`, if any."""
    end = len(t[:start].rstrip("\n"))
    if end <= 0:
        return []
    ls, le = _line_span(t, end - 1)
    return [(ls, t[ls:le])]


def _block_author(t: str) -> _Who | None:
    """A name over a role anywhere in the first pages: a foreword or a statement signed
    "Carys Bevan-Lloyd / Police and Crime Commissioner for South Wales"."""
    for m in _ROLE_RE.finditer(t, 0, min(len(t), 12_000)):
        start, end = _line_span(t, m.start())
        line = t[start:end]
        if m.group("possessive") or not _is_signature_line(line) or _ON_BEHALF_RE.search(line):
            continue
        if _CC_LINE_RE.match(line) or not _office_holder(_role_of(m)):
            continue
        lines = [*_line_above(t, start), (start, line)]
        in_line = _ROLE_RE.match(line, m.start() - start)
        name, at = _name_beside(lines, len(lines) - 1, in_line, -1) if in_line else (None, None)
        if name:
            return _Who(name, _role_of(m), at, (start, end))
    return None


def _prose_author(t: str, force: str | None) -> _Who | None:
    """The PCC a release, page or report introduces in its first paragraphs: "Thames Valley's
    Police and Crime Commissioner, Jonathan Ferrers, has ..."; not one "for" another force,
    nor the PCC who commissioned the inspection."""
    for m in _ROLE_RE.finditer(t, 0, min(len(t), 3000)):
        role = _role_of(m)
        if m.group("possessive") or not _office_holder(role):
            continue
        if _COMMISSIONED_BY_RE.search(t, max(0, m.start() - 60), m.start()):
            continue
        after = t[m.end() : m.end() + 120]
        before = t[max(0, m.start() - 80) : m.start()]
        found = _PROSE_NAME_AFTER_RE.match(after) or _PROSE_NAME_VERB_RE.match(after)
        area = after[: found.start(1)] if found else ""
        if not found and (back := _PROSE_NAME_BEFORE_RE.search(before)):
            found, area = back, before[back.end(1) :]
        if not found or (force and any(f != force for f, _, _ in find_forces(area))):
            continue
        name = _name_in(found.group(1))
        if name:
            line = _line_span(t, m.start())
            return _Who(name, role, line, line)
    return None


_PROSE_AUTHORED = (DocType.press_release, DocType.web_page, DocType.annual_report)


# A byline: "By Laura Fenwick, Deputy PCC", "Thread by Julian Marlowe (@Herts), Police and
# Crime Commissioner for Hertfordshire", "Chief Constable Nadia Harcourt · Posted 12/03/2020".
_BY_RE = re.compile(
    rf"^\W*(?:(?:thread|blog|post|article|words|story)[ ]+)?by[ ]+(?!{MONTH_NAME}\b)(?P<who>[A-Z][^\n]{{3,150}})$",
    re.IGNORECASE | re.MULTILINE,
)
_POSTED_ITEM_RE = re.compile(r"^\s*(?:posted|published|updated)\b", re.IGNORECASE)


def _byline_author(t: str) -> _Who | None:
    """The writer a byline names in the first lines (a blog, a post, a social thread)."""
    top = min(len(t), _TOP)
    for m in _BY_RE.finditer(t, 0, top):
        if (name := _name_in_field(m.group("who"))) and m.group("who")[:1].isupper():
            roles = _role_matches(m.group("who"))
            at = _line_span(t, m.start("who"))
            return _Who(name, _role_of(roles[0]) if roles else None, at, at if roles else None)
    for offset, line in _lines(t, 0, top):
        items = _ITEM_SEPARATOR_RE.split(line)
        if len(items) > 1 and any(_POSTED_ITEM_RE.match(i) for i in items[1:]):
            name, role = _author_from_field(items[0])
            if name:
                span = (offset, offset + len(line))
                return _Who(name, role, span, span if role != AuthorRole.other else None)
    return None


def _stated_authors(lay: _Layout, doc_type: DocType, cue: _Span | None) -> list[_Who] | None:
    """The writers where the kind of document or its header says who they are (minutes, an
    email, a paper's "From:", a tracker's export, a byline); None where it does not."""
    if doc_type == DocType.minutes:
        return [_Who(None, AuthorRole.other, None, cue)]  # the meeting's record, not a person's
    if doc_type == DocType.email:
        return _email_authors(lay)
    if "from" in lay.fields or "author" in lay.fields:
        return _field_authors(lay)
    if doc_type == DocType.action_plan:
        stamp = lay.field_spans.get("exported") or lay.field_spans.get("as_at")
        return [_Who(None, AuthorRole.other, None, stamp)]  # a unit's export, not a person's
    byline = _byline_author(lay.text)
    return [byline] if byline else None


def _find_authors(lay: _Layout, doc_type: DocType, cue: _Span | None, force: str | None) -> list[_Who]:
    """The writers, by layout; an empty list when the text names none."""
    if (stated := _stated_authors(lay, doc_type, cue)) is not None:
        return stated
    signed = _signers(lay.text, lay.signature) if lay.signature else []
    first = signed[0] if signed else _Who(None, None)
    if first.name and first.role:
        return signed
    head = _letterhead_author(lay, first.name, first.role)
    if head and (head.name or doc_type not in _PROSE_AUTHORED):
        return [head]
    if not first.name and doc_type in (*_PROSE_AUTHORED, DocType.published_comments, DocType.other):
        # "Office of the PCC" heads a release that names the Commissioner in its first lines
        found = _block_author(lay.text) or (_prose_author(lay.text, force) if doc_type in _PROSE_AUTHORED else None)
        if found:
            return [found]
    if head:
        return [head]
    if not first.role and doc_type == DocType.published_comments:
        # Comments under one heading only ("Chief Constable's comments") are that office's.
        heads = [m for m in _COMMENTS_HEADING_RE.finditer(lay.text)]
        if len({_heading_role(m.group("who")) for m in heads}) == 1:
            first.role, first.role_at = _heading_role(heads[0].group("who")), (heads[0].start(), heads[0].end())
    return signed if signed else ([first] if first.name or first.role else [])


def _heading_role(who: str) -> AuthorRole:
    return AuthorRole.chief_constable if "constable" in who.lower() else AuthorRole.pcc
