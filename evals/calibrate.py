"""Fit the extractive answerer's calibration (assistant/answer/calibration.json) on the
tuning halves of the question sets, and nothing else.

    python -m evals.calibrate            # fit, print the tuning figures, write the file
    python -m evals.calibrate --check    # fit and print, write nothing

1. Indexes: the seed corpus (for evals/questions.yaml), the seeds with the challenge
   documents (evals/challenge/), and so on with the extra, fresh, fresh2, fresh3 and fresh4
   documents, each in a scratch directory, as `make gate` reads them.
2. Status judgement: the share of a topic's words and the closeness that make a sentence speak
   to a topic (status.py) are chosen on a grid, by the status accuracy of the tuning compare
   items plus the force recall and precision of the tuning force questions.
3. Weights: every candidate sentence of every `split: tune` question (not the force questions,
   which the status judgement answers) that contains what the question asks for (kinds.py) is
   labelled by whether it contains one of the item's expected facts (every sentence of an
   unanswerable item is negative); a logistic regression on its signals (evidence.FEATURES)
   gives the weights.
4. Answerability: a second logistic regression, on the best candidate of every tuning
   question (its score, coverage, closeness, specificity and the question's missing words),
   learns whether the question is answered at all (its `abstain` flag). The tuning halves
   hold few unanswerable questions, so each answerable one is asked once more as if the
   documents that answer it were not indexed: its best candidate then is what an unanswered
   question looks like (kept only when no candidate left holds an expected fact).
5. Thresholds: `answer` (abstain when answerability is below it) and `keep` (quote a further
   sentence scoring this share of the best) are chosen by running the whole answerer over the
   tuning items on a grid, maximising the worse of fact accuracy / 0.90 and abstention
   accuracy / 0.95; among equally good thresholds, the one in the middle of their range (the
   widest margin from where the tuning items start to lose).

`split: heldout` items are never read. The held-out figures come from `make gate`.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml

from assistant.answer import status
from assistant.answer.evidence import CALIBRATION, FEATURES, GATE_FEATURES, Calibration, Evidence
from assistant.answer.extractive import ExtractiveAnswerer
from assistant.compare import compare
from assistant.core import Assistant, Conversation
from assistant.settings import PROJECT_DIR, Settings
from ingest.forces import normalise_force

# (question set, compare set, the documents it adds): each stage indexes its own documents and
# every earlier stage's, as `make gate` does
_SETS = [
    ("evals/questions.yaml", "evals/compare-seeds.yaml", "corpus"),
    ("evals/challenge/questions.yaml", "evals/challenge/compare.yaml", "evals/challenge/corpus"),
    ("evals/extra/questions.yaml", "evals/extra/compare.yaml", "evals/extra/corpus"),
    ("evals/fresh/questions.yaml", "evals/fresh/compare.yaml", "evals/fresh/corpus"),
    ("evals/fresh2/questions.yaml", "evals/fresh2/compare.yaml", "evals/fresh2/corpus"),
    ("evals/fresh3/questions.yaml", "evals/fresh3/compare.yaml", "evals/fresh3/corpus"),
    ("evals/fresh4/questions.yaml", "evals/fresh4/compare.yaml", "evals/fresh4/corpus"),
]
STAGES = [  # (question sets, compare set, corpus directories)
    ([questions], compare, [corpus for _, _, corpus in _SETS[: n + 1]])
    for n, (questions, compare, _) in enumerate(_SETS)
]
OBJECT_GRID = [0.25, 0.34, 0.5]
SEMANTIC_GRID = [0.5, 0.55, 0.6, 0.7, 1.01]  # 1.01: never by closeness alone
CLOSENESS_GRID = [0.1, 0.2]
ANSWER_GRID = [0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9]
KEEP_GRID = [0.3, 0.5, 0.7, 0.9]
L2 = 0.01
FACT_TARGET, ABSTENTION_TARGET = 0.90, 0.95  # the held-out floors the issue sets


@dataclass
class Item:
    turns: list[str]
    facts: list[list[str]]
    abstain: bool
    forces: bool
    expected: list[str] = field(default_factory=list)
    not_expected: list[str] = field(default_factory=list)
    docs: list[str] = field(default_factory=list)  # file names of the documents that answer


def tuning_items(path: Path) -> list[Item]:
    items = []
    for raw in yaml.safe_load(path.read_text(encoding="utf-8")):
        if raw.get("split", "heldout") != "tune":
            continue
        expect = raw.get("expect", {})
        turns = raw.get("turns") or [raw["question"]]
        forces = bool(expect.get("forces") or expect.get("not_forces"))
        items.append(
            Item(
                turns,
                expect.get("facts", []),
                bool(expect.get("abstain")),
                forces,
                [normalise_force(f) or f for f in expect.get("forces", [])],
                [normalise_force(f) or f for f in expect.get("not_forces", [])],
                [Path(d).name for d in expect.get("docs", [])],
            )
        )
    return items


def tuning_topics(path: Path) -> list[tuple[str, dict[str, str]]]:
    return [
        (raw["topic"], {normalise_force(f) or f: st for f, st in raw["expect"].items()})
        for raw in yaml.safe_load(path.read_text(encoding="utf-8"))
        if raw.get("split", "heldout") == "tune"
    ]


def status_score(assistant: Assistant, items: list[Item], topics: list[tuple[str, dict[str, str]]]) -> float:
    """Status accuracy over the tuning compare items plus the force questions' recall and
    precision, each in [0, 1], averaged."""
    parts = []
    if topics:
        matrix = compare(assistant, [t for t, _ in topics], sorted({f for _, e in topics for f in e}))
        got = {(c.topic, c.force): c.status.value for c in matrix.cells}
        right = [got.get((" ".join(t.split()), f)) == st for t, e in topics for f, st in e.items()]
        parts.append(sum(right) / len(right))
    for item in (i for i in items if i.forces):
        conversation = Conversation()
        answer = None
        for turn in item.turns:
            answer = assistant.ask(turn, conversation)
        said = set(answer.forces if answer else [])
        if item.expected:
            parts.append(len(said & set(item.expected)) / len(item.expected))
        if said:
            parts.append(1 - len(said & set(item.not_expected)) / len(said))
    return float(np.mean(parts)) if parts else 0.0


def fit_status(stages) -> dict[str, float]:
    """The status judgement's thresholds that judge the tuning items best."""
    best: tuple[float, dict[str, float]] | None = None
    for objects, semantic, close in itertools.product(OBJECT_GRID, SEMANTIC_GRID, CLOSENESS_GRID):
        status.MIN_OBJECT_COVERAGE, status.MIN_ACTION_SEMANTIC, status.MIN_SUPPORT_DENSE = objects, semantic, close
        score = float(np.mean([status_score(a, items, topics) for a, items, topics in stages]))
        if best is None or score > best[0]:
            chosen = {"min_object_coverage": objects, "min_action_semantic": semantic, "min_closeness": close}
            best = (score, chosen)
    assert best is not None
    print(f"status judgement on the tuning halves: {best[0]:.3f} {best[1]}", file=sys.stderr)
    status.MIN_OBJECT_COVERAGE = best[1]["min_object_coverage"]
    status.MIN_ACTION_SEMANTIC = best[1]["min_action_semantic"]
    status.MIN_SUPPORT_DENSE = best[1]["min_closeness"]
    return best[1]


def _has_fact(text: str, facts: list[list[str]]) -> bool:
    folded = " ".join(text.split()).casefold()
    return any(" ".join(alt.split()).casefold() in folded for group in facts for alt in group)


def candidate_rows(assistant: Assistant, items: list[Item]) -> tuple[np.ndarray, np.ndarray]:
    """(signals, labels) of the candidate sentences of the non-force items: a sentence of an
    answerable item is positive when it holds an expected fact; every sentence of an item the
    documents do not answer is negative (so the score learns when to abstain too)."""
    answerer = assistant.answerer
    assert isinstance(answerer, ExtractiveAnswerer)
    rows, labels = [], []
    for item in items:
        if item.forces or not (item.facts or item.abstain):
            continue
        conversation = Conversation()
        for turn in item.turns:
            assistant.ask(turn, conversation)
        query = conversation.queries[-1]
        for ev in answerer.eligible(query, assistant.settings.k):
            rows.append([ev.features[k] for k in FEATURES])
            labels.append(float(not item.abstain and _has_fact(ev.sentence.text, item.facts)))
    return np.array(rows, dtype=np.float64), np.array(labels, dtype=np.float64)


def gate_rows(assistant: Assistant, items: list[Item], calibration: Calibration) -> tuple[np.ndarray, np.ndarray]:
    """(signals of each non-force item's best candidate, whether the item is answerable), and
    for each answerable item, its best candidate with its answering documents left out."""
    answerer = assistant.answerer
    assert isinstance(answerer, ExtractiveAnswerer)
    answerer.calibration = calibration
    snap = assistant.retriever.snapshot()
    rows, labels = [], []

    def add(found: list[Evidence], answerable: bool) -> None:
        if found:
            signals = {"score": found[0].score, **found[0].features}
            rows.append([signals[k] for k in GATE_FEATURES])
            labels.append(float(answerable))

    for item in items:
        if item.forces:
            continue
        conversation = Conversation()
        for turn in item.turns:
            assistant.ask(turn, conversation)
        query = conversation.queries[-1]
        add(answerer.eligible(query, assistant.settings.k), not item.abstain)
        if item.abstain or not item.docs or not item.facts:
            continue
        without = frozenset(d.doc_id for d in snap.documents.values() if Path(d.source).name in item.docs)
        rest = answerer.eligible(query, assistant.settings.k, without)
        if not any(_has_fact(e.sentence.text, item.facts) for e in rest):
            add(rest, False)
    return np.array(rows, dtype=np.float64), np.array(labels, dtype=np.float64)


def fit_logistic(x: np.ndarray, y: np.ndarray, steps: int = 20000, rate: float = 0.5) -> tuple[np.ndarray, float]:
    """Weights and bias of an L2-regularised logistic regression, by gradient descent on
    standardised signals (a thousand rows of five signals: no library needed), returned for
    the raw signals."""
    mean, scale = x.mean(axis=0), np.maximum(x.std(axis=0), 1e-9)
    z = (x - mean) / scale
    w, b = np.zeros(x.shape[1]), 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(z @ w + b)))
        g = p - y
        w -= rate * (z.T @ g / len(y) + L2 * w)
        b -= rate * g.mean()
    return w / scale, float(b - (w * mean / scale).sum())


def score_items(assistant: Assistant, items: list[Item]) -> tuple[float, float]:
    """(fact accuracy, abstention accuracy) of the whole answerer over `items`."""
    facts, abstentions = [], []
    for item in items:
        conversation = Conversation()
        answer = None
        for turn in item.turns:
            answer = assistant.ask(turn, conversation)
        assert answer is not None
        abstentions.append(float(answer.abstained == item.abstain))
        if item.facts:
            text = " ".join(answer.answer.split()).casefold()
            found = [any(" ".join(a.split()).casefold() in text for a in group) for group in item.facts]
            facts.append(sum(found) / len(found))
    return float(np.mean(facts)), float(np.mean(abstentions))


# (answer, keep) -> (score, fact accuracy, abstention accuracy, the calibration)
Results = dict[tuple[float, float], tuple[float, float, float, Calibration]]


def _widest_margin(results: Results) -> tuple[float, float]:
    """(answer, keep) among the best-scoring pairs, in the middle of the range of thresholds
    that score best: where the tuning items cannot tell thresholds apart, the one farthest
    from where they start to lose is the least fitted to them."""
    best = max(score for score, *_ in results.values())
    tied = [pair for pair, (score, *_) in results.items() if score >= best - 1e-9]

    def middle(values: list[float]) -> float:
        centre = (min(values) + max(values)) / 2
        return min(values, key=lambda v: (abs(v - centre), v))

    answer = middle([a for a, _ in tied])
    return answer, middle([k for a, k in tied if a == answer])


def build(stage_dirs: list[str], index_dir: Path) -> Assistant:
    assistant = Assistant(Settings(index_dir=index_dir))
    assistant.ingest([PROJECT_DIR / d for d in stage_dirs], rebuild=True)  # a fresh index: metadata as read today
    return assistant


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="fit and print; do not write calibration.json")
    parser.add_argument("--index-dir", type=Path, default=PROJECT_DIR / "test-output" / "calibrate-index")
    parser.add_argument("--keep-status", action="store_true", help="reuse the status thresholds already fitted")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    stages = []
    for n, (sets, compare_set, dirs) in enumerate(STAGES, 1):
        assistant = build(dirs, args.index_dir / f"stage-{n}")
        items = [item for s in sets for item in tuning_items(PROJECT_DIR / s)]
        topics = tuning_topics(PROJECT_DIR / compare_set)
        stages.append((assistant, items, topics))
        print(f"{', '.join(sets)}: {len(items)} tuning items, {len(topics)} tuning topics", file=sys.stderr)
    if args.keep_status:
        status_fit = json.loads(CALIBRATION.read_text(encoding="utf-8"))["status"]
    else:
        status_fit = fit_status(stages)
    rows = [candidate_rows(a, items) for a, items, _ in stages]
    x, y = np.vstack([r[0] for r in rows]), np.concatenate([r[1] for r in rows])
    w, b = fit_logistic(x, y)
    print(
        f"{len(y)} candidate sentences, {int(y.sum())} with an expected fact; weights {w.round(2)}, bias {b:.2f}",
        file=sys.stderr,
    )
    weights = dict(zip(FEATURES, map(float, w), strict=True))
    sentence_only = Calibration(weights, b, 0.0, 0.0)
    gates = [gate_rows(a, items, sentence_only) for a, items, _ in stages]
    gx, gy = np.vstack([g[0] for g in gates]), np.concatenate([g[1] for g in gates])
    gw, gb = fit_logistic(gx, gy)
    gate = dict(zip(GATE_FEATURES, map(float, gw), strict=True))
    print(
        f"answerability on {len(gy)} questions ({int(len(gy) - gy.sum())} unanswerable): {gate}, bias {gb:.2f}",
        file=sys.stderr,
    )
    results: Results = {}
    for answer in ANSWER_GRID:
        for keep in KEEP_GRID:
            calibration = Calibration(weights, b, answer, keep, gate, gb)
            figures = []
            for assistant, items, _ in stages:
                assert isinstance(assistant.answerer, ExtractiveAnswerer)
                assistant.answerer.calibration = calibration
                figures.append(score_items(assistant, items))
            fact, abstention = np.mean([f for f, _ in figures]), np.mean([a for _, a in figures])
            # both matter: the worse of the two, against what the project asks of each
            score = min(fact / FACT_TARGET, abstention / ABSTENTION_TARGET) + 0.01 * (fact + abstention)
            results[answer, keep] = (float(score), float(fact), float(abstention), calibration)
    answer, keep = _widest_margin(results)
    _, fact, abstention, calibration = results[answer, keep]
    print(f"tuning halves: facts {fact:.3f}, abstention {abstention:.3f}; {calibration}", file=sys.stderr)
    if not args.check:
        data = {
            "weights": {k: round(v, 4) for k, v in calibration.weights.items()},
            "bias": round(calibration.bias, 4),
            "answer": calibration.answer,
            "keep": calibration.keep,
            "gate": {k: round(v, 4) for k, v in calibration.gate.items()},
            "gate_bias": round(calibration.gate_bias, 4),
            "status": status_fit,
            "fitted_on": f"tuning halves of {', '.join(s for sets, c, _ in STAGES for s in [*sets, c])} "
            f"({len(y)} candidate sentences); tuning facts {fact:.3f}, abstention {abstention:.3f}",
        }
        CALIBRATION.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {CALIBRATION.relative_to(PROJECT_DIR)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
