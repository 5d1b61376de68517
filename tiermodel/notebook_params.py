"""A notebook's declared parameters, and a check that refuses any other name before a run.

papermill injects whatever names it is given and only warns about unknown ones, so a
misspelt option (``weight_low`` for ``weight_range``) would silently leave the default in
force. :func:`check_parameters` refuses such a name with :class:`~tiermodel.errors.OptionError`
before any kernel starts; :func:`declared_parameters` reads the names from the cell tagged
``parameters``.
"""
from __future__ import annotations

import ast
import difflib
import json
from dataclasses import dataclass
from pathlib import Path

from .errors import OptionError, ReportError

PARAMETERS_TAG = "parameters"


@dataclass(frozen=True)
class Parameter:
    """One name of a notebook's parameters cell: its default (as written) and its comment."""

    name: str
    default: str
    comment: str = ""


def declared_parameters(notebook: str | Path) -> dict[str, Parameter]:
    """The names a notebook's ``parameters``-tagged cell assigns, in order.

    Parameters
    ----------
    notebook : path
        An ``.ipynb`` file.

    Returns
    -------
    dict of str to Parameter
        ``a = 1`` and ``a, b = 1, 2`` and ``a: int = 1`` each declare their names.

    Raises
    ------
    ReportError
        The notebook cannot be read, has no cell tagged ``parameters``, or that cell is not
        valid Python.
    """
    path = Path(notebook)
    source = _parameters_source(path)
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise ReportError(f"{path}: the parameters cell is not valid Python (line {exc.lineno}: {exc.msg})") from None
    lines = source.splitlines()
    found: dict[str, Parameter] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        comment = lines[node.lineno - 1].partition("#")[2].strip()
        for target in targets:
            for name, val in _assigned(target, value):
                found[name] = Parameter(name, ast.get_source_segment(source, val) or "", comment)
    return found


def _parameters_source(path: Path) -> str:
    """The source of the notebook's cell tagged ``parameters``."""
    try:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError) as exc:
        raise ReportError(f"{path}: cannot be read as a notebook ({exc})") from None
    tagged = [c for c in cells if PARAMETERS_TAG in c.get("metadata", {}).get("tags", [])]
    if not tagged:
        raise ReportError(f"{path}: no cell is tagged '{PARAMETERS_TAG}'; a report notebook declares "
                          "its parameters in one")
    source = tagged[0]["source"]
    return "".join(source) if isinstance(source, list) else source


def _assigned(target: ast.expr, value: ast.expr) -> list[tuple[str, ast.expr]]:
    """(name, value) of each name an assignment target binds: ``a = 1``, ``a, b = 1, 2``."""
    names = [target] if isinstance(target, ast.Name) else \
        list(target.elts) if isinstance(target, (ast.Tuple, ast.List)) else []
    values = list(value.elts) if isinstance(value, (ast.Tuple, ast.List)) and len(names) > 1 \
        and len(value.elts) == len(names) else [value] * len(names)
    return [(name.id, val) for name, val in zip(names, values) if isinstance(name, ast.Name)]


def check_parameters(notebook: str | Path, parameters: dict) -> dict:
    """Refuse a parameter name the notebook does not declare, before the run starts.

    Parameters
    ----------
    notebook : path
        The ``.ipynb`` file a run will execute.
    parameters : dict
        Name → value, as they would be passed to papermill.

    Returns
    -------
    dict
        ``parameters`` unchanged.

    Raises
    ------
    OptionError
        Naming the unknown parameter, the notebook, the nearest declared name and the list
        of declared names.
    """
    declared = declared_parameters(notebook)
    unknown = [name for name in parameters if name not in declared]
    if unknown:
        name = unknown[0]
        near = difflib.get_close_matches(name, list(declared), n=1, cutoff=0.5)
        hint = f"; did you mean '{near[0]}'?" if near else ""
        raise OptionError(name, f"{Path(notebook).name} declares no parameter '{name}'{hint} "
                                f"(it declares: {', '.join(declared)})")
    return parameters
