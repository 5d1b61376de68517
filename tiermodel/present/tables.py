"""Reader tables: a result's plain table turned into what a committee reads.

:func:`reader_table` takes one of the tables of a result's ``.tables()`` (English snake_case
columns, amounts in 元, shares as fractions) and returns a :class:`ReaderTable`: headers in
Chinese or English with units, amounts in 万元 or 元, cell words translated, the index turned
into columns, and for every column its kind and display format. The workbook writer
(:mod:`.workbook`) and the HTML tables (:mod:`.html`) format from the same
:class:`Column` specs, so a number looks the same in both.

Numbers stay numbers: an amount in 万元 is the amount in 元 / 10,000 exactly, a share stays a
fraction (the format shows it as %). No formulas, no file reading.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..vocabulary import AMOUNT_UNITS
from .labels import (PARAMETER_COLUMNS, check_amount_unit, check_lang, column_term, column_unit,
                     parameter_name, parameter_value_text, pick, table_term, term_header, text,
                     translate_values)


@dataclass(frozen=True)
class Column:
    """One column of a reader table: its key, header, kind and decimals shown."""

    key: str
    header: str
    kind: str  # one of vocabulary.COLUMN_KINDS
    decimals: int | None = None

    @property
    def numeric(self) -> bool:
        return self.kind in ("amount", "share", "count", "year", "index", "number")

    def excel_format(self) -> str | None:
        """Excel number format: ``#,##0.00`` for 万元, ``0.0%`` for shares, ``yyyy-mm-dd`` …"""
        if self.kind == "date":
            return "yyyy-mm-dd"
        if not self.numeric:
            return None
        d = self.decimals or 0
        frac = "." + "0" * d if d else ""
        if self.kind == "share":
            return f"0{frac}%"
        if self.kind == "year":
            return "0"
        if self.kind == "index":
            return f"0{frac}"
        return f"#,##0{frac}"

    def python_format(self) -> str | None:
        """The same format for Python's ``str.format`` (HTML, text summaries)."""
        if self.kind == "date":
            return "{:%Y-%m-%d}"
        if not self.numeric:
            return None
        d = self.decimals or 0
        if self.kind == "share":
            return f"{{:.{d}%}}"
        if self.kind == "year":
            return "{:.0f}"
        if self.kind == "index":
            return f"{{:.{d}f}}"
        return f"{{:,.{d}f}}"

    def show(self, value) -> str:
        """One cell as text; blank for a missing or non-finite number."""
        if value is None or (isinstance(value, float) and not np.isfinite(value)) or value is pd.NaT:
            return ""
        try:
            if pd.isna(value):
                return ""
        except (TypeError, ValueError):
            pass
        fmt = self.python_format()
        if fmt is None:
            return str(value)
        try:
            return fmt.format(value)
        except (TypeError, ValueError):
            return str(value)


@dataclass
class ReaderTable:
    """A table as a reader sees it.

    Attributes
    ----------
    name : str
        The result table's key (e.g. ``"01 tier counts by branch"``).
    title, about : str
        Sheet/page name and one line on what it holds, in the output language.
    rows_word : str
        What a row is ("家机构" / "branches"), for "showing 15 of 40 branches".
    frame : DataFrame
        Reader headers, a default 0..n-1 index that is never shown; amounts in the chosen unit.
    columns : list of Column
        One spec per column of ``frame``, in order.
    """

    name: str
    title: str
    about: str
    rows_word: str
    frame: pd.DataFrame
    columns: list[Column]
    lang: str = "zh"
    amount_unit: str = "wan"
    page: str = ""
    notes: list[str] = field(default_factory=list)
    #: Positions of total rows (first column "total"): always shown, not counted as rows.
    total_rows: list[int] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.frame)

    @property
    def body_rows(self) -> int:
        """Rows that are not totals (the "40" of "showing 15 of 40 branches")."""
        return len(self.frame) - len(self.total_rows)

    def head(self, max_rows: int | None) -> pd.DataFrame:
        """The first ``max_rows`` rows that are not totals, followed by the total rows."""
        if max_rows is None or max_rows >= self.body_rows:
            return self.frame
        body = self.frame.drop(index=self.total_rows)
        return pd.concat([body.head(max_rows), self.frame.iloc[self.total_rows]])

    def column(self, key: str) -> Column:
        """The spec of the column whose key is ``key``."""
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(key)

    def showing(self, shown: int) -> str:
        """"显示 15 / 40 家机构（全部见工作簿）" or "" when every row is shown.

        ``shown`` counts the rows shown that are not totals."""
        if shown >= self.body_rows:
            return ""
        return text("showing", self.lang, shown=f"{shown:,}", total=f"{self.body_rows:,}", rows=self.rows_word)

    def decimals_note(self) -> str:
        """Which index columns are rounded to how many decimals, e.g. "客户价值指标保留4位小数"."""
        notes = [text("decimals", self.lang, column=c.header, decimals=c.decimals)
                 for c in self.columns if c.kind == "index" and c.key.endswith("value_index")]
        return ("；" if self.lang == "zh" else "; ").join(notes)

    def _shown(self, keys: list[str] | None) -> list[Column]:
        """The columns ``keys`` in the table's order, or every column a reader sees (not the
        workbook's parameter paths)."""
        return [c for c in self.columns if (c.key in keys if keys else c.key not in WORKBOOK_ONLY)]

    def text_summary(self, max_rows: int | None = None, keys: list[str] | None = None) -> str:
        """A compact, stable text rendering (for nbval-checked cells and the terminal):
        formatted cells, no index; only the columns ``keys`` where given."""
        shown = self.head(max_rows)
        shown_columns = self._shown(keys)
        cells = pd.DataFrame({c.header: [c.show(v) for v in shown.iloc[:, i]]
                              for i, c in enumerate(self.columns) if c in shown_columns})
        out = cells.to_string(index=False) if len(cells) else "(" + ", ".join(cells.columns) + ")"
        more = self.showing(len(shown) - len(self.total_rows))
        return out + ("\n" + more if more else "")


    def lines(self, keys: list[str] | None = None, max_rows: int | None = None, sep: str = " · ",
              headers: bool = True, per_line: int = 1) -> str:
        """Key numbers as short lines, one per row: "A: 金牌（户） 29 · 银牌（户） 79".

        A compact, stable text for nbval-checked cells that is not a second table: the row's
        first column (or ``keys[0]``) names it, the other ``keys`` follow with their headers;
        with ``headers=False`` the headers are said once, on the first line, and the rows
        give values only ("1 · 已承保客户 · C005919 · 0.7900"), ``per_line`` rows to a line
        (joined by " | ").
        """
        cols = [self.column(k) for k in keys] if keys else self._shown(None)
        frame = self.head(max_rows)
        idx = [self.columns.index(c) for c in cols]
        out = [] if headers else [sep.join(c.header for c in cols)]
        for row in frame.itertuples(index=False):
            if headers:
                first = cols[0].show(row[idx[0]])
                rest = sep.join(f"{c.header} {c.show(row[i])}" for c, i in zip(cols[1:], idx[1:]))
                out.append(f"{first}: {rest}" if rest else first)
            else:
                out.append(sep.join(c.show(row[i]) for c, i in zip(cols, idx)))
        if per_line > 1:
            head, body = (out[:1], out[1:]) if not headers else ([], out)
            out = head + [" | ".join(body[i:i + per_line]) for i in range(0, len(body), per_line)]
        more = self.showing(len(frame) - len(self.total_rows))
        return "\n".join(out + ([more] if more else []))


def _kind_from_data(term_kind: str, values: pd.Series) -> str:
    """Refine a declared kind with the data's type (a flag column of counts is a count)."""
    if pd.api.types.is_bool_dtype(values):
        return "flag"
    if pd.api.types.is_datetime64_any_dtype(values):
        return "date"
    numeric = pd.api.types.is_numeric_dtype(values)
    if term_kind == "flag" and numeric:
        return "count"
    if term_kind in ("text", "flag") and numeric:
        return "count" if pd.api.types.is_integer_dtype(values) else "number"
    if term_kind not in ("text", "flag", "date") and not numeric:
        return "text"  # a numeric label over text cells (e.g. stringified values): keep the text
    return term_kind


def _default_decimals(kind: str, amount_unit: str) -> int | None:
    return {"amount": 2 if amount_unit == "wan" else 0, "share": 1, "count": 0, "year": 0,
            "index": 4, "number": 2}.get(kind)


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    """Index turned into columns: a named index keeps its name, an unnamed index of labels
    becomes the column ``row``; row numbers (a range or an unnamed integer index) are dropped."""
    numbers = isinstance(df.index, pd.RangeIndex) or (
        df.index.nlevels == 1 and df.index.name is None and pd.api.types.is_integer_dtype(df.index))
    if numbers:
        out = df.reset_index(drop=True)
    elif all(n is None for n in df.index.names) and df.index.nlevels == 1:
        out = df.rename_axis("row").reset_index()
    else:
        out = df.reset_index()
    out.columns = [str(c) for c in out.columns]
    out.columns.name = None
    return out


def reader_table(df: pd.DataFrame, name: str = "", lang: str = "zh", amount_unit: str = "wan",
                 kinds: dict | None = None, page: str = "") -> ReaderTable:
    """One result table in the reader's language and units.

    Parameters
    ----------
    df : DataFrame
        A table of a result's ``.tables()``: English snake_case columns, amounts in 元
        [CNY], shares as fractions [0–1]. A named index becomes the first column(s); an
        unnamed one (row numbers) is dropped.
    name : str
        Its ``.tables()`` key, optionally prefixed "NN " (names the sheet and the rows).
    lang : {"zh", "en"}
        Output language of headers and cell words.
    amount_unit : {"wan", "yuan"}
        Amounts shown in 万元 (元 / 10,000, two decimals) or 元 (no decimals).
    kinds : dict, optional
        Column → kind where this table differs from the glossary (see
        :data:`tiermodel.vocabulary.COLUMN_KINDS`).
    page : str
        The report page the table belongs to (workbook grouping).

    Returns
    -------
    ReaderTable
    """
    check_lang(lang)
    check_amount_unit(amount_unit)
    term_t = table_term(name) if name else None
    kinds = {**(term_t.kinds or {}), **(kinds or {})} if term_t else (kinds or {})
    plain = _with_parameter_paths(_plain(df), lang)
    data, columns, seen = {}, [], set()
    for key in plain.columns:
        column, values = _reader_column(key, plain[key], kinds, lang, amount_unit)
        if column.header in seen:  # two keys with one word: numbered, never the English key
            n = 2
            while _numbered(column.header, n, lang) in seen:
                n += 1
            column = Column(key, _numbered(column.header, n, lang), column.kind, column.decimals)
        seen.add(column.header)
        data[column.header] = values
        columns.append(column)
    frame = pd.DataFrame(data, index=pd.RangeIndex(len(plain)))
    title, about, rows_word = _table_words(term_t, name, lang)
    return ReaderTable(name, title, about, rows_word, frame, columns, lang, amount_unit, page,
                       total_rows=_total_rows(plain))


def _numbered(header: str, n: int, lang: str) -> str:
    """The ``n``-th column of a table under one header: "说明（2）", "note (2)"."""
    return f"{header}（{n}）" if lang == "zh" else f"{header} ({n})"


def _reader_column(key: str, values: pd.Series, kinds: dict, lang: str, amount_unit: str) -> tuple[Column, pd.Series]:
    """One column of a reader table: its header, kind and decimals, and its values in the
    reader's unit (amounts) or words (text and flags)."""
    term = column_term(key, kinds)
    amount_unit = column_unit(key, amount_unit)
    kind = _kind_from_data(term.kind, values)
    if kind != term.kind:
        term = term._replace(kind=kind)
    # an amount's own decimals are for 万元 (a unit cost of 50 元 is 0.0050 万元); 元 are whole
    decimals = term.decimals if term.decimals is not None and (kind != "amount" or amount_unit == "wan") \
        else _default_decimals(kind, amount_unit)
    if _holds_notes(values):  # an analysis's notes (code and fields): each in the reader's language
        return Column(key, term_header(term, lang, amount_unit), "text", None), _rendered(values, lang)
    if kind == "amount":
        divisor = AMOUNT_UNITS[amount_unit][0]
        values = values.astype(float) / divisor if divisor != 1 else values.astype(float)
    elif kind in ("text", "flag"):
        values = translate_values(values, key, lang)
    return Column(key, term_header(term, lang, amount_unit), kind, decimals), values


def _holds_notes(values: pd.Series) -> bool:
    """A column of :class:`~tiermodel.notes.Note` cells (blank cells aside)."""
    from ..notes import Note

    if values.dtype != object:
        return False
    filled = values.dropna()
    return bool(len(filled)) and isinstance(filled.iloc[0], Note)


def _rendered(values: pd.Series, lang: str) -> pd.Series:
    """Each note of ``values`` rendered once in ``lang`` (:func:`tiermodel.present.messages.render`);
    a blank cell stays blank, a text cell as it is."""
    from ..notes import Note
    from .messages import render

    done: dict[int, str] = {}

    def one(v):
        if not isinstance(v, Note):
            return "" if v is None or (isinstance(v, float) and v != v) else v
        key = id(v)
        if key not in done:
            done[key] = render(v, lang)
        return done[key]

    return pd.Series([one(v) for v in values], index=values.index, dtype=object)


def _total_rows(plain: pd.DataFrame) -> list[int]:
    """Positions of the rows whose first cell is "total"."""
    first = plain.iloc[:, 0] if len(plain.columns) else pd.Series(dtype=object)
    if pd.api.types.is_numeric_dtype(first):
        return []
    return np.flatnonzero(first.astype(object).to_numpy() == "total").tolist()


def _table_words(term_t, name: str, lang: str) -> tuple[str, str, str]:
    """A table's title, the line about it and the word for its rows, in ``lang``."""
    if term_t is None:
        return name, "", "行" if lang == "zh" else "rows"
    if lang == "zh":
        return pick(term_t, lang), term_t.about_zh, term_t.rows_zh
    return pick(term_t, lang), term_t.about_en, term_t.rows_en


#: Columns a page, the terminal and a chart never show: the workbook and CSV keep them.
WORKBOOK_ONLY = ("parameter_path",)
#: Columns of a parameter table holding values as written in the policy file (shown in words).
PARAMETER_VALUE_COLUMNS = ("value", "base_value", "scenario_value")


def _with_parameter_paths(plain: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """A table of parameters as a reader sees it: the column of dotted paths will show each
    parameter's reader's name, the paths themselves kept in a last column ``parameter_path``
    (workbook and CSV; pages hide it); values written as in the file in words; of the reasons
    ``reason_zh``/``reason_en`` the one in ``lang``, as ``assumption_reason``."""
    key = _path_column(plain)
    if key is None:
        return plain
    out = plain.assign(parameter_path=plain[key].to_numpy())
    if "kind" in out.columns:  # "scenario:weights-equal" → "scenario" (the name is in the reason)
        out["kind"] = [str(v).split(":")[0] if isinstance(v, str) else v for v in out["kind"]]
    for col in PARAMETER_VALUE_COLUMNS:
        if col in out.columns and out[col].dtype == object:
            out[col] = [parameter_value_text(v, lang) for v in out[col]]
    if "reason_zh" in out.columns and "reason_en" in out.columns:
        reasons = out["reason_zh" if lang == "zh" else "reason_en"].to_numpy()
        out = out.drop(columns=["reason_zh", "reason_en"])
        out.insert(len(out.columns) - 1, "assumption_reason", reasons)
    return out


def _path_column(plain: pd.DataFrame) -> str | None:
    """The column of a table holding dotted parameter paths, if any (and not yet kept aside)."""
    from ..policy import parameter_leaf

    if "parameter_path" in plain.columns:
        return None
    return next((k for k in PARAMETER_COLUMNS if k in plain.columns
                 and any(isinstance(v, str) and parameter_leaf(v) is not None for v in plain[k])), None)


def reader_tables(tables: dict[str, pd.DataFrame], lang: str = "zh", amount_unit: str = "wan",
                  prefix: str = "", page: str = "") -> list[ReaderTable]:
    """Every table of a result's ``.tables()`` as reader tables, in order.

    ``prefix`` (e.g. ``"01"``) is put before each key, as the report's workbook names them.
    """
    return [reader_table(t, f"{prefix} {k}" if prefix else k, lang, amount_unit, page=page)
            for k, t in tables.items()]


def cut_lines_table(cuts: dict, lang: str = "zh") -> ReaderTable:
    """The cut lines of :func:`tiermodel.tiers.cut_lines` as a labelled reader table: one row per
    list (Gold, existing customers; Gold, this year's new customers; Silver) with the value index
    of the last customer admitted; blank where the list or pool is empty.

    Parameters
    ----------
    cuts : dict
        ``{"gold_existing": …, "gold_new": …, "silver": …}`` [value index, 0–1].
    lang : {"zh", "en"}
    """
    keys = [("gold_existing", "gold", "existing"), ("gold_new", "gold", "new"), ("silver", "silver", "")]
    df = pd.DataFrame({"tier": [tier for _, tier, _ in keys],
                       "pool": [pool for _, _, pool in keys],
                       "value_index": [float(cuts.get(key, float("nan"))) for key, _, _ in keys]})
    return reader_table(df, "cut lines", lang, "yuan")


def assumptions_frame(rows: list[dict], lang: str = "zh") -> pd.DataFrame:
    """The assumptions register as a result table (for a workbook sheet through
    :func:`reader_table`): ``parameter`` (the dotted path; shown by its name, the path kept in
    参数路径), ``value`` in words, ``kind``, ``article`` and ``assumption_reason`` in ``lang``.

    Parameters
    ----------
    rows : list of dict
        :func:`tiermodel.policy.describe` rows; rows of kind ``sourced`` are left out.
    lang : {"zh", "en"}
    """
    kept = [r for r in rows if r["kind"] != "sourced"]
    return pd.DataFrame({"parameter": [r["path"] for r in kept],
                         "value": [parameter_value_text(r["value"], lang) for r in kept],
                         "kind": [str(r["kind"]).split(":")[0] for r in kept],
                         "article": [_article(r) for r in kept],
                         "assumption_reason": [_reason(r, lang) for r in kept]},
                        columns=["parameter", "value", "kind", "article", "assumption_reason"])


def assumptions_table(rows: list[dict], lang: str = "zh") -> ReaderTable:
    """The assumptions register: every parameter not taken from the text, by its reader's name,
    with its value, article and reason in full in the page language.

    Parameters
    ----------
    rows : list of dict
        :func:`tiermodel.policy.describe` rows; rows of kind ``sourced`` are left out.
    lang : {"zh", "en"}

    The dotted path of each parameter is kept in the last column, ``parameter_path`` (参数路径),
    for the workbook and CSV; a page does not show it.
    """
    return reader_table(assumptions_frame(rows, lang), "assumptions", lang, "yuan")


_ARTICLE = re.compile(r"第\d+(?:[–~-]\d+)?条(?:\s?\d*[①-⑩]?)?")


def _article(row: dict) -> str:
    """The article a register row rests on: its source, the catalogue entry's article, or the
    first article its reason cites; "—" when none."""
    if row.get("source") or row.get("article"):
        return str(row.get("source") or row["article"])
    value = row.get("value")
    if isinstance(value, dict) and value.get("article"):
        return str(value["article"])
    found = _ARTICLE.search(str(row.get("reason_zh") or row.get("reason_en") or ""))
    return found.group(0).strip() if found else "—"


def _scenario_words(name: str, lang: str) -> str:
    """A scenario's name as the register shows it: a named scenario file as it is; the rates the
    annual review measured from earlier lists ("measured_churn 2024–2026") in words."""
    from ..compare.cycle import MEASURED_CHURN

    key, _, span = name.partition(" ")
    if key == MEASURED_CHURN and span:
        return f"实测流失率（{span}年）" if lang == "zh" else f"measured churn {span}"
    return name


def _reason(row: dict, lang: str) -> str:
    """Why a register row's value is what it is, in ``lang``: the assumption's reason, and for a
    value a scenario set, which scenario and the value it replaced."""
    own = reader_words(row.get("reason_zh" if lang == "zh" else "reason_en") or "", lang)
    if not row.get("scenario"):
        return own
    was = parameter_value_text(row.get("base_value"), lang)
    scenario = _scenario_words(str(row["scenario"]), lang)
    if lang == "zh":
        head = f"由情景“{scenario}”设定，原值{was}"
        return f"{head}；{own}" if own else f"{head}（原文{row.get('source') or ''}）"
    head = f"set by {scenario} (was {was})"
    return f"{head}; {own}" if own else f"{head} ({row.get('source') or ''})"


#: A file's key in a sentence: a dotted parameter path or a snake_case field or column name.
_KEY = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?:\.[a-z0-9_]+)*\b|\b[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+\b")


def reader_words(sentence: str, lang: str = "zh") -> str:
    """A reason as a reader reads it: every dotted parameter path named by the parameter's
    reader's name ("delivery_rules.invitation_count" → "Minimum counted as invitations or
    attendance"), a field, column or service key of the file by its word in ``lang``; other
    text unchanged."""
    from ..policy import parameter_leaf
    from ..vocabulary import COLUMN_TERMS, DELIVERY_SERVICE_TERMS, PARAMETER_VALUE_TERMS

    def word(m: re.Match) -> str:
        key = m.group(0)
        if "." in key and parameter_leaf(key) is not None:
            return parameter_name(key, lang)
        for terms in (PARAMETER_VALUE_TERMS, DELIVERY_SERVICE_TERMS, COLUMN_TERMS):
            if key in terms:
                return pick(terms[key], lang)
        return key

    return _KEY.sub(word, sentence) if sentence else sentence
