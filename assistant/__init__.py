"""The assistant over police response documents: questions in, answers with verified
citations out. `Assistant` (core.py) is the entry point every surface uses:

    answer/      understand -> retrieve -> evidence -> status -> extractive | generative -> verify
    compare/     the topic x force status matrix and its exports
    evaluation/  question sets, metrics, reports, floors
    filters.py   one parser for the filters users give; settings.py one settings object
    cli/, web/   the surfaces: thin, over `Assistant`

    >>> from assistant import Assistant, Conversation
    >>> answer = Assistant().ask("Which forces audited breach recording?", Conversation())
"""

from assistant.core import USER_ERRORS, Assistant, Conversation
from assistant.filters import FilterError, parse_filters
from assistant.settings import Settings
from assistant.types import Answer, Citation, CompareCell, Comparison, Filters, Hit, Reading, Status

__all__ = [
    "USER_ERRORS",
    "Answer",
    "Assistant",
    "Citation",
    "CompareCell",
    "Comparison",
    "Conversation",
    "FilterError",
    "Filters",
    "Hit",
    "Reading",
    "Settings",
    "Status",
    "parse_filters",
]
