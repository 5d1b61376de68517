"""Present layer: results turned into what a reader sees — no formulas, no file reading.

``reader_table`` / ``reader_tables`` label a result's ``.tables()`` (Chinese or English
headers with units, 万元 or 元, %, translated tier and service words, no index column);
:mod:`.html` renders them as formatted HTML tables with a page header; :mod:`.workbook`
writes them to a formatted workbook with a contents sheet; :mod:`.page` is what every report
page does besides its analysis (header, SAMPLE DATA marks, "cannot show", tables exported).
"""
from . import decision, messages, page
from .html import Html, assumptions_html, html_table, page_header
from .labels import check_amount_unit, check_lang, display_unit, header, table_term, translate_values
from .labels import parameter_name, parameter_value_text
from .page import Page
from .tables import (Column, ReaderTable, assumptions_frame, assumptions_table, cut_lines_table, reader_table,
                     reader_tables)
from .workbook import report_workbook, write_workbook

__all__ = ["Column", "Html", "Page", "ReaderTable", "assumptions_frame", "assumptions_html", "assumptions_table",
           "check_amount_unit", "check_lang", "cut_lines_table", "decision", "display_unit", "header", "html_table", "messages", "page", "page_header",
           "parameter_name", "parameter_value_text", "reader_table", "reader_tables", "report_workbook",
           "table_term", "translate_values", "write_workbook"]
