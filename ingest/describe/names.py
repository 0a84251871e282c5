"""Who a line names: an office ("Police and Crime Commissioner for Gwent", "Chief Constable",
"DPCC"; a possessive, "the Chief Constable's review", names no one) and the role it stands
for, and a person's name with its honorific and post-nominals, told apart from the offices,
ranks, places and units that look like names. Shared by the signature layout, the authors,
the recipient and the title.
"""

from __future__ import annotations

import re

from ingest.forces import find_forces
from ingest.types import AuthorRole

_ROLE_RE = re.compile(
    r"(?P<rank>(?i:deputy|assistant)\s+|(?i:dirprwy)\s+)?(?:(?i:acting|temporary|interim)\s+|T/)?"
    r"(?:(?P<pcc>(?i:police,?\s+(?:fire\s+(?:and|&)\s+|(?:and|&)\s+)crime\s+commissioner)"
    r"|(?i:[cg]omisiynydd\s+heddlu\s+a\s+throseddu)|\bPF?CC\b"
    r"|(?i:mayor\s+for\s+policing\s+and\s+crime))"
    r"|(?P<dpcc>\bDPF?CC\b)"
    r"|(?P<cc>(?i:chief\s+constable)))"
    r"(?P<possessive>'s)?"
)

_HONORIFIC = r"(?:(?:Dr|Sir|Dame|Mr|Mrs|Ms|Miss|Cllr|Councillor|Lord|Baroness|Lady|Prof|Professor)\.?\s+)"
_NAME_WORD = r"(?:Mc|Mac|O'|D')?[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)*"
_NAME_RE = re.compile(rf"{_HONORIFIC}?{_NAME_WORD}(?:[ ]+(?:[A-Z]\.?[ ]+)?{_NAME_WORD}){{1,3}}(?![\w.'-])")
# What may follow a name on a signature line: post-nominals ("B.Sc., MCIPD", "QPM", "OBE").
_POSTNOMINALS_RE = re.compile(r"^(?:[\s,;]|\(?[A-Z][A-Za-z.]*\)?)*$")
# Words that are never part of a person's name: offices, ranks, places, organisations.
_NOT_NAME_WORDS = frozenset(
    "police crime commissioner constable chief office home secretary dear yours sincerely "
    "faithfully regards headquarters force constabulary service services heddlu comisiynydd gomisiynydd "
    "throseddu dirprwy swyddfa gogledd cymru de dyfed powys board deputy assistant acting temporary report "
    "inspection recommendation response "
    "the and street road london detective superintendent inspector sergeant officer commander head "
    "acc dcc det supt insp sgt dci dcs dsi ds di "
    "audit partnership unit team department directorate council committee panel group forum executive "
    "safeguarding protection public performance insight strategic planning vulnerability vulnerable "
    "justice criminal professional standards corporate finance manager director lead governance "
    "improvement programme project policy community operations intelligence investigations policing "
    "assurance business support delivery development data quality information analyst coordinator "
    "treasurer clerk chair member members county district borough city hall house court centre "
    "news press media website page update updates summary tracker plan annual minutes".split()
)
# Ranks and titles before a name in a field: "Detective Superintendent Joanne Rafferty", "T/DI Iain Moor".
_RANKS_RE = re.compile(
    r"^(?:(?:T/|A/)?(?:detective|det\.?|chief|superintendent|supt\.?|inspector|insp\.?|sergeant|sgt\.?"
    r"|constable|commander|cdr|acting|temporary|assistant|deputy|acc|dcc|dci|dcs|dsi|di|ds|dc|pc"
    r"|councillor|cllr)\s+)+",
    re.IGNORECASE,
)
# Where a field's value splits into parts: "Name, Job title", "Name <address>", "Name (unit)".
_PARTS_RE = re.compile(r"\s*(?:[,;(<\[]|\)|>|\]|\s[-–]\s|\t)\s*")
# Outlook's "Surname, Forename (Rank)".
_SURNAME_FIRST_RE = re.compile(rf"^({_NAME_WORD}),[ ]({_NAME_WORD})(?=[ ]*(?:\(|<|$))")


def _role_matches(s: str) -> list[re.Match[str]]:
    return [m for m in _ROLE_RE.finditer(s) if not m.group("possessive")]


def _role_of(m: re.Match[str]) -> AuthorRole:
    if m.group("dpcc"):
        return AuthorRole.deputy_pcc
    pcc = m.group("pcc")
    rank = (m.group("rank") or "").strip().lower()
    # London's Deputy Mayor for Policing and Crime holds the PCC's powers; a Deputy PCC
    # (Welsh "Dirprwy Gomisiynydd") has a role of his or her own; other deputies and
    # assistants (Deputy Chief Constable, Assistant PCC) do not hold the office they assist.
    if pcc and "mayor" in pcc.lower():
        return AuthorRole.pcc
    if pcc and rank in ("deputy", "dirprwy"):
        return AuthorRole.deputy_pcc
    if rank:
        return AuthorRole.other
    return AuthorRole.pcc if pcc else AuthorRole.chief_constable


def _office_holder(role: AuthorRole | None) -> bool:
    return role in (AuthorRole.pcc, AuthorRole.deputy_pcc, AuthorRole.chief_constable)


def _name_in(s: str) -> str | None:
    """A person's name at the start of `s`, followed only by post-nominals."""
    s = s.strip(" ,:;-–|\t")
    m = _NAME_RE.match(s)
    if not m:
        return None
    words = {w.lower().strip(".") for w in m.group(0).split()}
    if words & _NOT_NAME_WORDS or find_forces(m.group(0)) or _ROLE_RE.search(m.group(0)):
        return None
    if not _POSTNOMINALS_RE.match(s[m.end() :]):
        return None
    return re.sub(r"\s+", " ", m.group(0))


def _name_in_field(value: str) -> str | None:
    """The person a header field names: "Detective Superintendent Joanne Rafferty, Head of
    Public Protection", "Blakemore, Joanna (Det Supt) <j.b@...>", "Chief Constable Dave Thompson"."""
    value = _SURNAME_FIRST_RE.sub(r"\2 \1", value.strip())
    for part in _PARTS_RE.split(_ROLE_RE.sub(",", value)):
        if name := _name_in(_RANKS_RE.sub("", part.strip())):
            return name
    return None


def _name_from_address(value: str) -> str | None:
    """ "joanna.blakemore@force.police.uk" -> "Joanna Blakemore"."""
    m = re.search(r"\b([a-z]{2,})\.([a-z]{2,}(?:-[a-z]{2,})?)@", value, re.IGNORECASE)
    return f"{m.group(1).capitalize()} {m.group(2).title()}" if m else None
