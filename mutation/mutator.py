"""A small AST mutator: the mutants of one Python module, each a one-node change of its syntax tree.

Every function is mutated, decorated ones included (pydantic validators), and so are the
class bodies (field bounds such as ``Field(ge=0)``) and module-level constants. Docstrings,
annotations and ``__all__`` are left alone.

Operators (one mutant per node and operator):

* comparisons ``<``↔``<=``, ``>``↔``>=``, ``==``↔``!=``, ``is``↔``is not``, ``in``↔``not in``
* arithmetic and bitwise ``+``↔``-``, ``*``↔``/``, ``//``→``/``, ``%``→``/``, ``**``→``*``,
  ``&``↔``|``, ``^``→``&``, ``<<``↔``>>`` (also in augmented assignments)
* ``and``↔``or``; ``not x``→``x``, ``-x``→``x``, ``~x``→``x``
* numbers ``n``→``n + 1``; ``True``↔``False``; a string ``"s"``→``"XXsXX"``

A mutant is named by something that survives edits elsewhere in the file: the module, the
enclosing function (qualified name), the text of its line and the mutation (with the column
within the stripped line). :func:`key` gives it; ``mutation/equivalent.txt`` lists keys.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, replace
from pathlib import Path

COMPARE = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq,
           ast.NotEq: ast.Eq, ast.Is: ast.IsNot, ast.IsNot: ast.Is, ast.In: ast.NotIn, ast.NotIn: ast.In}
BINOP = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult, ast.FloorDiv: ast.Div,
         ast.Mod: ast.Div, ast.Pow: ast.Mult, ast.BitAnd: ast.BitOr, ast.BitOr: ast.BitAnd,
         ast.BitXor: ast.BitAnd, ast.LShift: ast.RShift, ast.RShift: ast.LShift}
BOOLOP = {ast.And: ast.Or, ast.Or: ast.And}
SYMBOL = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!=",
          ast.Is: "is", ast.IsNot: "is not", ast.In: "in", ast.NotIn: "not in", ast.Add: "+", ast.Sub: "-",
          ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%", ast.Pow: "**", ast.BitAnd: "&",
          ast.BitOr: "|", ast.BitXor: "^", ast.LShift: "<<", ast.RShift: ">>", ast.And: "and", ast.Or: "or",
          ast.Not: "not", ast.USub: "-", ast.Invert: "~"}


@dataclass(frozen=True)
class Mutant:
    """One mutant: where (``index`` of the node in the walk, its line and column) and what."""

    module: str        # path of the module, e.g. tiermodel/scoring.py
    index: int         # position of the mutated node in the deterministic walk
    slot: int          # which change of that node (a comparison with several operators)
    function: str      # qualified name of the enclosing function or class, or <module>
    line: int          # 1-based line of the node
    stmt_lines: tuple[int, int]  # first and last line of the enclosing statement
    line_text: str     # the stripped text of the line
    mutation: str      # e.g. "`<` → `<=` @12"
    owner: tuple[str, int] | None = None  # outermost function whose body holds it (see _walk)

    @property
    def key(self) -> tuple[str, str, str, str]:
        return key(self.module, self.function, self.line_text, self.mutation)


def key(module: str, function: str, line_text: str, mutation: str) -> tuple[str, str, str, str]:
    """The stable name of a mutant: module, function, line text (stripped) and mutation."""
    return (module, function, " ".join(line_text.split()), mutation)


def _skipped_nodes(tree: ast.AST) -> set[int]:
    """ids of nodes never mutated: docstrings, annotations, ``__all__``."""
    skip: set[int] = set()

    def all_of(node):
        return {id(n) for n in ast.walk(node)}

    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and body:
            first = body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
                    and isinstance(first.value.value, str):
                skip |= all_of(first)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if node.returns is not None:
                skip |= all_of(node.returns)
            args = node.args
            for a in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]:
                if a is not None and a.annotation is not None:
                    skip |= all_of(a.annotation)
        if isinstance(node, ast.AnnAssign):
            skip |= all_of(node.annotation)
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            skip |= all_of(node)
        if isinstance(node, ast.JoinedStr):  # the literal pieces of an f-string
            skip |= {id(v) for v in node.values if isinstance(v, ast.Constant)}
            for v in node.values:
                if isinstance(v, ast.FormattedValue) and v.format_spec is not None:
                    skip |= all_of(v.format_spec)
        if isinstance(node, ast.ImportFrom) or isinstance(node, ast.Import):
            skip |= all_of(node)
    return skip


def _changes(node: ast.AST, strings: bool = True) -> list[tuple[str, object]]:
    """The mutations of one node: (description, new value) pairs; applied by :func:`_apply`."""
    if isinstance(node, ast.Compare):
        return [(f"`{SYMBOL[type(op)]}` → `{SYMBOL[COMPARE[type(op)]]}`" + (f" (#{i + 1})" if len(node.ops) > 1 else ""),
                 (i, COMPARE[type(op)])) for i, op in enumerate(node.ops) if type(op) in COMPARE]
    if isinstance(node, (ast.BinOp, ast.AugAssign)) and type(node.op) in BINOP:
        new = BINOP[type(node.op)]
        eq = "=" if isinstance(node, ast.AugAssign) else ""
        return [(f"`{SYMBOL[type(node.op)]}{eq}` → `{SYMBOL[new]}{eq}`", new)]
    if isinstance(node, ast.BoolOp):
        new = BOOLOP[type(node.op)]
        return [(f"`{SYMBOL[type(node.op)]}` → `{SYMBOL[new]}`", new)]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.Not, ast.USub, ast.Invert)):
        return [(f"`{SYMBOL[type(node.op)]}` dropped", None)]
    if isinstance(node, ast.Constant):
        v = node.value
        if isinstance(v, bool):
            return [(f"{v} → {not v}", not v)]
        if isinstance(v, int):
            return [(f"{v!r} → {v + 1!r}", v + 1)]
        if isinstance(v, float):
            return [(f"{v!r} → {v + 1.0!r}", v + 1.0)]
        if isinstance(v, str) and strings:
            return [(f"{_short(v)} → {_short('XX' + v + 'XX')}", "XX" + v + "XX")]
    return []


def _anchor(node: ast.AST, slot: int) -> int:
    """Column that tells apart the mutants of one line: the operand after an operator."""
    if isinstance(node, ast.Compare):
        return node.comparators[slot].col_offset
    if isinstance(node, ast.BinOp):
        return node.right.col_offset
    if isinstance(node, ast.AugAssign):
        return node.value.col_offset
    if isinstance(node, ast.BoolOp):
        return node.values[-1].col_offset
    return node.col_offset


def _short(s: str) -> str:
    r = repr(s)
    return r if len(r) <= 40 else r[:37] + "…'"


def _apply(node: ast.AST, new) -> ast.AST:
    """``node`` (a copy from a fresh parse) changed by one of its :func:`_changes`; returns the node to
    put in its place."""
    if isinstance(node, ast.Compare):
        i, op = new
        node.ops[i] = op()
        return node
    if isinstance(node, (ast.BinOp, ast.AugAssign, ast.BoolOp)):
        node.op = new()
        return node
    if isinstance(node, ast.UnaryOp):
        return node.operand
    if isinstance(node, ast.Constant):
        node.value = new
        return node
    raise TypeError(node)


def _walk(tree: ast.AST):
    """Every node with the qualified name of its function/class, its enclosing statement and its
    owner, in a fixed order (depth first, fields in order).

    The owner is the outermost function whose body holds the node, as ``(qualified name, first
    line)`` — the name and first line (of its first decorator) of its code object — or None for
    a node that runs when the module is imported (module level, class bodies, decorators and
    default values): a mutant with an owner can be applied to the imported module by replacing
    that one function's code.
    """
    def visit(node, scope, stmt, owner):
        if isinstance(node, ast.stmt):
            stmt = node
        yield node, scope, stmt, owner
        inner = scope
        is_def = isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        if is_def:
            inner = f"{scope}.{node.name}" if scope != "<module>" else node.name
        for field, value in ast.iter_fields(node):
            # decorators, bases and default values belong to the enclosing scope
            outside = is_def and field in ("decorator_list", "args", "returns", "bases", "keywords")
            sub_scope = scope if outside else inner
            sub_owner = owner
            if owner is None and not outside and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                sub_owner = (inner, min([node.lineno] + [d.lineno for d in node.decorator_list]))
            children = value if isinstance(value, list) else [value]
            for child in children:
                if isinstance(child, ast.AST):
                    yield from visit(child, sub_scope, stmt, sub_owner)

    yield from visit(tree, "<module>", None, None)


def mutants(path: str | Path, module: str | None = None, strings: bool = True) -> list[Mutant]:
    """Every mutant of the module at ``path`` (``module``: its name in keys, default the path);
    ``strings``: mutate string constants too (worth it where the strings are what a reader reads)."""
    source = Path(path).read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)
    skip = _skipped_nodes(tree)
    out = []
    for index, (node, scope, stmt, owner) in enumerate(_walk(tree)):
        if id(node) in skip or not hasattr(node, "lineno"):
            continue
        for slot, (desc, _) in enumerate(_changes(node, strings)):
            text = lines[node.lineno - 1]
            col = _anchor(node, slot) - (len(text) - len(text.lstrip()))
            # the lines whose execution shows the node ran: its simple statement, or the header
            # of a compound one (if, for, def, class …) down to the node
            simple = stmt is not None and not any(isinstance(v, list) and v and isinstance(v[0], ast.stmt)
                                                  for _, v in ast.iter_fields(stmt))
            span = (stmt.lineno, stmt.end_lineno) if simple else (stmt.lineno, node.end_lineno)
            out.append(Mutant(module or str(path), index, slot, scope, node.lineno, span, text.strip(),
                              f"{desc} @{col}", owner))
    # the same change on two identical lines of one function: numbered in order of appearance
    seen: dict = {}
    for i, m in enumerate(out):
        n = seen[m.key] = seen.get(m.key, 0) + 1
        if n > 1:
            out[i] = replace(m, mutation=f"{m.mutation} #{n}")
    return out


def _mutate(path: str | Path, mutant: Mutant) -> tuple[ast.Module, ast.AST, ast.AST]:
    """A fresh parse of the module with ``mutant`` applied: (tree, node as it was, node now)."""
    tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    parents = {}
    target = None
    for index, (node, _, _, _) in enumerate(_walk(tree)):
        for child in ast.iter_child_nodes(node):
            parents[id(child)] = node
        if index == mutant.index:
            target = node
            break
    if target is None:
        raise LookupError(f"{mutant.module}: no node {mutant.index}")
    where = (target.lineno, target.col_offset, target.end_lineno, target.end_col_offset)
    _, new = _changes(target)[mutant.slot]
    replacement = _apply(target, new)
    if replacement is not target:  # splice the operand in place of the unary operator
        parent = parents[id(target)]
        for field, value in ast.iter_fields(parent):
            if value is target:
                setattr(parent, field, replacement)
            elif isinstance(value, list):
                for i, v in enumerate(value):
                    if v is target:
                        value[i] = replacement
    return ast.fix_missing_locations(tree), where, replacement


def mutated_code(path: str | Path, mutant: Mutant):
    """The compiled code of the mutated module (line numbers of the original)."""
    tree, _, _ = _mutate(path, mutant)
    return compile(tree, str(path), "exec", dont_inherit=True)


def owner_code(path: str | Path, mutant: Mutant):
    """The mutated code object of the mutant's owner function (None where it has no owner)."""
    if mutant.owner is None:
        return None
    return find_code(mutated_code(path, mutant), *mutant.owner)


def find_code(code, qualname: str, first_line: int):
    """The code object named ``qualname`` starting at ``first_line`` within ``code``, or None."""
    import types
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            if const.co_qualname == qualname and const.co_firstlineno == first_line:
                return const
            found = find_code(const, qualname, first_line)
            if found is not None:
                return found
    return None


def diff(path: str | Path, mutant: Mutant) -> str:
    """The mutated line before (``-``) and after (``+``)."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    _, (l0, c0, l1, c1), new = _mutate(path, mutant)
    text = lines[l0 - 1]
    if l0 == l1:
        raw = text.encode()  # ast columns count UTF-8 bytes
        c0, c1 = len(raw[:c0].decode(errors="ignore")), len(raw[:c1].decode(errors="ignore"))
        shown = ast.unparse(new)
        if isinstance(new, (ast.BinOp, ast.BoolOp, ast.Compare)):
            shown = f"({shown})"  # the operand of a larger expression: its own parentheses
        after = text[:c0] + shown + text[c1:]
    else:
        after = text[:c0] + f"[{mutant.mutation}] …"
    return f"- {text.strip()}\n+ {after.strip()}"
