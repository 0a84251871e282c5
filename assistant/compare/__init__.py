"""Compare forces: a topic × force status matrix (matrix), the topics it is asked about
(topics), its exports (export) and an optional language-model status check (llm)."""

from assistant.compare.export import cell_map, to_csv, to_markdown
from assistant.compare.matrix import STATUS_LABEL, compare
from assistant.compare.topics import Topic, TopicsError, load_topics

__all__ = ["STATUS_LABEL", "Topic", "TopicsError", "cell_map", "compare", "load_topics", "to_csv", "to_markdown"]
