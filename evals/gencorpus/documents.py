"""The three kinds of document, as lists of blocks: PCC letters to the Home Secretary, Chief Constable board
papers with numbered paragraphs, and published comments with a recommendation / response table.

Each writer states the document's planned topic sentences and pads them with filler to the target size.
"""

from __future__ import annotations

from dataclasses import dataclass

from evals.gencorpus.data import (
    BOARD,
    CC_ROLE,
    COMMENTS,
    F_CLOSING,
    LETTER,
    PCC_ROLE,
    RANKS,
    TARGET_CHARS,
    WELSH_LANGUAGE,
)
from evals.gencorpus.people import bare_name, chief_title, home_secretary, pcc_title, person
from evals.gencorpus.text import long_date, ordinal
from evals.gencorpus.writer import Writer

# A document is a list of blocks:
#   ("letterhead", [line, ...])  ("lines", [line, ...])  ("blank",)  ("heading", text)
#   ("para", text, evidence)  ("num", "2.1", text, evidence)
#   ("table", [head1, head2], [[recommendation, [response, ...]], ...], evidence)
# where evidence is True when the block states topic statuses (rendering never alters those).
Block = tuple
Mentions = list[tuple[str, dict]]  # (paragraph, mention record), from Writer.topic_sentences
Section = tuple[str, list[tuple[str, bool]]]  # board paper: (heading, [(paragraph, evidence)])


@dataclass
class Rendered:
    index: int
    file: str
    blocks: list[Block]
    header: str
    title: str
    author_name: str
    author_role: str
    author_title: str
    recipient: str | None
    md: bool
    mentions: list[dict]


def _letterhead(w: Writer, role: str) -> list[str]:
    force, info = w.p.force, w.info
    title, office = pcc_title(force)
    email = f"opcc@{info.domain}.pnn.police.uk" if force not in ("Metropolitan",) else "mopac@london.gov.uk"
    pcc = w.people.pcc(w.p.date)
    if role == "cc":
        lines = [w.display] if not info.welsh else [f"Heddlu {info.welsh} | {w.display}"]
        lines += [info.street, info.postcode, f"Tel: {info.tel}"]
        return lines
    if info.welsh:
        return [
            f"Swyddfa Comisiynydd Heddlu a Throseddu {info.welsh} | "
            f"Office of the Police and Crime Commissioner for {force}",
            f"{info.street}, {info.postcode}",
            f"Ffôn | Tel: {info.tel}   E-bost | Email: {email}",
            f"Comisiynydd Heddlu a Throseddu {info.welsh} | Police and Crime Commissioner for {force}: {pcc}",
        ]
    lines = [office, *[s.strip() for s in info.street.split(",")], info.postcode, f"Tel: {info.tel}", f"Email: {email}"]
    if w.rng.random() < 0.5:
        lines.append(f"Twitter: @PCC{force.replace(' ', '').replace('-', '')}")
    return lines


def _target(w: Writer) -> int:
    return w.rng.randint(*TARGET_CHARS)


def size(blocks: list[Block]) -> int:
    """Roughly the characters the blocks come to as text."""
    n = 0
    for b in blocks:
        if b[0] in ("letterhead", "lines"):
            n += sum(len(x) + 1 for x in b[1])
        elif b[0] == "heading" or b[0] == "para":
            n += len(b[1]) + 2
        elif b[0] == "num":
            n += len(b[2]) + len(b[1]) + 3
        elif b[0] == "table":
            n += sum(len(c) + 1 for row in [b[1], *b[2]] for c in row)
    return n


# --------------------------------------------------------------------------- letters


def _letter_opening(w: Writer, hs: str) -> tuple[str, list[Block]]:
    """(subject line, blocks from the letterhead to the recommendations quoted)."""
    p, rep, rng = w.p, w.report, w.rng
    blocks: list[Block] = [("letterhead", _letterhead(w, "pcc")), ("blank",)]
    blocks.append(
        ("lines", [f"The Rt Hon {hs} MP", "Home Secretary", "Home Office", "2 Marsham Street", "London", "SW1P 4DF"])
    )
    blocks.append(("blank",))
    blocks.append(("lines", [ordinal(p.date)]))
    blocks.append(("lines", ["Dear Home Secretary"]))
    subject = rng.choice(
        (
            f"HMICFRS Inspection: {rep.short}",
            f"Response to the HMICFRS report – {rep.title}",
            f"The police response to HMICFRS national thematic report – {rep.short}",
        )
    )
    blocks.append(("heading", subject))
    opening = rng.choice(
        (
            "Under Section 55(5) of the Police Act 1996, I am pleased to provide my formal response to the "
            f"HMICFRS report '{rep.title}'.",
            f"As required by statute, I am writing to you to respond, from a {p.force} perspective, to the "
            f"recommendations within the HMICFRS report '{rep.title}'.",
            f"I write in response to the HMICFRS report '{rep.title}', published on {long_date(rep.published)}, "
            "as required by Section 55 of the Police Act 1996.",
        )
    )
    blocks.append(("para", opening + " " + w.filler_para(1), False))
    if rng.random() < 0.6:
        for i, (rec, _) in enumerate(rep.recs[: rng.randint(1, 2)], 1):
            blocks.append(("heading", f"Recommendation {i}:"))
            blocks.append(("para", rec, False))
    return subject, blocks


def _letter_body(w: Writer, head: list[Block], mentions: Mentions, pcc: str, title: str) -> list[Block]:
    """The topic paragraphs padded with filler to the target size, then closing, signature and cc."""
    p, rng = w.p, w.rng
    body: list[Block] = [("para", text, True) for text, _ in mentions]
    target = _target(w)
    closing = ("para", w.fill(rng.choice(F_CLOSING))[0], False)  # letters only: first person
    sign = [("lines", ["Yours sincerely"]), ("blank",), ("lines", [pcc, *title.split(", ", 1)])]
    cc = ("lines", [f"cc: HM Inspector of Constabulary; {w.people.chief(p.date)}, {chief_title(p.force)}"])
    welsh = []
    if w.info.welsh:
        email = f"opcc@{w.info.domain}.pnn.police.uk"
        welsh = [("para", t.format(email=email), False) for t in WELSH_LANGUAGE]
    while size(head + body + welsh + [closing] + sign) < target:
        body.insert(rng.randint(0, len(body)), ("para", w.filler_para(), False))
    if welsh:
        at = rng.randint(0, len(body))
        body[at:at] = welsh
    return body + [closing] + sign + [cc]


def write_letter(w: Writer) -> Rendered:
    p, rng = w.p, w.rng
    title, office = pcc_title(p.force)
    pcc = w.people.pcc(p.date)
    hs = home_secretary(p.date)
    subject, blocks = _letter_opening(w, hs)
    mentions = w.topic_sentences()
    blocks += _letter_body(w, blocks, mentions, pcc, title)
    header = (
        f"Comisiynydd Heddlu a Throseddu {w.info.welsh} | Police and Crime Commissioner for {p.force}"
        if w.info.welsh
        else office
    )
    if p.force in ("Metropolitan", "City of London", "Greater Manchester"):
        header = f"{office} | {w.display}"
    return Rendered(
        p.index,
        p.file,
        blocks,
        header,
        subject,
        pcc,
        PCC_ROLE,
        title,
        f"The Rt Hon {hs} MP, Home Secretary",
        rng.random() < 0.4,
        [m for _, m in mentions],
    )


# --------------------------------------------------------------------------- board papers


def _board_head(w: Writer, chief: str, chief_role: str, board: str) -> tuple[str, list[Block]]:
    """(title, blocks from the letterhead to the title)."""
    p, rep, rng = w.p, w.report, w.rng
    blocks: list[Block] = []
    blocks.append(("letterhead", rng.choice(([f"Creating a safer {p.force}"], _letterhead(w, "cc")))))
    blocks.append(("blank",))
    sender = chief_role if rng.random() < 0.5 else f"{bare_name(chief)}, {chief_role}"
    blocks.append(("lines", [f"To: {board}", f"From: {sender}", f"Date: {long_date(p.date)}"]))
    title = rng.choice(
        (
            f"A report on the response to the HMICFRS report '{rep.short}'.",
            f"The {w.info.org} response to the HMICFRS report “{rep.title}”.",
            f"Progress update: HMICFRS {rep.short} recommendations",
        )
    )
    blocks.append(("heading", title))
    return title, blocks


def _board_sections(w: Writer, board: str, mentions: Mentions) -> list[Section]:
    rep = w.report
    purpose = (
        f"The purpose of this paper is to update the {board} (the “Board”) on the response to the report "
        f"“{rep.title}”, published by HMICFRS on {long_date(rep.published)}."
    )
    return [
        ("Purpose", [(purpose, False)]),
        ("Recommendations", [("The Board is recommended to note the contents of the report.", False)]),
        ("Background", [(w.rng.choice(rep.findings), False)]),
        ("Progress", [(t, True) for t, _ in mentions]),
        ("Next steps", []),
    ]


def _board_tail(w: Writer, chief: str, chief_role: str) -> list[Block]:
    p, rng = w.p, w.rng
    signed = chief_role if p.force in ("Metropolitan", "City of London") else f"Chief Constable, {w.display}"
    return [
        ("heading", "Recommendation"),
        ("para", "The Board is asked to note the response and progress against the HMICFRS recommendations.", False),
        ("lines", [f"Contact Officer: {rng.choice(RANKS)} {person(rng)}, force lead for {w.report.subject}"]),
        ("blank",),
        ("lines", [chief, signed]),
    ]


def _numbered(head: list[Block], sections: list[Section], tail: list[Block]) -> list[Block]:
    out = list(head)
    for si, (name, paras) in enumerate(sections, 1):
        out.append(("heading", f"{si}. {name}"))
        for pi, (text, ev) in enumerate(paras, 1):
            out.append(("num", f"{si}.{pi}", text, ev))
    return out + tail


def write_board(w: Writer) -> Rendered:
    p, rng = w.p, w.rng
    chief = w.people.chief(p.date)
    chief_role = chief_title(p.force)
    board = w.people.board
    title, head = _board_head(w, chief, chief_role, board)
    mentions = w.topic_sentences()
    sections = _board_sections(w, board, mentions)
    target = _target(w)
    tail = _board_tail(w, chief, chief_role)
    while size(_numbered(head, sections, tail)) < target:
        sec = rng.choice((2, 3, 3, 4))  # Background (after its finding), Progress or Next steps
        paras = sections[sec][1]
        paras.insert(rng.randint(0 if sec != 2 else 1, len(paras)), (w.filler_para(rng.randint(1, 3)), False))
    return Rendered(
        p.index,
        p.file,
        _numbered(head, sections, tail),
        f"{w.display} | {board} | OFFICIAL",
        title,
        chief,
        CC_ROLE,
        chief_role,
        board,
        rng.random() < 0.5,
        [m for _, m in mentions],
    )


# --------------------------------------------------------------------------- published comments


def _comments_cc(w: Writer, loose: Mentions) -> list[tuple[str, bool]]:
    """The Chief Constable's comments: an opening, then the topic paragraphs the table has no row for."""
    force = w.p.force
    opening = w.rng.choice(
        (
            "The Chief Constable intends to use the learning from this inspection to make sure that the best "
            f"possible service is delivered in {force}.",
            f"The Chief Constable welcomes the report and has considered its recommendations carefully for {force}.",
        )
    )
    return [(opening, False)] + [(t, True) for t, _ in loose]


def _comments_rows(w: Writer, in_table: Mentions) -> list[list]:
    """[recommendation, [response paragraphs..., lead]] per recommendation of the report."""
    rep = w.report
    lead = f"Force Lead for {rep.subject[0].upper()}{rep.subject[1:]}"
    rows: list[list] = []
    for rec, key in rep.recs:
        cell = [t for t, m in in_table if m["rec"] == key]
        if not cell:
            cell = [
                w.rng.choice(
                    (
                        "This recommendation is addressed to the NPCC lead. The force will await further information.",
                        "The force is reviewing its current practice against this recommendation and will report "
                        f"progress to the {w.people.board}.",
                        "The force's policy and guidance are being reviewed in the light of this recommendation.",
                    )
                )
            ]
        rows.append([rec, cell + [lead]])
    return rows


def _comments_pcc(w: Writer) -> list[str]:
    """The PCC's comments: an opening (filler follows)."""
    return [
        w.rng.choice(
            (
                f"I am pleased to see that {w.display} has taken a number of the steps that HMICFRS identified "
                "from its inspection.",
                f"I welcome this report and the response of {w.display} to its recommendations.",
            )
        )
    ]


def _comments_blocks(
    head: list[Block],
    cc_paras: list[tuple[str, bool]],
    rows: list[list],
    pcc_paras: list[str],
    sig: Block,
    short: str,
) -> list[Block]:
    out = list(head)
    out.append(("heading", "Chief Constable's comments"))
    out += [("para", t, ev) for t, ev in cc_paras]
    out.append(("table", ["Recommendations", f"{short} Response"], rows, True))
    out.append(("heading", "Police and Crime Commissioner's comments"))
    out += [("para", t, False) for t in pcc_paras]
    out.append(("blank",))
    out.append(sig)
    return out


def write_comments(w: Writer) -> Rendered:
    p, rep, rng = w.p, w.report, w.rng
    title, _ = pcc_title(p.force)
    pcc = w.people.pcc(p.date)
    dated = rng.choice(("Date: {}", "Date: {}", "Published: {}", "Date of publication: {}")).format(long_date(p.date))
    head: list[Block] = [("heading", rep.title.upper()), ("lines", [dated])]
    mentions = w.topic_sentences()
    in_table = [(t, m) for t, m in mentions if m["rec"] and any(m["rec"] == k for _, k in rep.recs)]
    loose = [(t, m) for t, m in mentions if (t, m) not in in_table]
    cc_paras = _comments_cc(w, loose)
    rows = _comments_rows(w, in_table)
    pcc_paras = _comments_pcc(w)
    target = _target(w)
    sig = ("lines", [pcc, *title.split(", ", 1)] if "," in title else [pcc, "Police and Crime Commissioner", p.force])
    short = {"Devon and Cornwall": "D&C"}.get(p.force, p.force)
    while size(_comments_blocks(head, cc_paras, rows, pcc_paras, sig, short)) < target:
        if rng.random() < 0.4:
            cc_paras.insert(rng.randint(1, len(cc_paras)), (w.filler_para(voice="cc"), False))
        else:
            pcc_paras.insert(rng.randint(1, len(pcc_paras)), w.filler_para(voice="pcc"))
    return Rendered(
        p.index,
        p.file,
        _comments_blocks(head, cc_paras, rows, pcc_paras, sig, short),
        f"{w.display} | Response to HMICFRS: {rep.short}",
        rep.title,
        pcc,
        PCC_ROLE,
        title,
        None,
        rng.random() < 0.5,
        [m for _, m in mentions],
    )


WRITERS = {LETTER: write_letter, BOARD: write_board, COMMENTS: write_comments}
