"""The committee pack: what the committee approves from, as one A4 PDF that prints as it is.

A pack is a list of :class:`PackSection`, each a heading and its reader tables (labelled in
the report's language and display unit by :func:`~tiermodel.present.reader_table`). This
module lays it out as one HTML document for print; the report runner prints it to PDF with
the system's headless Chromium (:mod:`tiermodel.committee`):

- A4 portrait; a section whose tables are wide (more than :data:`WIDE_COLUMNS` columns) on
  A4 landscape pages;
- every table repeats its header row on each page it runs onto, and a row never breaks
  across pages; columns shrink and wrap to the page width instead of running onto a second
  page (no column is ever printed on a page of its own);
- page numbers ("第 3 页，共 12 页" / "page 3 of 12") and the pack's title on every page;
- the CJK font (Noto Sans CJK SC, shipped by ``mplfonts``) named by URL, so the printed PDF
  embeds it whatever fonts the machine has.

No formulas and no file reading: the caller (the report runner) picks the tables.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..vocabulary import PACK_TERMS
from .labels import check_lang, pick
from .tables import WORKBOOK_ONLY, ReaderTable

#: A table of more columns than this is printed on A4 landscape pages.
WIDE_COLUMNS = 8
#: The CJK font file in ``mplfonts`` (the one the plots use).
FONT_FILE = "NotoSansCJKsc-Regular.otf"


@dataclass(frozen=True)
class PackSection:
    """One part of the pack: a heading, a line under it, and its tables in order."""

    heading: str
    tables: list[ReaderTable] = field(default_factory=list)
    lead: str = ""
    #: Text before the tables, as (sub-heading, its lines) in order (the decision sheet).
    points: list[tuple[str, list[str]]] = field(default_factory=list)


def words(key: str, lang: str, **fields) -> str:
    """A phrase of the pack in the pack's language (:data:`tiermodel.vocabulary.PACK_TERMS`)."""
    return pick(PACK_TERMS[key], lang).format(**fields)


def table_html(table: ReaderTable) -> str:
    """One reader table as HTML (pandas Styler): the formatted cells of every row, numbers
    right-aligned, its header in a ``<thead>`` (printed again on every page), no index column."""
    shown = [(i, c) for i, c in enumerate(table.columns) if c.key not in WORKBOOK_ONLY]  # no parameter paths
    cells = pd.DataFrame({c.header: [c.show(v) for v in table.frame.iloc[:, i]] for i, c in shown})
    right = [{"selector": f"td.col{j}", "props": "text-align: right;"}
             for j, (_, c) in enumerate(shown) if c.numeric]
    styled = cells.style.format(escape="html").format_index(escape="html", axis=1).hide(axis="index")
    body = styled.set_table_styles(right).set_table_attributes('class="list"').to_html()
    title = f"<h3>{html.escape(table.title)}</h3>" if table.title else ""
    notes = "".join(f'<p class="note">{html.escape(n)}</p>' for n in table.notes)
    return f"{title}{body}{notes}"


def _section_html(section: PackSection, first: bool) -> str:
    wide = any(len(t.columns) > WIDE_COLUMNS for t in section.tables)
    classes = ["section"] + (["wide"] if wide else []) + ([] if first else ["new-page"])
    parts = [f'<section class="{" ".join(classes)}">', f"<h2>{html.escape(section.heading)}</h2>"]
    if section.lead:
        parts.append(f'<p class="lead">{html.escape(section.lead)}</p>')
    for sub, lines in section.points:
        parts.append(f"<h3>{html.escape(sub)}</h3><ul class=\"points\">"
                     + "".join(f"<li>{html.escape(line)}</li>" for line in lines) + "</ul>")
    parts += [table_html(t) for t in section.tables]
    parts.append("</section>")
    return "\n".join(parts)


def pack_html(sections: list[PackSection], title: str, lang: str = "zh", font_url: str | None = None,
              facts: list[str] | None = None) -> str:
    """The pack as one HTML document, ready to print.

    Parameters
    ----------
    sections : list of PackSection
        In print order; each after the first starts on a new page.
    title : str
        The pack's title, on its first page and at the top of every page.
    lang : {"zh", "en"}
        The pack's one language (page numbers, the contents list).
    font_url : str, optional
        ``file:`` URL of the CJK font to embed (:func:`font_path`).
    facts : list of str, optional
        Lines under the title: scenario, data source, run date, display unit.
    """
    check_lang(lang)
    face = f"@font-face {{ font-family: PackCJK; src: url('{font_url}'); }}" if font_url else ""
    page_of = words("page_of", lang)
    css = f"""
{face}
@page {{ size: A4 portrait; margin: 16mm 12mm 16mm 12mm;
  @top-left {{ content: "{_css_text(title)}"; font-family: PackCJK, sans-serif; font-size: 8pt; color: #555; }}
  @bottom-center {{ content: {page_of}; font-family: PackCJK, sans-serif; font-size: 8pt; }} }}
@page wide {{ size: A4 landscape; }}
body {{ font-family: PackCJK, sans-serif; font-size: 8.5pt; color: #111; }}
h1 {{ font-size: 15pt; margin: 0 0 4pt 0; }} h2 {{ font-size: 12pt; margin: 0 0 6pt 0; }}
h3 {{ font-size: 10pt; margin: 10pt 0 4pt 0; }}
p.facts, p.note {{ font-size: 8pt; color: #444; margin: 2pt 0; }} p.lead {{ margin: 0 0 6pt 0; }}
section.new-page {{ break-before: page; }} section.wide {{ page: wide; }}
table.list {{ border-collapse: collapse; width: 100%; table-layout: auto; margin-bottom: 6pt; }}
table.list thead {{ display: table-header-group; }}
table.list tr {{ break-inside: avoid; }}
table.list th {{ background: #DDE3EC; font-weight: bold; border: 0.5pt solid #888; padding: 2pt 3pt; }}
table.list td {{ border: 0.5pt solid #bbb; padding: 1.5pt 3pt; overflow-wrap: anywhere; }}
ol.contents {{ margin: 4pt 0 10pt 16pt; padding: 0; }}
ul.points {{ margin: 2pt 0 6pt 14pt; padding: 0; font-size: 9.5pt; }} ul.points li {{ margin: 2pt 0; }}
"""
    head = [f"<h1>{html.escape(title)}</h1>"]
    head += [f'<p class="facts">{html.escape(line)}</p>' for line in facts or []]
    head.append(f"<h3>{html.escape(words('contents', lang))}</h3>")
    head.append('<ol class="contents">' + "".join(f"<li>{html.escape(s.heading)}</li>" for s in sections) + "</ol>")
    body = [_section_html(s, first=(i == 0)) for i, s in enumerate(sections)]
    html_lang = "zh-CN" if lang == "zh" else "en"
    return (f'<!DOCTYPE html><html lang="{html_lang}"><head><meta charset="utf-8"><title>{html.escape(title)}'
            f"</title><style>{css}</style></head><body>{''.join(head)}{''.join(body)}</body></html>")


def _css_text(value: str) -> str:
    """A string for a CSS ``content:`` value (quotes and backslashes escaped)."""
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def font_path() -> Path:
    """The CJK font the pack embeds (``mplfonts``' Noto Sans CJK SC, the one the plots use)."""
    import mplfonts

    path = Path(mplfonts.__file__).parent / "fonts" / FONT_FILE
    if not path.exists():
        raise FileNotFoundError(f"CJK font not found at {path}; reinstall mplfonts")
    return path
