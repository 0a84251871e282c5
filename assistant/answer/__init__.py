"""Answering, in the order a question flows through it: understand (a standalone query and
its filters) -> retrieve (hybrid, over a snapshot of the index) -> evidence (sentences scored
against the question) -> status (what a force did, for force questions) -> extractive or
generative (the answer) -> verify (every citation checked against its document)."""

from assistant.answer.draft import Draft
from assistant.answer.extractive import ExtractiveAnswerer
from assistant.answer.generative import GenerativeAnswerer
from assistant.answer.retrieve import Retriever
from assistant.answer.understand import Intent, Query, understand

__all__ = ["Draft", "ExtractiveAnswerer", "GenerativeAnswerer", "Intent", "Query", "Retriever", "understand"]
