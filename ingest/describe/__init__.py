"""Describe a document from its text: who wrote it, for which force, to whom, when, which
board or meeting it went to, what kind of document it is and which inspection report it
answers, with the line each fact was read from.

Everything here is derived from the text alone (never the file name), with regular
expressions over a lightly normalised copy: no model, no network, deterministic, and a few
milliseconds per document. The signals are those a reader uses:

- the signature and the letterhead say who wrote. Several signature blocks are joint authors
  (`authors` holds each; `author_name` reads "Name One and Name Two" with the first one's
  role); a line "on behalf of ..." names the principal, not the signer; a Deputy PCC is
  "Deputy PCC". A paper's "Report of:" gives the office (the role), its "Author:" the person;
  an email's "From:" the writer; a press release, web page or annual report names its PCC
  in its first lines ("Thames Valley's Police and Crime Commissioner, Jonathan Ferrers, ...")
  or under a foreword. Minutes and trackers are a body's or a unit's: no person, role "other".
- header lines say what a document is: "To:/From:/Date:" a board paper, "From:/Sent:/To:" an
  email, "MINUTES of a meeting of ... held on ..." minutes, a RAG table under "Exported:" or
  "Status as at:" an action plan, "Notes to editors" a press release, "Last updated:" or a
  breadcrumb trail a web page, "Annual Report 2019-20" an annual report;
- "Dear Home Secretary" or a Home Office address says where a letter went;
- "an inspection of Sussex Police" names the *subject*, discounted when choosing the force;
- running headers and footers ("OFFICIAL - Merseyside Police - Scrutiny Board", "Page 2 of
  3", a line repeated at the top of every page) are furniture: never a title or a recipient.

Dates: a "Date:"-like header line ("Date of meeting:", "Published:", "Status as at:",
"Exported:", an email's "Sent:"), else the date of a minutes heading ("held ... on Tuesday 18
June 2019"), else a date standing alone in the letterhead or the signature, else "Last
updated:" (a web page's only date). A month alone ("Gorffennaf / July 2019", "Published July
2020") is stored as the first of the month with `date_precision` "month"; a year alone in a
date field as 1 January with "year".

Recipient and meeting: `recipient` is to whom a document is addressed (a person, an office,
the board a paper is for, an email's "To:"); `meeting` is the board, committee or panel a
paper or a tracker goes to, or whose meeting minutes record. A paper's board is both; minutes
have a meeting and no recipient; letters, emails, press releases and web pages no meeting.

`evidence` maps each field filled ("author", "role", "date", "recipient", "meeting",
"meeting_date", "force", "doc_type") to the line of the normalised text it was read from (at
most ~200 characters, tabs as spaces), so an answer can cite the sentence that states it.

The package, one job per module (`layout` reads the parts of a document once, into the
`_Layout` the readers below it take):

    text       the normalised copy, its lines and the evidence snippet of a span
    layout     header fields, salutation, letterhead, signing block, headings
    names      offices (PCC, Chief Constable, ...) and persons' names
    kinds      the document type, by the first of its cues that holds
    people     the writers: signatories, header fields, letterhead, prose
    force      the author's force, by where each mention stands
    when       the document's own date and its precision
    recipient  to whom it is addressed, the meeting it went to, who was copied
    report     the inspection report it answers
    title      a short title from all of the above
"""

from __future__ import annotations

from ingest.describe.force import _find_force, _force_mentions
from ingest.describe.kinds import _classify
from ingest.describe.layout import _layout
from ingest.describe.people import _find_authors
from ingest.describe.recipient import _find_copied, _find_meeting, _find_recipient
from ingest.describe.report import KNOWN_REPORTS, KnownReport, _find_report
from ingest.describe.text import _normalise, _snippet, _Span
from ingest.describe.title import _title
from ingest.describe.when import _find_date, _find_meeting_date, dates_in
from ingest.types import Author, DocumentMeta

__all__ = ["KNOWN_REPORTS", "KnownReport", "dates_in", "describe"]


_HEAD_CHARS, _TAIL_CHARS = 30_000, 6_000


def describe(text: str) -> DocumentMeta:
    """Metadata for a document, from its text alone.

    Returns a DocumentMeta whose fields are None (or DocType.other) where the text gives
    no reliable signal, and whose `evidence` holds the line each filled field was read
    from; never raises on odd input.
    """
    if len(text) > _HEAD_CHARS + _TAIL_CHARS:
        # Who, when and what sit in the first pages and the last; reading only those keeps a
        # 100-page annex as cheap as a letter.
        text = text[:_HEAD_CHARS] + "\n\n" + text[-_TAIL_CHARS:]
    lay = _layout(_normalise(text))
    t = lay.text
    evidence: dict[str, str] = {}

    def note(key: str, span: _Span | None) -> None:
        if span and span[1] > span[0]:
            evidence[key] = _snippet(t, *span)

    doc_type, cue = _classify(lay)
    note("doc_type", cue)
    force = _find_force(lay)
    writers = _find_authors(lay, doc_type, cue, force[0] if force else None)
    # The force is best shown by the writer's role line when it names it ("Police and Crime
    # Commissioner for South Wales"), else by its weightiest mention.
    role_at = writers[0].role_at if writers else None
    named_there = role_at and force and any(f == force[0] for f, _, _ in _force_mentions(t[slice(*role_at)]))
    note("force", role_at if named_there else force[1] if force else None)
    authors = [
        Author(name=w.name, role=w.role, evidence=_snippet(t, *(w.name_at or w.role_at or (0, 0)))) for w in writers
    ]
    if writers:
        note("author", writers[0].name_at if writers[0].name else None)
        note("role", writers[0].role_at if writers[0].role else None)
    named = [w.name for w in writers if w.name]
    when = _find_date(lay, doc_type, cue)
    if when:
        evidence["date"] = when[2]
    meeting = _find_meeting(lay, doc_type, cue)
    note("meeting", meeting[1] if meeting else None)
    met = _find_meeting_date(lay, doc_type, when) if meeting else None
    if met:
        evidence["meeting_date"] = met[2]
    recipient = _find_recipient(lay, doc_type, meeting)
    note("recipient", recipient[1] if recipient else None)
    report = _find_report(lay)
    copied = _find_copied(t)
    note("copied", copied[1] if copied else None)
    meta = DocumentMeta(
        force=force[0] if force else None,
        author_name=" and ".join(named) if len(named) > 1 else (writers[0].name if writers else None),
        author_role=writers[0].role if writers else None,
        authors=authors,
        doc_type=doc_type,
        date=when[0] if when else None,
        date_precision=when[1] if when else "day",
        recipient=recipient[0] if recipient else None,
        copied=copied[0] if copied else None,
        meeting=meeting[0] if meeting else None,
        meeting_date=met[0] if met and met[1] == "day" else None,
        report=report[0] if report else None,
        evidence=evidence,
    )
    title = _title(meta, lay, report, cue)
    meta.title = title[:1].upper() + title[1:]
    return meta
