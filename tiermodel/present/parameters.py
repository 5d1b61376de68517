"""Parameters as a reader sees them: a dotted path by its reader's name (``label_zh`` /
``label_en`` of ``params/policy-2003.yaml``), a value as written in the file in words.

Used by the reader tables (:mod:`.labels`) and by the note templates (:mod:`.messages`,
``{path!p}`` and ``{value!v}``); it imports neither, so neither depends on the other through it.
"""
from __future__ import annotations

from ..vocabulary import FLAG_TERMS, PARAMETER_VALUE_TERMS


def _pick(term, lang: str) -> str:
    return term.zh if lang == "zh" else term.en


def parameter_name(path: str, lang: str = "zh") -> str:
    """The reader's name of the parameter at dotted ``path`` (``label_zh``/``label_en`` of
    ``params/policy-2003.yaml``); a path below a leaf takes the leaf's name and the field's
    (``conversion_tables.premium.breaks`` → "附表1 保费规模折算表·分档边界"). Text that is no
    parameter path is returned unchanged."""
    from ..policy import parameter_label, parameter_leaf

    leaf = parameter_leaf(str(path))
    if leaf is None:
        return str(path)
    name = parameter_label(leaf, lang)
    if leaf == path:
        return name
    rest = str(path)[len(leaf) + 1:]
    return f"{name}{'·' if lang == 'zh' else ': '}{_field_word(rest, lang)}"


def parameter_value_text(value, lang: str = "zh") -> str:
    """A parameter's value as short, exact text in the reader's language: numbers with
    thousands separators, words of the file (readings, methods) in words, a table value
    field by field, a dotted path to another value by that value's name."""
    if isinstance(value, (dict, list, tuple)):
        return _compound_value_text(value, lang)
    if isinstance(value, bool):
        return _pick(FLAG_TERMS[value], lang)
    if isinstance(value, float) and value.is_integer() and abs(value) >= 1000:
        return f"{value:,.0f}"
    if isinstance(value, (int, float)):
        return f"{value:,}" if abs(value) >= 1000 else f"{value:g}"
    if value is None:
        return "—"
    word = PARAMETER_VALUE_TERMS.get(str(value))
    if word is not None:
        return _pick(word, lang)
    return parameter_name(str(value), lang) if "." in str(value) else str(value)


def _compound_value_text(value, lang: str) -> str:
    """A table value field by field ("单价（元）：500；承担方：分公司"), a list item by item; a
    catalogue entry's own label and article are left to the name and article columns."""
    if isinstance(value, dict):
        sep, colon = ("；", "：") if lang == "zh" else ("; ", ": ")
        return sep.join(f"{_field_word(k, lang)}{colon}{parameter_value_text(v, lang)}"
                        for k, v in value.items() if k not in ("label", "article"))
    return ("、" if lang == "zh" else ", ").join(parameter_value_text(v, lang) for v in value)


def _field_word(key: str, lang: str) -> str:
    term = PARAMETER_VALUE_TERMS.get(str(key))
    return _pick(term, lang) if term is not None else str(key)
