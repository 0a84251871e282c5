"""Deterministic generator of synthetic police / PCC responses to HMICFRS inspection reports.

The documents imitate the real ones in ``corpus/``: PCC letters to the Home Secretary,
Chief Constable board papers with numbered paragraphs, and published comments with a
recommendation / response table.  Every (force, topic) pair gets a ground-truth status
(done, in_progress, planned, declined, not_mentioned); each status other than
not_mentioned is expressed by at least one sentence in that force's documents, and a
later-dated document may update an earlier status (the ground truth is the latest one).

    python -m evals.gencorpus OUT_DIR --docs N [--format pdf|txt] [--seed S] [--jobs J]

writes the documents plus ``ground_truth.json``, ``questions.yaml`` (the question-set
schema of DESIGN.md) and ``compare.yaml`` (``{id, topic, expect: {FORCE: STATUS}}``).
Each document is about 7,000 characters, so N documents give roughly 10 x N chunks of
~700 characters.  The same arguments always give the same bytes.

    data.py       the tables (forces, people, reports, topics, filler), read from data/*.yaml
    text.py       dates in words, slugs, Latin-1 for the PDF fonts
    people.py     force names and titles; each force's PCCs, chief officers and board
    plan.py       which documents each force writes and which topic statuses they state
    writer.py     one document's sentences: template slots, filler, topic statements
    documents.py  letters, board papers and published comments as lists of blocks
    txt.py, pdf.py  rendering
    questions.py  the question set; truth.py  the ground truth
    corpus.py     generate(); cli.py  the command line
"""

from evals.gencorpus.cli import main
from evals.gencorpus.corpus import GENERATED_FILES, generate
from evals.gencorpus.data import (
    BOARD,
    COMMENTS,
    DISTRACTORS,
    F_CLOSING,
    F_GENERIC,
    F_STALKING,
    FILLER_BANKS,
    FORCE_INFO,
    LETTER,
    REPORTS,
    STATUSES,
    TOPIC_PHRASES,
    TOPICS,
    ForceInfo,
    Report,
    Topic,
)
from evals.gencorpus.text import long_date, month_year, ordinal, to_latin1
from evals.gencorpus.truth import GroundTruth

__all__ = [
    "BOARD",
    "COMMENTS",
    "DISTRACTORS",
    "FILLER_BANKS",
    "FORCE_INFO",
    "F_CLOSING",
    "F_GENERIC",
    "F_STALKING",
    "GENERATED_FILES",
    "LETTER",
    "REPORTS",
    "STATUSES",
    "TOPICS",
    "TOPIC_PHRASES",
    "ForceInfo",
    "GroundTruth",
    "Report",
    "Topic",
    "generate",
    "long_date",
    "main",
    "month_year",
    "ordinal",
    "to_latin1",
]
