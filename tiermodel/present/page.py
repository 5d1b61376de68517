"""What every report page does besides its own analysis: the page header, the SAMPLE DATA
marks, the "cannot show" boxes, its tables shown and exported for the run's workbook.

A notebook uses one :class:`Page` (``page = tm.present.Page("02", lang, amount_unit,
output_dir)``) or the functions below. Present layer: no formulas and no reading of inputs —
the header is given a run's inputs object and asks it for its data source (name, SHA-256,
sample or not), and the one thing written, the page's tables for the workbook, goes to the run
folder whole or not at all through :func:`tiermodel.io.atomic_path`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import OutputPathError, ReportError
from ..vocabulary import INPUT_TERMS, translate_text
from .html import Html, html_table, page_header
from .labels import pick, text
from ..notes import note
from .messages import render
from .tables import reader_table

if TYPE_CHECKING:
    import pandas as pd

#: Sub-folder of a run folder holding each page's exported tables (one pickle per sheet).
TABLES_SUBDIR = "tables"
#: Excel's longest sheet name [characters].
SHEET_NAME_MAX = 31


def sentence(finding, lang: str = "zh") -> str:
    """A finding in ``lang``: a :class:`~tiermodel.notes.Note` rendered from its template
    (:func:`tiermodel.present.messages.render`); a plain string (a 第34条 step, a text the user
    typed) in the vocabulary's words where it has them, else as it is."""
    from ..notes import Note

    if isinstance(finding, Note):
        return render(finding, lang)
    return translate_text(finding, lang)


def _pick(words: str | tuple[str, str], lang: str) -> str:
    """``words`` in the page language: a (Chinese, English) pair, or one phrase as it is."""
    if isinstance(words, tuple):
        return words[0] if lang == "zh" else words[1]
    return words


def header(inputs, title: str | tuple[str, str], about: str | tuple[str, str] = "", lang: str = "zh",
           amount_unit: str | None = None, run_date=None) -> Html:
    """The page header of a report notebook: what it is, the scenario, the data source (file
    name and SHA-256 prefix, or the sample with a SAMPLE DATA banner) and the run date.

    Parameters
    ----------
    inputs : RunInputs
        What the run loaded (:func:`tiermodel.load_inputs`); its ``data_source()`` gives
        (name, SHA-256 hex, is the sample) and ``policy.scenario`` the scenario.
    title, about : str or (str, str)
        The page's name and one line on what it shows; a (Chinese, English) pair is read in
        ``lang``.
    lang : {"zh", "en"}
    amount_unit : {"wan", "yuan"}, optional
    run_date : date or str, optional
        Default today.
    """
    source, sha, sample = inputs.data_source()
    return page_header(_pick(title, lang), _pick(about, lang), inputs.policy.scenario or "", source, sha, sample,
                       run_date, lang, amount_unit)


def cannot_show(what: str | tuple[str, str], why: str, lang: str = "zh") -> Html:
    """A visible box on a report page: what the page cannot show, and why, in the vocabulary's
    words ("无法显示：金牌名单。原因：…").

    Parameters
    ----------
    what : str or (str, str)
        The section that is left out, e.g. ``("金牌名单", "the Gold list")`` (Chinese, English)
        or one phrase already in the reader's language.
    why : str
        The finding, e.g. ``RunInputs.gold_note`` or :func:`tiermodel.budget.vip_absence`.
    lang : {"zh", "en"}
        Output language of the template (and of ``what`` when it is a pair).
    """
    line = text("cannot_show", lang, what=_pick(what, lang), why=sentence(why, lang))
    return Html(f'<div class="tm-cannot-show" style="border:1px solid #e0b84c;background:#fff8e1;padding:6px 10px;'
                f'margin:6px 0"><b>{escape(line)}</b></div>', line)


def cannot_show_each(what: str | tuple[str, str], whys, lang: str = "zh") -> list[Html]:
    """One :func:`cannot_show` box per finding in ``whys`` that is not empty, in order
    (``[]`` when every finding is empty: the page shows the section)."""
    return [cannot_show(what, why, lang) for why in whys if why]


def note_lines(notes, lang: str = "zh") -> str:
    """Findings as a list for a page, one ``"- finding"`` line each, in ``lang``
    (``""`` for no findings)."""
    return "\n".join(f"- {sentence(note, lang)}" for note in notes)


def print_lines(lines, prefix: str = "", lang: str | None = None) -> None:
    """Print each line of ``lines`` on its own line after ``prefix`` (e.g. ``"- "``), in
    ``lang`` when given (:func:`sentence`), else as it is; nothing
    for no lines."""
    for line in lines:
        print(f"{prefix}{sentence(line, lang) if lang else line}")


def rounded(values: dict, digits: int) -> dict:
    """A mapping of numbers as a page prints them: each value rounded to ``digits`` decimals."""
    return {key: round(value, digits) for key, value in values.items()}


def ranked(table: pd.DataFrame, by: list[str], last: str = "total") -> pd.DataFrame:
    """Rows of ``table`` ordered for reading: largest first on the columns ``by`` (in turn),
    the row labelled ``last`` (the total) kept at the bottom."""
    import pandas as pd

    return pd.concat([table.drop(index=last).sort_values(by, ascending=False), table.loc[[last]]])


def assumptions_in_force(rows: list[dict], lang: str = "zh") -> pd.DataFrame:
    """The rows of :func:`tiermodel.policy.describe` not taken from the text (``kind`` other than
    ``"sourced"``) as the workbook's assumptions sheet holds them: each parameter by its path
    (shown by its reader's name, the path kept in 参数路径), its value in words, kind, article and
    reason in ``lang`` (:func:`tiermodel.present.tables.assumptions_frame`)."""
    from .tables import assumptions_frame

    return assumptions_frame(rows, lang)


def export_tables(output_dir: str | Path | None, tables: dict[str, pd.DataFrame], prefix: str = "") -> None:
    """Save a notebook's key tables for the run's Excel workbook.

    Parameters
    ----------
    output_dir : path or None
        The run folder; None or "" (a notebook opened by hand) does nothing.
    tables : dict of str to DataFrame
        Usually a result's ``.tables()``; each becomes a sheet named ``f"{prefix} {key}"``
        (at most 31 characters, e.g. ``"01 gold list"``), saved as
        ``<output_dir>/tables/<sheet>.pkl`` whole or not at all.
    prefix : str
        The notebook's number, e.g. ``"01"``.
    """
    from ..io import atomic_path

    if not output_dir:
        return
    folder = Path(output_dir) / TABLES_SUBDIR
    for key, table in tables.items():
        name = f"{prefix} {key}" if prefix else key
        if len(name) > SHEET_NAME_MAX:
            raise ValueError(f"sheet name '{name}' is longer than Excel's {SHEET_NAME_MAX} characters")
        target = folder / f"{name}.pkl"
        try:  # whole or not at all: a full disk leaves no truncated table behind
            folder.mkdir(parents=True, exist_ok=True)
            with atomic_path(target) as tmp:
                table.to_pickle(tmp)
        except (OSError, OutputPathError) as exc:
            why = exc.rule if isinstance(exc, OutputPathError) else exc.strerror or exc
            raise ReportError(f"{target}: the table could not be saved ({why}); is the disk full?") from None


def input_names(kinds, lang: str = "zh") -> str:
    """The inputs ``kinds`` ("delivery", "policies", …) by their reader's names in ``lang``,
    joined ("服务落实记录、保单表"); a kind without a name is kept as it is."""
    return text("list_separator", lang).join(pick(INPUT_TERMS[k], lang) if k in INPUT_TERMS else str(k)
                                            for k in kinds)


def sample_banner(inputs, lang: str = "zh") -> str:
    """The SAMPLE DATA mark of a table or section built on the seeded samples ``inputs``, in
    ``lang`` (message ``page.sample_data``)."""
    return render(note("page.sample_data", what=input_names(inputs, lang)), lang)


def mark_samples(tables: dict[str, pd.DataFrame], based_on: dict[str, tuple[str, ...]],
                 samples: list[str] | set[str], lang: str = "zh") -> dict[str, pd.DataFrame]:
    """Put the SAMPLE DATA mark (样本数据 in a zh report) on every table built on a seeded sample.

    Parameters
    ----------
    tables : dict of str to DataFrame
        A result's ``tables()``.
    based_on : dict of str to tuple of str
        Table name → the input tables it is built on (e.g. ``ServiceRecord.based_on()``);
        a table not listed is taken as built on every input.
    samples : list of str
        The inputs drawn as seeded samples (e.g. ``DeliveryLogs.samples``).
    lang : {"zh", "en"}
        Language of the mark.

    Returns
    -------
    dict of str to DataFrame
        The same tables; those built on a sample are copies whose ``attrs["banner"]`` names
        the sample inputs (the workbook writes it above the table).
    """
    samples = set(samples)
    out = {}
    for name, table in tables.items():
        used = sorted(samples & set(based_on.get(name, samples)))
        if used:
            table = table.copy()
            table.attrs["banner"] = sample_banner(used, lang)
        out[name] = table
    return out


def sample_notice(sources: dict[str, str], samples: list[str] | set[str], lang: str = "zh") -> str:
    """One line for the console and the top of a page: which inputs are seeded samples.

    Parameters
    ----------
    sources : dict of str to str
        Input kind → its source (file or sample label).
    samples : list of str
        The inputs drawn as seeded samples.
    lang : {"zh", "en"}

    Returns
    -------
    str
        ``""`` when every input is a file.
    """
    if not samples:
        return ""
    return text("sample_used", lang, inputs=input_names(samples, lang))


def page_banner(samples: list[str] | set[str], kinds: tuple[str, ...] | None = None, lang: str = "zh"):
    """A visible SAMPLE DATA box (样本数据 in a zh report) for a notebook page or section built
    on seeded samples.

    Parameters
    ----------
    samples : list of str
        The inputs drawn as seeded samples.
    kinds : tuple of str, optional
        The inputs this page or section is built on (default: all).
    lang : {"zh", "en"}

    Returns
    -------
    IPython.display.HTML or None
        The red box naming the sample inputs; None when none of ``kinds`` is a sample.
    """
    from IPython.display import HTML

    used = sorted(set(samples) & set(kinds if kinds is not None else samples))
    if not used:
        return None
    return HTML(f'<div style="border:2px solid #c00000;color:#c00000;padding:6px;font-weight:bold">'
                f'{escape(sample_banner(used, lang))}</div>')


#: Event tables a box names, in this order (their words: ``assess.input.<kind>`` messages).
SAMPLE_KINDS = ("service", "survey", "complaints", "executives", "delivery", "hotline", "policies")


def sample_box(samples, kinds=None, lang: str = "zh") -> Html | None:
    """A visible SAMPLE DATA box in ``lang`` naming the event tables of ``kinds`` (default:
    all) drawn as seeded samples ("样本数据：基于随机样本（服务记录、投诉记录），并非实际数据");
    None when none of them is a sample."""
    from ..notes import Note

    used = [k for k in SAMPLE_KINDS if k in set(samples) and (kinds is None or k in kinds)]
    if not used:
        return None
    line = render(Note("page.sample_data", {"what": [Note(f"assess.input.{k}") for k in used]}), lang)
    return Html(f'<div class="tm-sample" style="border:2px solid #c00000;color:#c00000;padding:6px;'
                f'font-weight:bold">{escape(line)}</div>', line)


@dataclass
class Page:
    """One report page: its number, language, amount unit and run folder, and the result
    tables it shows and exports.

    Parameters
    ----------
    number : str
        The page's number, e.g. ``"02"``: the prefix of its workbook sheets and the page its
        reader tables are labelled for.
    lang : {"zh", "en"}
    amount_unit : {"wan", "yuan"}
    output_dir : str
        The run folder; empty (a notebook opened by hand) exports nothing.
    tables : dict of str to DataFrame
        The result's ``.tables()``, looked up by :meth:`show`.
    """

    number: str
    lang: str = "zh"
    amount_unit: str = "yuan"
    output_dir: str | Path | None = ""
    tables: dict = field(default_factory=dict)

    def header(self, inputs, title: str | tuple[str, str], about: str | tuple[str, str] = "") -> Html:
        """The page header (:func:`header`) in the page's language and unit."""
        return header(inputs, title, about, self.lang, self.amount_unit)

    def reader_table(self, key: str, table: pd.DataFrame | None = None):
        """The result table ``key`` (or ``table`` under that key's labels) as a reader table."""
        return reader_table(self.tables[key] if table is None else table, key, self.lang, self.amount_unit,
                            page=self.number)

    def table(self, key: str, table: pd.DataFrame | None = None, max_rows: int | None = 20) -> Html:
        """The result table ``key`` (or ``table`` under that key's labels) as a formatted page
        table: labels, units, no index, at most ``max_rows`` rows (None: all)."""
        return html_table(self.reader_table(key, table), max_rows=max_rows)

    def show(self, key: str, table: pd.DataFrame | None = None, max_rows: int | None = 20) -> None:
        """Display :meth:`table` on the page."""
        from IPython.display import display

        display(self.table(key, table, max_rows))

    def cannot_show(self, what: str | tuple[str, str], *whys: str) -> None:
        """Display one "cannot show" box per finding that is not empty (:func:`cannot_show_each`)."""
        from IPython.display import display

        for box in cannot_show_each(what, whys, self.lang):
            display(box)

    def sample_banner(self, samples, kinds=None) -> None:
        """Display the SAMPLE DATA box of the event tables ``kinds`` drawn as seeded samples
        (:func:`sample_box`); nothing when none is a sample."""
        from IPython.display import display

        box = sample_box(samples, kinds, self.lang)
        if box is not None:
            display(box)

    def print_notes(self, notes) -> None:
        """Print findings as a list, one ``"- finding"`` line each, in the page's language."""
        print_lines(notes, "- ", self.lang)

    def export(self, tables: dict[str, pd.DataFrame] | None = None, prefix: bool = True) -> None:
        """Save ``tables`` (default: the page's result tables) for the run's workbook
        (:func:`export_tables`), named with the page's number unless ``prefix`` is False."""
        export_tables(self.output_dir, self.tables if tables is None else tables,
                      self.number if prefix else "")

    def save_text(self, name: str, content: str) -> Path | None:
        """Write ``content`` (UTF-8) as ``name`` in the run folder, whole or not at all; nothing
        when the notebook runs by hand (no run folder)."""
        from ..io import write_text

        if not self.output_dir:
            return None
        return write_text(Path(self.output_dir) / name, content)
