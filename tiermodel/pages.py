"""Facts a report page opens with, gathered from a run's inputs (app side: reads the data file
to hash it). The present layer's :func:`tiermodel.present.page_header` draws them."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from .present.html import Html, page_header
from .run_inputs import RunInputs


def data_source(inputs: RunInputs) -> tuple[str, str, bool]:
    """The data source of a run: (name, SHA-256 hex, is the sample).

    A file is named by its file name and hashed as stored; the generated sample by its seed
    and the SHA-256 of its CSV text (as the run manifest does).
    """
    from .report import sha256_file, sha256_frame

    source = inputs.portfolio_source
    if source.startswith("sample("):
        return source, sha256_frame(inputs.portfolio), True
    return Path(source).name, sha256_file(source), False


def run_page_header(inputs: RunInputs, title: str, about: str = "", lang: str = "zh",
                    amount_unit: str | None = None, run_date: dt.date | str | None = None) -> Html:
    """The page header of a report notebook: what it is, the scenario, the data source (file
    name and SHA-256 prefix, or the sample with a SAMPLE DATA banner) and the run date."""
    source, sha, sample = data_source(inputs)
    return page_header(title, about, inputs.policy.scenario or "", source, sha, sample, run_date, lang,
                       amount_unit)
