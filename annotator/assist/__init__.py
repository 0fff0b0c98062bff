"""Assisted tagging: suggesters that propose annotations, apart from every layer.

Qt-free, like the rest of the core. Each suggester follows one protocol
(:class:`~annotator.assist.suggestion.Suggester`: ``suggest(document, tagset,
evidence)`` yields :class:`~annotator.assist.suggestion.Suggestion` objects);
:mod:`annotator.assist.run` runs them document by document and turns accepted
suggestions into one undoable command. See the README's "Suggestions" section.
"""

from annotator.assist.run import (
    SUGGESTER_NAMES,
    accept_command,
    default_suggesters,
    suggest_document,
    suggest_project,
)
from annotator.assist.suggestion import SuggestedLink, Suggester, Suggestion

__all__ = [
    "SUGGESTER_NAMES",
    "SuggestedLink",
    "Suggester",
    "Suggestion",
    "accept_command",
    "default_suggesters",
    "suggest_document",
    "suggest_project",
]
