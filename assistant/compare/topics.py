"""Topics to compare forces on, read from a YAML file (evals/topics.yaml is one)."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, Field, ValidationError


class TopicsError(ValueError):
    """A topics file that cannot be read; the message says what to fix."""


class Topic(BaseModel):
    """A topic to compare forces on, with the words documents use for it."""

    topic: str
    synonyms: list[str] = Field(default_factory=list)
    report: str | None = None


def load_topics(path: str | Path) -> list[Topic]:
    """Topics from a YAML file: a list of `{topic, synonyms, report}` (or plain strings).
    Raises TopicsError with a sentence naming the problem."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise TopicsError(f"{path}: cannot read the topics file ({exc.strerror or exc})") from None
    except yaml.YAMLError as exc:
        raise TopicsError(f"{path}: not valid YAML ({str(exc).splitlines()[0]})") from None
    if not isinstance(data, list) or not data:
        raise TopicsError(f"{path}: expected a list of topics, e.g. '- topic: adopt a single definition of stalking'")
    topics = []
    for i, item in enumerate(data, 1):
        try:
            topics.append(Topic(topic=item) if isinstance(item, str) else Topic.model_validate(item))
        except ValidationError as exc:
            problem = exc.errors()[0]
            where = ".".join(str(p) for p in problem["loc"]) or "item"
            raise TopicsError(f"{path}: topic {i}: {where}: {problem['msg']}") from None
    return topics
