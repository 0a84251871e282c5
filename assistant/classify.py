"""Status of an action from the words of the passage that reports it: done, in progress,
planned or declined. Deterministic and explainable: each status has its cue phrases, and
the strongest cue in the passage wins (see docs/compare.md)."""

from __future__ import annotations

import re

from assistant.types import Status

_CUES: list[tuple[Status, re.Pattern[str]]] = [
    (Status.declined, re.compile(
        r"\b(?:does not intend|do not intend|decided not to|has decided not|will not be|will not|is not considered "
        r"(?:necessary|appropriate)|no plans? to|declined to|not (?:be )?adopt|addressed to the (?:npcc|national|college|cps)"
        r"|(?:will|shall) await further|awaiting (?:further|national))", re.I)),
    (Status.planned, re.compile(
        r"\b(?:will (?:commission|be|review|introduce|develop|deliver|consider|seek|continue to be|also|ensure|create|"
        r"establish|receive|undertake|implement|audit|work)|plans? to|planning to|intends? to|intention is|are due to|is due to"
        r"|aims? to|proposes? to|by \d{1,2}(?:st|nd|rd|th)? \w+ \d{4}|will)\b", re.I)),
    (Status.in_progress, re.compile(
        r"\b(?:continues? to|continuing to|is being|are being|ongoing|currently|is working towards|are working towards|"
        r"has just begun|pilot|in the process of|is developing|are developing|being rolled out|remains?)\b", re.I)),
    (Status.done, re.compile(
        r"\b(?:has|have|had) (?:now |also |already |recently |been |just )?\w+(?:ed|en|t)\b|\bwas (?:completed|"
        r"delivered|established|introduced|published|adopted|launched)|\bwere (?:trained|delivered|completed)|\b(?:adopted|"
        r"reviewed|established|delivered|launched|developed|introduced|appointed|completed|trained|implemented|secured|"
        r"published|held|identified|resulted)\b", re.I)),
]


def classify_status(text: str) -> Status:
    """The status a passage reports; `done` when it only states a fact."""
    for status, pattern in _CUES:
        if pattern.search(text):
            if status is Status.planned and re.search(r"\bwill continue\b", text, re.I):
                return Status.in_progress
            return status
    return Status.done


def cue(text: str) -> str | None:
    """The phrase that decided the status, to show why."""
    for _, pattern in _CUES:
        if m := pattern.search(text):
            return m.group(0)
    return None
