"""A finding of an analysis as data: a message code and its fields.

Analyses return :class:`Note` values, never sentences; the present layer renders each one in
the reader's language from one template per language (:mod:`tiermodel.present.messages`), so
a rewording of one language never breaks the other.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping


@dataclass(frozen=True)
class Note:
    """One finding: ``code`` names its template (e.g. ``"budget.gold_cap"``), ``fields`` the
    values the template fills in. A field may hold a number, a date, a vocabulary key (a tier,
    a criterion, a service), another :class:`Note`, or a list of them."""

    code: str
    fields: Mapping[str, Any] = field(default_factory=dict)

    def __hash__(self) -> int:  # hashable, so a column of a million reasons is a categorical of a few notes
        return hash((self.code, tuple(sorted((k, _hashable(v)) for k, v in self.fields.items()))))

    def __str__(self) -> str:  # a Note printed without the present layer names its code and fields
        inner = ", ".join(f"{k}={v!r}" for k, v in self.fields.items())
        return f"{self.code}({inner})"


def _hashable(value):
    if isinstance(value, (list, tuple)):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    return value


def note(code: str, **fields) -> Note:
    """``Note(code, fields)``: ``note("budget.gold_cap", places=40, p50=38)``."""
    return Note(code, fields)
