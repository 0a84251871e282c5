"""The generative answerer: a LangChain chat model writes the answer from numbered sources,
and every sentence it writes is verified against them (assistant/verify.py) before anyone
sees it.

The extractive answerer does the groundwork: it finds the evidence (per force for force
questions, so each force is judged on its own passages), it is the gate (when no passage
carries the question the model is not asked, so it cannot answer from thin air), and it is
the fallback when the model fails or nothing it wrote survives verification.
"""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from assistant.answer.draft import Draft, abstain
from assistant.answer.evidence import MIN_SENTENCE_CHARS, Evidence, citation, distinct, with_continuation
from assistant.answer.extractive import ExtractiveAnswerer
from assistant.answer.retrieve import Retriever
from assistant.answer.status import COMPARE_K, judge_forces
from assistant.answer.understand import Query
from assistant.answer.verify import MARKER, Source, Verified, escape_quoted_markers, verify
from assistant.settings import PROJECT_DIR, Settings
from assistant.types import Citation

log = logging.getLogger(__name__)

PROMPTS_DIR = PROJECT_DIR / "prompts"
MAX_SOURCES = 8  # a single answer: the extractive picks plus the next best sentences
PER_FORCE_SOURCES = 3
MAX_FORCE_SOURCES = 60  # 43 forces at most, most of which have no passage on a given topic
# A passage is shown to the model when its calibrated score reaches this share of what the
# extractive answerer requires to quote it: the model may see what the extractive floor just
# missed, no more.
LOOSENESS = 0.75
LLM_TIMEOUT_S = 120.0  # settings.llm_timeout_s when the settings grow one
OLLAMA_CONTEXT = 8192  # Ollama's default window (2-4k tokens) silently cuts off long source lists
MAX_REPLY_CHARS = 8000
INSUFFICIENT = "INSUFFICIENT_EVIDENCE"
UNVERIFIED_NOTE = "(the language model's answer could not be verified; showing quoted passages)"
_THINKING = re.compile(r"<think>.*?</think>", re.S | re.I)
_DECLINES = re.compile(
    r"\b(?:do(?:es)? not (?:say|contain|mention|answer|provide|state|address|include)|cannot (?:answer|find|determine|"
    r"tell)|can't (?:answer|find|tell)|(?:no|not enough|insufficient) (?:information|evidence|passage|source)s?\b|"
    r"unable to (?:answer|find|determine))",
    re.I,
)
# Our own delimiters must not be forged by a document or a question.
_DELIMITER = re.compile(r"<(/?\s*(?:sources?|question)\b)", re.I)


def make_chat_model(settings: Settings):
    """The chat model named by `settings.llm` ("ollama:llama3.1", "openai:gpt-4o-mini", ...),
    temperature 0, at `settings.llm_base_url` when set. Raises whatever LangChain raises for
    an unknown provider or missing credentials; the answerer turns that into a fallback."""
    from langchain.chat_models import init_chat_model

    spec = settings.llm or ""
    provider = spec.split(":", 1)[0].lower() if ":" in spec else ""
    timeout = float(getattr(settings, "llm_timeout_s", None) or LLM_TIMEOUT_S)
    kwargs: dict = {"temperature": 0}
    if settings.llm_base_url:
        kwargs["base_url"] = settings.llm_base_url
    if provider == "ollama":
        kwargs |= {"num_ctx": OLLAMA_CONTEXT, "client_kwargs": {"timeout": timeout}}
    elif provider in {"openai", "azure_openai", "anthropic", "mistralai", "groq"}:
        kwargs |= {"timeout": timeout, "max_retries": 1}
    return init_chat_model(spec, **kwargs)


@lru_cache(maxsize=4)
def answer_prompt(directory: Path = PROMPTS_DIR):
    """The answer prompt from `answer_system.md` and `answer_user.md` (see prompts/README.md)."""
    from langchain_core.prompts import ChatPromptTemplate

    return ChatPromptTemplate.from_messages(
        [
            ("system", (directory / "answer_system.md").read_text(encoding="utf-8")),
            ("human", (directory / "answer_user.md").read_text(encoding="utf-8")),
        ]
    )


def _data(text: str) -> str:
    """Text from a document or a user, safe to put inside a data block."""
    return _DELIMITER.sub(lambda m: "‹" + m.group(1), text)


def _attribute(value: object) -> str:
    return html.escape(" ".join(str(value).split()), quote=True)


@dataclass
class Generation:
    """What one generative answer went through: the draft returned, the model's raw reply
    and its verification (None when the model was not asked or failed)."""

    draft: Draft
    sources: list[Source]
    reply: str | None = None
    verified: Verified | None = None
    error: str | None = None


class GenerativeAnswerer:
    """Answers with a chat model, keeping only what verifies against the sources."""

    def __init__(self, retriever: Retriever, extractive: ExtractiveAnswerer, settings: Settings, model=None):
        self.retriever = retriever
        self.extractive = extractive
        self.settings = settings
        self._model = model
        self.name = f"generative ({settings.llm or getattr(model, '_llm_type', 'model')})"

    @property
    def model(self):
        """The chat model, built on first use (so a bad spec fails an answer, not start-up)."""
        if self._model is None:
            self._model = make_chat_model(self.settings)
        return self._model

    def answer(self, query: Query, k: int) -> Draft:
        return self.generate(query, k).draft

    def generate(self, query: Query, k: int) -> Generation:
        """Ask the model and verify its reply; see the module docstring for the fallbacks."""
        fallback = self.extractive.answer(query, k)
        fallback.text = escape_quoted_markers(fallback.text)
        if fallback.abstained:
            return Generation(fallback, [])
        sources = self.sources(query, k, fallback)
        if not sources:
            return Generation(fallback, sources)
        try:
            reply = self._ask(self.messages(query, sources))
        except Exception as exc:  # any provider, any failure: the user gets the quoted passages
            log.warning("language model %s failed; answering extractively", self.settings.llm, exc_info=True)
            reason = " ".join(f"{type(exc).__name__}: {exc}".split())[:160]
            note = f"(the language model could not answer: {reason}; showing quoted passages)"
            return Generation(_noted(fallback, note), sources, error=reason)
        if _declines(reply):
            return Generation(abstain(query), sources, reply)
        verified = verify(reply, sources)
        for flag in verified.flags:
            log.info("verification: %s", flag)
        if not verified.citations:
            return Generation(_noted(fallback, UNVERIFIED_NOTE), sources, reply, verified)
        return Generation(self._draft(query, verified), sources, reply, verified)

    def _ask(self, messages) -> str:
        message = self.model.invoke(messages)
        content = message.content
        if not isinstance(content, str):  # content blocks (reasoning models, some providers)
            content = "".join(b.get("text", "") if isinstance(b, dict) else str(b) for b in content)
        return _THINKING.sub("", content).strip()[:MAX_REPLY_CHARS]

    def _draft(self, query: Query, verified: Verified) -> Draft:
        citations = verified.citations
        if query.about_forces:
            asserting = {n for claim in verified.claims if not claim.negative for n in claim.cites}
            forces = sorted({c.force for c in citations if c.force and c.n in asserting})
        else:
            forces = sorted({c.force for c in citations if c.force in query.filters.forces})
        text = verified.text
        if query.about_forces:
            lead = f"{len(forces)} of {len(self.retriever.snapshot().force_names)} forces: {', '.join(forces)}."
            text = f"{lead}\n\n{text}" if forces else text
        if dropped := len(verified.removed):
            text += (
                f"\n\n_({dropped} sentence{'s' if dropped > 1 else ''} of the model's answer "
                f"removed: not supported by a cited source.)_"
            )
        return Draft(text=text, citations=citations, forces=forces)

    # -- sources -----------------------------------------------------------------------------

    def sources(self, query: Query, k: int, draft: Draft | None = None) -> list[Source]:
        """The numbered passages the model may cite: for a force question each force's own
        best passages (grouped by force), otherwise the best passages overall. The
        extractive answer's citations come first within their group."""
        draft = draft or self.extractive.answer(query, k)
        picked = list(draft.citations) if not draft.abstained else []
        if query.about_forces:
            chosen: list[Citation] = []
            judged = judge_forces(self.retriever, query, k=max(k, COMPARE_K))
            for force in sorted(judged):
                own = [c for c in picked if c.force == force]
                chosen += _merge(own, judged[force].evidence, PER_FORCE_SOURCES)
            chosen = chosen[:MAX_FORCE_SOURCES]
        else:
            floor = LOOSENESS * self.extractive.calibration.answer
            evidence = [e for e in self.extractive.candidates(query, k) if e.score >= floor]
            chosen = _merge(picked, evidence, MAX_SOURCES)
        documents = self.retriever.snapshot().documents
        return [
            Source(n=i, citation=c.model_copy(update={"n": i}), document_text=documents[c.doc_id].text)
            for i, c in enumerate(chosen, 1)
        ]

    def messages(self, query: Query, sources: list[Source]):
        """The chat messages for `query` over `sources`, from the prompt files."""
        resolved = query.text if query.follow_up else "(not a follow-up)"
        return answer_prompt().format_messages(
            question=_data(query.question),
            resolved=_data(resolved),
            scope=query.filters.describe() or "none",
            kind="forces" if query.about_forces else "single",
            sources=self.render_sources(sources),
        )

    def render_sources(self, sources: list[Source]) -> str:
        documents = self.retriever.snapshot().documents
        blocks = []
        for s in sources:
            c = s.citation
            meta = documents[c.doc_id].meta
            attributes = {
                "id": s.n,
                "force": c.force or "unknown",
                "document": meta.title or c.source,
                "type": meta.doc_type.value,
                "author": ", ".join(x for x in (meta.author_name, meta.author_role and meta.author_role.value) if x),
                "date": c.date or "undated",
                "page": c.page,
            }
            rendered = " ".join(f'{key}="{_attribute(value)}"' for key, value in attributes.items() if value != "")
            blocks.append(f"<source {rendered}>\n{_data(c.quote)}\n</source>")
        return "\n".join(blocks)


def _merge(picked: list[Citation], evidence: list[Evidence], limit: int) -> list[Citation]:
    """`picked` then the best of `evidence` not overlapping them, `limit` in all."""
    chosen = list(picked)[:limit]
    candidates = [with_continuation(e) for e in evidence if len(e.sentence.text) >= MIN_SENTENCE_CHARS]
    for ev in distinct(candidates, limit * 3):
        if len(chosen) >= limit:
            break
        if any(c.doc_id == ev.doc.doc_id and c.start < ev.sentence.end and ev.sentence.start < c.end for c in chosen):
            continue
        chosen.append(citation(0, ev))
    return chosen


def _declines(reply: str) -> bool:
    """The model said the sources do not answer: the sentinel, or a refusal with no citation."""
    if reply.lstrip("*_ `").upper().startswith(INSUFFICIENT):
        return True
    return not MARKER.search(reply) and bool(_DECLINES.search(reply))


def _noted(draft: Draft, note: str) -> Draft:
    return replace(draft, text=f"{note}\n\n{draft.text}")
