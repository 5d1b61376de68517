"""Notes rendered in the reader's language: one template per language for every message code.

The templates are plain data, one TOML file per area in ``present/messages/`` (``budget.toml``,
``compare.toml``, …), each code a table with a ``zh`` and an ``en`` template::

    ["budget.gold_cap"]
    zh = "金牌名额上限{places}人；P50为{p50}人。"
    en = "The Gold cap is {places} places; P50 is {p50}."

A template fills in its note's fields with :meth:`str.format` and three conversions of its own:
``{tier!t}`` writes a vocabulary key (a tier, criterion, service, payer, role …) as the reader's
word, ``{path!p}`` a dotted parameter path as the parameter's reader's name (``label_zh`` /
``label_en``), ``{method!v}`` a parameter's value in words (:mod:`.parameters`); a field holding a
note, or a list of notes or words, is rendered first (a list joined with "、" in Chinese, ", " in
English). A code without a template, or a template naming a field
the note lacks, is an error: no sentence is ever shown half-filled or in the other language.
"""
from __future__ import annotations

import string
import tomllib
from functools import lru_cache
from importlib import resources

from ..notes import Note
from .. import vocabulary as v

LANGS = ("zh", "en")
_LIST_SEP = {"zh": "、", "en": ", "}


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    """Every message code with its templates, read from the package's ``messages/*.toml``;
    a code defined twice or without both languages is refused."""
    codes: dict[str, dict[str, str]] = {}
    folder = resources.files("tiermodel.present") / "messages"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        for code, templates in tomllib.loads(entry.read_text(encoding="utf-8")).items():
            if code in codes:
                raise ValueError(f"message {code!r} defined twice (again in {entry.name})")
            missing = [lang for lang in LANGS if not isinstance(templates.get(lang), str)]
            if missing:
                raise ValueError(f"message {code!r} in {entry.name}: no {' or '.join(missing)} template")
            codes[code] = {lang: templates[lang] for lang in LANGS}
    return codes


def _word_maps():
    """The vocabulary maps a ``!t`` field is looked up in, first match wins."""
    return (v.TIER_TERMS, v.CRITERION_TERMS, v.SERVICE_TYPE_TERMS, v.DELIVERY_SERVICE_TERMS, v.PAYER_TERMS,
            v.ROLE_TERMS, v.POOL_TERMS, v.HOTLINE_KIND_TERMS, v.ANSWER_LEVEL_TERMS, v.COMPLAINT_TERMS,
            v.PROVENANCE_KIND_TERMS, v.ROW_TERMS)


def word(key, lang: str) -> str:
    """The reader's word for a vocabulary key (``"gold"`` → 金牌 / Gold); an unknown key is
    refused, so no English key reaches a Chinese page."""
    for terms in _word_maps():
        if key in terms:
            term = terms[key]
            return term.zh if lang == "zh" else term.en
    raise KeyError(f"no reader's word for {key!r}")


class _Formatter(string.Formatter):
    def __init__(self, lang: str):
        self.lang = lang

    def convert_field(self, value, conversion):
        if conversion == "v":  # a parameter's value as written in the file (a reading, a method) in words
            from .parameters import parameter_value_text

            return parameter_value_text(value, self.lang)
        if conversion == "p":  # a dotted parameter path as the parameter's reader's name
            from .parameters import parameter_name

            if isinstance(value, (list, tuple)):
                return _LIST_SEP[self.lang].join(parameter_name(x, self.lang) for x in value)
            return parameter_name(value, self.lang)
        if conversion == "t":
            if isinstance(value, (list, tuple)):
                return _LIST_SEP[self.lang].join(word(x, self.lang) for x in value)
            return word(value, self.lang)
        return super().convert_field(value, conversion)

    def format_field(self, value, format_spec):
        if isinstance(value, Note):
            return render(value, self.lang)
        if isinstance(value, (list, tuple)) and not format_spec:
            return _LIST_SEP[self.lang].join(render(x, self.lang) if isinstance(x, Note) else str(x)
                                             for x in value)
        return super().format_field(value, format_spec)


def render(message: Note, lang: str = "zh") -> str:
    """``message`` as a sentence in ``lang`` from its code's template."""
    if lang not in LANGS:
        raise ValueError(f"language {lang!r}: use one of {LANGS}")
    templates = catalogue().get(message.code)
    if templates is None:
        raise KeyError(f"no template for message {message.code!r}")
    try:
        return _Formatter(lang).format(templates[lang], **message.fields)
    except KeyError as exc:
        raise KeyError(f"message {message.code!r} ({lang}): no field {exc.args[0]!r}") from None


def say(code: str, lang: str = "zh", **fields) -> str:
    """The sentence of message ``code`` with ``fields`` in ``lang`` (:func:`render`)."""
    return render(Note(code, fields), lang)


def field_names(template: str) -> set[str]:
    """The field names a template fills in (``"{n}名{tier!t}"`` → ``{"n", "tier"}``)."""
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(template) if name}
