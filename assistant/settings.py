"""One settings object for every knob: flags > ASSISTANT_* env vars > defaults.

`Settings` is ingest's settings (`ingest.settings.IngestSettings`: corpus, index, Chroma,
model, chunking, upload limits) plus what answering and serving need.
"""

from __future__ import annotations

from ingest.settings import PROJECT_DIR, IngestSettings, bundled_model_path

__all__ = ["PROJECT_DIR", "Settings", "bundled_model_path"]


class Settings(IngestSettings):
    k: int = 5
    per_force_k: int = 4
    max_question_chars: int = 2000

    llm: str | None = None  # e.g. "ollama:llama3.1" or "openai:gpt-4o-mini"; None = extractive
    llm_base_url: str | None = None
    llm_timeout_s: float = 120.0

    host: str = "127.0.0.1"
    port: int = 7860
    auth: str | None = None  # "user:password" for Gradio login
