"""LLM-as-judge (optional, off by default, never in CI): does the answer state the expected
facts, however phrased? Any LangChain chat model (`init_chat_model` spec); prompt in
prompts/judge.md with {question}, {facts} and {answer} filled in."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.evaluation.results import Score
from assistant.settings import PROJECT_DIR

PROMPT = PROJECT_DIR / "prompts" / "judge.md"
_VERDICT = re.compile(r"VERDICT:\s*(PASS|FAIL)", re.I)
_REASON = re.compile(r"REASON:\s*(.+)", re.I)


class JudgeError(RuntimeError):
    """The judge model could not be loaded or did not answer."""


class Judge:
    def __init__(self, model, name: str, prompt: str):
        self.model = model  # a LangChain chat model (anything with .invoke(str) -> message)
        self.name = name
        self.prompt = prompt

    @classmethod
    def from_spec(cls, spec: str, base_url: str | None = None, prompt_path: Path = PROMPT) -> Judge:
        try:
            from langchain.chat_models import init_chat_model  # langchain loads in seconds: only when judging

            extra: dict[str, Any] = {"base_url": base_url} if base_url else {}
            model = init_chat_model(spec, temperature=0, **extra)
        except Exception as exc:  # provider packages raise ImportError, ValueError, ... for a bad spec
            raise JudgeError(f"cannot load the judge model '{spec}': {exc}") from exc
        return cls(model, spec, prompt_path.read_text(encoding="utf-8"))

    def score(self, question: str, facts: Sequence[Sequence[str]], answer: str) -> Score:
        if not facts:
            return Score.na("no facts")
        filled = (
            self.prompt.replace("{question}", question)
            .replace("{facts}", "\n".join(" | ".join(group) for group in facts))
            .replace("{answer}", answer)
        )
        try:
            reply = self.model.invoke(filled)
        except Exception as exc:  # network and provider errors vary by integration
            raise JudgeError(f"the judge model '{self.name}' failed: {exc}") from exc
        text = reply.content if hasattr(reply, "content") else str(reply)
        text = text if isinstance(text, str) else " ".join(str(part) for part in text)
        verdict = _VERDICT.search(text)
        reason = _REASON.search(text)
        if verdict is None:
            return Score(value=0.0, passed=False, detail=f"unreadable verdict: {text[:120]!r}")
        ok = verdict.group(1).upper() == "PASS"
        return Score(value=float(ok), passed=ok, detail=reason.group(1).strip() if reason else "")
