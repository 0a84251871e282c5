"""The ground truth of a generated corpus: its documents' metadata, and each (force, topic) status with the
sentence that states it (the latest mention wins), plus the question set and compare set built from them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from evals.gencorpus.data import REPORTS, TOPICS
from evals.gencorpus.documents import Rendered
from evals.gencorpus.people import bare_name
from evals.gencorpus.plan import DocPlan
from evals.gencorpus.questions import Status, questions
from evals.gencorpus.text import to_latin1


@dataclass
class GroundTruth:
    seed: int
    n_docs: int
    format: str
    documents: list[dict]
    topics: list[str]
    status: dict[str, dict[str, dict]]
    questions: list[dict]
    compare: list[dict]
    topic_details: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def _document(p: DocPlan, r: Rendered, fname: str, pages: dict[int, int]) -> dict:
    d = {
        "file": fname,
        "force": p.force,
        "doc_type": p.kind,
        "date": p.date.isoformat(),
        "author_name": bare_name(r.author_name),
        "author_signature": r.author_name,
        "author_role": r.author_role,
        "author_title": r.author_title,
        "recipient": r.recipient,
        "report": REPORTS[p.report].title,
        "report_key": p.report,
        "title": r.title,
    }
    if r.index in pages:
        d["pages"] = pages[r.index]
    return d


def _settle(status: Status) -> None:
    """Each cell's status and evidence: its latest mention."""
    for cells in status.values():
        for cell in cells.values():
            if cell["history"]:
                cell["history"].sort(key=lambda h: h["date"])
                last = cell["history"][-1]
                cell["status"] = last["status"]
                cell["evidence"] = [{k: last[k] for k in ("file", "date", "sentence", "numbers")}]


def ground_truth(
    plans: list[DocPlan],
    rendered: list[Rendered],
    fmt: str,
    seed: int,
    n_docs: int,
    forces: Sequence[str],
    pages: dict[int, int],
) -> GroundTruth:
    """`pages`: document index -> page count (PDF only)."""
    ext = "pdf" if fmt == "pdf" else "txt"
    docs = []
    status: Status = {
        f: {t.name: {"status": "not_mentioned", "evidence": [], "history": []} for t in TOPICS} for f in forces
    }
    for p, r in zip(plans, rendered, strict=True):
        fname = f"{r.file}.{ext}"
        docs.append(_document(p, r, fname, pages))
        for m in r.mentions:
            sentence = to_latin1(m["sentence"]) if fmt == "pdf" else m["sentence"]
            status[p.force][m["topic"]]["history"].append(
                {
                    "file": fname,
                    "date": p.date.isoformat(),
                    "status": m["status"],
                    "sentence": sentence,
                    "numbers": m["numbers"],
                }
            )
    _settle(status)
    present = {p.force for p in plans}
    compare = [
        {"id": f"cmp-{t.id}", "topic": t.name, "expect": {f: status[f][t.name]["status"] for f in forces}}
        for t in TOPICS
    ]
    details = [
        {"id": t.id, "topic": t.name, "infinitive": t.infinitive, "reports": [REPORTS[k].title for k in t.reports]}
        for t in TOPICS
    ]
    qs = questions(status, forces, present)
    return GroundTruth(seed, n_docs, fmt, docs, [t.name for t in TOPICS], status, qs, compare, details)
