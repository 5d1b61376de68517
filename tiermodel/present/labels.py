"""Reader's words for a result table: column headers with units, cell words, table names.

Everything comes from the one label map, :mod:`tiermodel.vocabulary`; this module only picks
the language (``lang="zh"`` or ``"en"``) and the amount unit (``amount_unit="wan"`` 万元 or
``"yuan"`` 元). No formulas, no file reading.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import OptionError
import re

from ..vocabulary import (AMOUNT_UNITS, COLUMN_KINDS, COLUMN_TERMS, CRITERIA_COLUMNS, CRITERION_TERMS,
                          FLAG_TERMS, POOL_TERMS, REASON_TERMS, TABLE_PREFIXES, TABLE_TERMS, TEXT_TERMS,
                          VALUE_TERMS, Label,
                          TableLabel)

from .parameters import parameter_name, parameter_value_text  # noqa: F401  (their home; named here too)

LANGS = ("zh", "en")
#: Suffix of a column holding an amount in 元 (``budget_cny``, ``gold_cny``).
AMOUNT_SUFFIX = "_cny"
_CRITERIA_BY_EN = {term.en: term for term in CRITERION_TERMS.values()}


def check_lang(lang: str) -> str:
    """``lang`` if it is ``"zh"`` or ``"en"``; else :class:`OptionError` (option ``--lang``)."""
    if lang not in LANGS:
        raise OptionError("--lang", f"{lang!r} is not an output language; use zh or en")
    return lang


def check_amount_unit(amount_unit: str) -> str:
    """``amount_unit`` if it is ``"wan"`` (万元) or ``"yuan"`` (元); else :class:`OptionError`."""
    if amount_unit not in AMOUNT_UNITS:
        raise OptionError("--amount-unit", f"{amount_unit!r} is not an amount unit; use wan (万元) or yuan (元)")
    return amount_unit


#: The unit amounts are shown in when ``--display-unit`` is not given: a committee reads 万元,
#: an English reader 元 (CNY).
DEFAULT_DISPLAY_UNIT = {"zh": "wan", "en": "yuan"}


def display_unit(unit: str | None, lang: str) -> str:
    """The unit pages, sheets and console show amounts in: ``unit`` (``"wan"`` or ``"yuan"``,
    checked) when given, else :data:`DEFAULT_DISPLAY_UNIT` of ``lang``. Independent of the
    unit the input file holds (``--amount-unit``)."""
    if not unit:
        check_lang(lang)
        return DEFAULT_DISPLAY_UNIT[lang]
    if unit not in AMOUNT_UNITS:
        raise OptionError("--display-unit", f"{unit!r} is not an amount unit; use wan (万元) or yuan (元)")
    return unit


#: Per-unit and per-customer costs: shown in 元 whatever the display unit, as 万元 would round
#: them away (a unit cost of 50 元 is 0.005 万元); their header names 元.
YUAN_COLUMNS = frozenset({"unit_cost", "unit_cost_base", "cost_per_customer"})


def column_unit(key: str, unit: str) -> str:
    """The unit column ``key`` shows its amounts in: 元 for :data:`YUAN_COLUMNS` (also with the
    ``_cny`` suffix), else the display ``unit``."""
    stem = key[: -len(AMOUNT_SUFFIX)] if isinstance(key, str) and key.endswith(AMOUNT_SUFFIX) else key
    return "yuan" if stem in YUAN_COLUMNS else unit


def pick(term: Label, lang: str) -> str:
    """The Chinese or English word of a label."""
    return term.zh if lang == "zh" else term.en


def text(key: str, lang: str, **fields) -> str:
    """A sentence of the report pages (:data:`~tiermodel.vocabulary.TEXT_TERMS`), filled in."""
    return pick(TEXT_TERMS[key], lang).format(**fields)


def column_term(key: str, kinds: dict | None = None) -> Label:
    """The label of column ``key``, with the kind it has in this table.

    A key ending in ``_cny`` is an amount in 元 named by its stem (``gold_cny`` → 金牌);
    ``kinds`` (column → kind) overrides the glossary for one table. An unknown key is its
    own label, of kind ``text`` (the caller may refine the kind from the data).
    """
    term = COLUMN_TERMS.get(key)
    if term is None and isinstance(key, str) and key.endswith(AMOUNT_SUFFIX):
        stem = COLUMN_TERMS.get(key[: -len(AMOUNT_SUFFIX)])
        if stem is not None:
            unit = stem.unit if stem.kind == "amount" else "元/年 CNY/yr"
            term = Label(stem.zh, stem.en, unit, "amount", stem.decimals if stem.kind == "amount" else None)
    if term is None:
        term = Label(str(key), str(key))
    if kinds and key in kinds:
        kind = kinds[key]
        if kind not in COLUMN_KINDS:
            raise ValueError(f"column {key!r}: unknown kind {kind!r}; use one of {COLUMN_KINDS}")
        unit = term.unit if kind == term.kind else ("元/年 CNY/yr" if kind == "amount" else "")
        term = term._replace(kind=kind, unit=unit, decimals=None if kind != term.kind else term.decimals)
    return term


def unit_text(term: Label, lang: str, amount_unit: str = "wan") -> str:
    """The unit a header shows: 万元 or 元 for amounts (with "/年" where the label has it),
    the label's own unit for counts and numbers, nothing for shares (the cells say %)."""
    if term.kind == "amount":
        _, zh_unit, en_unit = AMOUNT_UNITS[amount_unit]
        per_year = "/年" in term.unit or "/yr" in term.unit
        return (zh_unit + "/年" if per_year else zh_unit) if lang == "zh" else \
            (en_unit + "/yr" if per_year else en_unit)
    if term.kind in ("share", "flag", "text", "date", "year") or not term.unit:
        return ""
    zh_unit, _, en_unit = term.unit.partition(" ")
    return zh_unit if lang == "zh" else (en_unit or zh_unit)


def header(key: str, lang: str = "zh", amount_unit: str = "wan", kinds: dict | None = None) -> str:
    """Column header in the output language, with its unit: ``"长险标准保费（万元/年）"``,
    ``"long-term standard premium (10,000 CNY/yr)"``."""
    return term_header(column_term(key, kinds), lang, amount_unit)


def term_header(term: Label, lang: str = "zh", amount_unit: str = "wan") -> str:
    """The header of a column label (see :func:`header`)."""
    word, unit = pick(term, lang), unit_text(term, lang, amount_unit)
    if not unit:
        return word
    return f"{word}（{unit}）" if lang == "zh" else f"{word} ({unit})"


def table_term(name: str) -> TableLabel:
    """The label of a result table by its ``.tables()`` key (a leading "NN " is ignored; a
    page's prefix such as "yoy " goes before the table's own name)."""
    key = name.split(" ", 1)[1] if name[:2].isdigit() and " " in name else name
    term = TABLE_TERMS.get(name) or TABLE_TERMS.get(key)
    if term:
        return term
    for prefix, words in TABLE_PREFIXES.items():
        inner = TABLE_TERMS.get(key[len(prefix):]) if key.startswith(prefix) else None
        if inner:
            return inner._replace(zh=f"{words.zh} {inner.zh}", en=f"{inner.en} ({words.en})",
                                  about_zh=f"{words.zh}：{inner.about_zh}",
                                  about_en=f"{inner.about_en} ({words.en})")
    return TableLabel(key, key)


#: Columns whose cells are dotted parameter paths: a reader sees the parameter's name; the path
#: itself stays in a column ``parameter_path`` of the workbook and CSV only.
PARAMETER_COLUMNS = ("parameter", "path")


def translate_values(values: pd.Series, key: str, lang: str) -> pd.Series:
    """Cell words of column ``key`` in the output language: tiers, pools, services, roles,
    payers, 第11条 criteria ("health premium + long-term premium"), 是/否.

    Values without a label are kept as they are (customer ids, names, branches). A cell holding
    an analysis's :class:`~tiermodel.notes.Note` (a reason, a note) is rendered from its template
    in ``lang`` (:func:`tiermodel.present.messages.render`).
    """
    flags_or_notes = _flags_or_notes(values, lang)
    if flags_or_notes is not None:
        return flags_or_notes
    words = _text_columns().get(key)
    if words is not None:
        return _map_text(values, lambda v: words(v, lang) if isinstance(v, str) else v)
    terms = VALUE_TERMS.get(key)
    if not terms:
        return values
    return _map_text(values, lambda v: pick(terms[v], lang) if isinstance(v, str) and v in terms else v)


def _text_columns() -> dict:
    """Columns whose cells are sentences or lists of the package's words, and the function that
    reads each cell in ``lang``: 第11条 criteria, a tier list's reason (or a complaint's), 第34条
    consequences, an analysis's note (as the console prints it), a parameter path."""
    from ..vocabulary import translate_text

    return {**{c: criteria_text for c in CRITERIA_COLUMNS}, "reason": reason_text, "action": actions_text,
            "actions": actions_text, "note": translate_text, **{c: parameter_name for c in PARAMETER_COLUMNS}}


def actions_text(value: str, lang: str) -> str:
    """第34条 consequences joined by "; " ("warning; public criticism") in ``lang``
    ("警告；通报批评"); text that is no consequence is kept."""
    from ..vocabulary import COMPLAINT_TERMS

    parts = value.split("; ")
    if not value or not all(p in COMPLAINT_TERMS for p in parts):
        return value
    return ("；" if lang == "zh" else "; ").join(pick(COMPLAINT_TERMS[p], lang) for p in parts)


def _flags_or_notes(values: pd.Series, lang: str) -> pd.Series | None:
    """Flag cells as 是/否 (yes/no), or cells holding :class:`~tiermodel.notes.Note` values as
    their sentences in ``lang``; None for any other column."""
    if pd.api.types.is_bool_dtype(values):
        words = np.where(values.to_numpy(dtype=bool), pick(FLAG_TERMS[True], lang), pick(FLAG_TERMS[False], lang))
        return pd.Series(words.astype(object), index=values.index)
    if values.dtype != object or pd.api.types.infer_dtype(values, skipna=True) != "mixed":
        return None  # text, numbers, categories: no note among them
    from ..notes import Note
    from .messages import render

    if not any(isinstance(v, Note) for v in values):
        return None
    return values.map(lambda v: render(v, lang) if isinstance(v, Note) else v).astype(object)


def criteria_text(value: str, lang: str) -> str:
    """第11条 criteria named in English by ``tiers.criteria_label`` ("long-term premium + health
    premium") in the output language ("长险标准保费、健康险保费"); unknown text is kept."""
    parts = [_CRITERIA_BY_EN.get(p.strip()) for p in value.split(" + ")]
    if any(p is None for p in parts):
        words = {"none": ("无", "none"), "total": ("合计", "total")}.get(value)  # no criterion; a total row
        return value if words is None else words[0 if lang == "zh" else 1]
    return (" + " if lang == "en" else "、").join(pick(p, lang) for p in parts)


def _template_body(template: str, named: bool = True) -> str:
    fields = {"places": r"\d+", "pool": r"existing|new", "criteria": r".+?"}
    if "{outside}" in template:  # the optional clause, itself a template
        fields["outside"] = "(?:" + _template_body(REASON_TERMS["outside"].en, named=False) + ")?"
    parts = re.split(r"\{(\w+)\}", template)
    return "".join((f"(?P<{p}>{fields[p]})" if named else f"(?:{fields[p]})") if i % 2 else re.escape(p)
                   for i, p in enumerate(parts))


def _template_regex(template: str) -> re.Pattern:
    return re.compile(_template_body(template) + "$")


_REASON_PATTERNS = {k: _template_regex(t.en) for k, t in REASON_TERMS.items()}


def reason_text(value: str, lang: str) -> str:
    """A tier list's reason (written by ``tiers`` from :data:`~tiermodel.vocabulary.REASON_TERMS`)
    in the output language; a text that matches no template is kept as it is."""
    if lang == "en":
        return value
    for key in ("gold", "silver", "regular_beyond", "regular_none"):
        m = _REASON_PATTERNS[key].match(value)
        if m:
            return REASON_TERMS[key].zh.format(**_reason_fields(m.groupdict(), lang))
    return value


def _reason_fields(fields: dict, lang: str) -> dict:
    out = dict(fields)
    if "pool" in out:
        out["pool"] = pick(POOL_TERMS[out["pool"]], lang)
    if "criteria" in out:
        out["criteria"] = criteria_text(out["criteria"], lang)
    if out.get("outside"):
        m = _REASON_PATTERNS["outside"].match(out["outside"])
        out["outside"] = REASON_TERMS["outside"].zh.format(**_reason_fields(m.groupdict(), lang)) if m \
            else out["outside"]
    return out


def _map_text(values: pd.Series, fn) -> pd.Series:
    """``fn`` applied once per distinct value (a million rows hold a handful of tier words)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        cats = values.cat.categories
        new = [fn(c) for c in cats]
        if len(set(new)) == len(new):
            return values.cat.rename_categories(new).astype(object)
        values = values.astype(object)
    uniques = pd.unique(values.dropna())
    mapping = {v: fn(v) for v in uniques}
    return values.map(mapping).where(values.notna(), values).astype(object)
