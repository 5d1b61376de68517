"""Where the shipped parameter files and notebooks are.

A wheel carries the repository's top-level ``params/`` and ``notebooks/`` as package data under
``tiermodel/_data/`` (see ``setup.py``); a source checkout (editable install) reads them in place.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path


def data_dir(name: str) -> Path:
    """The shipped folder ``name`` (``"params"`` or ``"notebooks"``).

    Parameters
    ----------
    name : str
        Folder name as in the repository.

    Returns
    -------
    Path
        ``tiermodel/_data/<name>`` inside an installed package, else ``<repository>/<name>``.
    """
    packaged = Path(str(resources.files("tiermodel"))) / "_data" / name
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / name
