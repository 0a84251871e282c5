"""Questions about forces ("which forces audited breach recording?", "which PCCs wrote to
the Home Secretary?"): one line per force whose own documents support the claim, each with
the sentence that decides it.

A question about an action is judged exactly as the compare matrix judges the topic
(status.py: the same evidence, the same status), so the chat and the matrix agree. A force is
listed when its status is the one asked for ("which forces plan to ..." asks for planned; a
plain "which forces have ..." for done, "which forces mention ..." for any); forces whose
documents speak of the action with another status are quoted apart, under "Not counted", and
not asserted. A question about who
wrote to whom is answered from the documents' metadata instead.
"""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.answer.cues import is_deferral
from assistant.answer.draft import Draft, abstain, quote_lines
from assistant.answer.evidence import Evidence, sentence_with, with_continuation
from assistant.answer.retrieve import Retriever
from assistant.answer.status import COMPARE_K, MIN_SUPPORT_COVERAGE, Judgement, judge_forces
from assistant.answer.understand import Query
from assistant.types import Citation, Status

STATUS_PHRASE = {
    Status.done: "done",
    Status.in_progress: "in progress",
    Status.planned: "planned",
    Status.declined: "declined",
}
DEFERRED = "left to a national body"
# "Which forces will wait for national guidance ...": a question about deferrals.
_DEFERS = re.compile(
    r"\b(?:awaits?|awaiting|wait(?:s|ing)?\s+for|left\s+to|leave\s+it\s+to|national\s+guidance)\b", re.I
)


# "Which forces mention a stalking clinic?": any status counts, the question is whether they speak of it.
_MENTIONS = re.compile(
    r"\b(?:mention(?:s|ed)?|refer(?:s|red)?\s+to|discuss(?:es|ed)?|talk(?:s|ed)?\s+about|comment(?:s|ed)?\s+on)\b",
    re.I,
)


def phrase(judgement: Judgement) -> str:
    return DEFERRED if judgement.deferred else STATUS_PHRASE[judgement.status]


# "Which PCCs wrote to the Home Secretary ...": a question about the documents' recipients.
_WROTE_TO = re.compile(
    r"\b(?:wrote|written|write|writes|sent|send|addressed|responded|replied|reported)\s+(?:a\s+\w+\s+)?to\s+"
    r"(?P<to>(?:the\s+)?[A-Z][\w'’]*(?:\s+[A-Z][\w'’]*){0,4})",
)


def _by_recipient(retriever: Retriever, query: Query) -> Draft | None:
    """Forces whose documents were addressed to the recipient the question names."""
    m = _WROTE_TO.search(query.question)
    if not m:
        return None
    wanted = re.sub(r"^the\s+", "", m.group("to"), flags=re.I).strip()
    snap = retriever.snapshot()
    found: dict[str, Evidence] = {}
    for doc in sorted(snap.documents.values(), key=lambda d: (d.meta.force or "", d.source)):
        force, recipient = doc.meta.force, doc.meta.recipient or ""
        if not force or force in found or wanted.lower() not in recipient.lower():
            continue
        if query.filters.forces and force not in query.filters.forces:
            continue
        if ev := sentence_with(snap, doc, wanted):
            found[force] = ev
    if not found:
        return None
    lines, citations = quote_lines(list(found.values()))
    lead = f"{len(found)} of {len(snap.force_names)} forces wrote to {wanted}: {', '.join(found)}."
    return Draft(text=lead + "\n\n" + "\n".join(lines), citations=citations, forces=list(found))


MAX_NAMED = 3  # "and Merseyside?": a question that names a few forces asks what each did


def _named(retriever: Retriever, query: Query, judged: dict[str, Judgement]) -> Draft:
    """What each named force's documents say of the action, whatever its status."""
    lines: list[str] = []
    citations: list[Citation] = []
    forces: list[str] = []
    for force in query.filters.forces:
        judgement = judged.get(force)
        if judgement is None or judgement.status is Status.not_mentioned or not judgement.support:
            near = judgement.near[:1] if judgement is not None else []
            if not near or near[0].coverage < MIN_SUPPORT_COVERAGE:
                lines.append(f"- **{force}**: its documents do not mention it.")
                continue
            # The closest sentence lets the reader check the "no" rather than take it on trust.
            [line], [c] = quote_lines(near, start=len(citations) + 1)
            citations.append(c)
            lines.append(f"- **{force}**: its documents do not say so; the closest passage: {line.removeprefix('- ')}")
            continue
        lines.append(_quoted(force, judgement, citations))
        forces.append(force)
    if not citations:
        return abstain(query)
    # No named force asserted, but their closest passages are quoted: the reader sees why not.
    return Draft(text="\n".join(lines), citations=citations, forces=forces)


def _quoted(force: str, judgement: Judgement, citations: list[Citation]) -> str:
    """The force's line: its status and the sentence that decides it, cited (appended to `citations`)."""
    # with the sentence that only continues it ("... no longer issues PINs. Their use ended on ...")
    [line], [c] = quote_lines([with_continuation(judgement.support[0].evidence)], start=len(citations) + 1)
    citations.append(c)
    return line.replace("- ", f"- **{force}** ({phrase(judgement)}), ", 1)


def answer_forces(retriever: Retriever, query: Query, k: int) -> Draft:
    if draft := _by_recipient(retriever, query):
        return draft
    judged = judge_forces(retriever, query, k=max(k, COMPARE_K))
    defers = bool(_DEFERS.search(query.question))
    any_status = not defers and not query.status and bool(_MENTIONS.search(query.question))
    if query.filters.forces and len(query.filters.forces) <= MAX_NAMED:
        return _named(retriever, query, judged)
    lines: list[str] = []
    citations: list[Citation] = []
    forces: list[str] = []
    others: list[tuple[str, Judgement]] = []
    for force, judgement in sorted(judged.items()):
        if judgement.status is Status.not_mentioned or not judgement.support:
            continue
        if defers and not judgement.deferred:
            # asked who waits: the force's own sentence that waits decides, whatever the status
            waits = [s for s in judgement.speaking if is_deferral(s.evidence.sentence.text)]
            if waits:
                judgement = replace(judgement, support=waits, deferred=True)
        if defers:
            counted = judgement.deferred
        elif query.not_done:
            counted = judgement.status is not Status.done  # it speaks of the action, and not as done
        else:
            counted = any_status or judgement.status is (query.status or Status.done)
        if not counted:
            others.append((force, judgement))
            continue
        lines.append(_quoted(force, judgement, citations))
        forces.append(force)
    if not forces and not others:
        return abstain(query)
    total = len(retriever.snapshot().force_names)
    # none counted, but some speak of it otherwise ("plans to train them from October"): that is
    # the answer, not "the documents do not say"
    lead = f"{len(forces)} of {total} forces: {', '.join(forces)}." if forces else f"None of {total} forces."
    text = lead + ("\n\n" + "\n".join(lines) if lines else "")
    if others:
        # Quoted so a reader can overrule the status; not among `forces`, which are asserted.
        unasserted = [_quoted(force, judgement, citations) for force, judgement in others]
        text += "\n\nNot counted (their documents speak of it with another status):\n" + "\n".join(unasserted)
    return Draft(text=text, citations=citations, forces=forces)
