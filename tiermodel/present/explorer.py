"""The what-if explorer's page: ipywidgets controls for the levers of the policy and the answer
of :class:`tiermodel.compare.whatif.WhatIf` to each change, in the reader's language.

Controls: the 第10条 weights (moving the premium or loyalty weight gives the profit weight the
rest, so they keep summing to 1; a manual edit of the profit weight that breaks the sum is
refused), K1 and K2 by year, the 第11条 thresholds by class (premiums in the display unit, loss
ratios in %), the 第13条 Gold places (30 + 10), the Silver places per branch class and per
branch, and a scenario to start from. Outputs: Gold and Silver counts by class, entrants and
leavers with their reasons, the 附件七 budget and its change, a chosen customer's value-index
parts and ranks. A refused entry is said on the page and changes nothing. The save button hands
the setting, as scenario text (and a branch table for branch places), to the app's ``save``.

Every word comes from ``messages/whatif.toml`` and the policy's reader's names; each output
carries a CSS class (``tm-…``) the browser test reads.
"""
from __future__ import annotations

import html
import time
from typing import Callable

import ipywidgets as w
import pandas as pd

from ..compare.whatif import (BRANCH_PLACES, CRITERIA, YEARS, WhatIf, branch_places_table, check_scenario_name,
                              scenario_text)
from ..errors import LeverError
from ..notes import note
from ..policy import Policy, get_path, parameter_label
from ..vocabulary import BRANCH_CLASSES
from . import messages

#: Rows shown of the entrants and of the leavers (the rest counted).
MAX_ROWS = 60
_UNIT_WORD = {("wan", "zh"): "万元", ("wan", "en"): "10k CNY", ("yuan", "zh"): "元", ("yuan", "en"): "CNY"}
_LAYOUT = w.Layout(width="auto")
_CSS = (".tm-explorer table {border-collapse: collapse; margin: 4px 0 12px}"
        " .tm-explorer th, .tm-explorer td {padding: 3px 10px; border-bottom: 1px solid #ddd; text-align: left}"
        " .tm-explorer th {background: #f4f4f4} .tm-explorer td:not(:first-child) {white-space: nowrap}"
        " .tm-explorer .tm-error {color: #b00; font-weight: bold}")
_STYLE = {"description_width": "initial"}


def _is_premium(path: str) -> bool:
    return path.startswith("eligibility.") and path.endswith("_min")


def _is_ratio(path: str) -> bool:
    return path.startswith("eligibility.") and path.endswith("_max")


class Explorer:
    """The page: build it with a :class:`WhatIf`, show :attr:`widget` (``display(explorer)``).

    Parameters
    ----------
    whatif : WhatIf
        The base, computed once.
    lang : str
        "zh" (default) or "en".
    unit : str
        Display unit of amounts: "wan" (万元) or "yuan".
    scenarios : dict
        Scenario name → a callable returning its :class:`Policy` (None: the base policy) and
        the branch Silver places it sets (branch → places), loaded when chosen.
    save : callable, optional
        ``save(name, yaml_text, branch_table)`` writes the files and returns their paths
        (raises :class:`LeverError` to refuse); None hides nothing but refuses saving.
    source : str
        The data source shown under the title.
    load : callable, optional
        ``load(name)`` → (policy or None, branch places) of a scenario saved on this page, so it
        can be started from at once.
    served : bool
        The page is served by ``tiermodel explore`` (Voilà), not run as a notebook.
    """

    def __init__(self, whatif: WhatIf, lang: str = "zh", unit: str = "wan",
                 scenarios: dict[str, Callable[[], tuple[Policy | None, dict]]] | None = None,
                 save: Callable | None = None, source: str = "", load: Callable | None = None,
                 served: bool = False):
        self.whatif, self.lang, self.unit = whatif, lang, unit
        self.scenarios = dict(scenarios or {})
        self._save_fn, self._load_fn, self.served = save, load, served
        self._quiet = False
        self.pending: LeverError | None = None
        self.result = None
        self.base_values = whatif.policy.model_dump()
        self.branch_settings: dict[str, int] = {}
        self.extra: dict = {}  # what a started scenario sets beyond the levers
        self.controls: dict[str, w.Widget] = {}
        self._build(source)
        self.recompute()

    # ------------------------------------------------------------------ words
    def say(self, code: str, **fields) -> str:
        return messages.say(f"whatif.{code}", self.lang, **fields)

    def _lever_name(self, lever: str) -> str:
        if str(lever).startswith(BRANCH_PLACES + "."):
            return f"{self.say('label.branch_places')} · {lever[len(BRANCH_PLACES) + 1:]}"
        return parameter_label(lever, self.lang, self.whatif.policy)

    def _error_text(self, exc: LeverError) -> str:
        n = exc.note
        if n is None:
            return str(exc)
        fields = dict(n.fields)
        if "lever" in fields:
            fields["lever"] = self._lever_name(fields["lever"])
        return messages.render(note(n.code, **fields), self.lang)

    # ------------------------------------------------------------------ controls
    def _shown(self, path: str, value):
        """A policy value as the page shows it: premiums in the display unit, ratios in %."""
        if _is_premium(path):
            return value / 1e4 if self.unit == "wan" else value
        if _is_ratio(path):
            return value * 100
        return value

    def _policy_value(self, path: str, shown):
        """The page's number back in the policy's unit [CNY/yr, share]."""
        if shown is None:
            return None
        if _is_premium(path):
            return shown * 1e4 if self.unit == "wan" else shown
        if _is_ratio(path):
            return shown / 100
        return shown

    def _number(self, path: str, description: str | None = None) -> w.Widget:
        value = self._shown(path, get_path(self.base_values, path))
        kind = w.IntText if isinstance(value, int) else w.FloatText
        if description == "":  # a cell of a grid: its row and column say what it is
            box = kind(value=value, layout=w.Layout(width="9em"))
        else:
            box = kind(value=value, description=description or self._lever_name(path), layout=_LAYOUT, style=_STYLE)
        box.add_class("tm-lever")
        box.add_class("tm-lever-" + path.replace(".", "-").replace("_", "-"))
        box.observe(lambda change, p=path: self._on_lever(p), names="value")
        self.controls[path] = box
        return box

    def _build(self, source: str) -> None:
        say = self.say
        title = w.HTML(f"<style>{_CSS}</style><h2>{html.escape(say('title'))}</h2><p>{html.escape(say('intro'))}</p><p class='tm-base'>"
                       f"{html.escape(say('base', name=self.whatif.policy.scenario or say('label.base_policy'), source=source))}</p>")
        self.start = w.Dropdown(options=[(say("label.base_policy"), "")] + [(n, n) for n in self.scenarios],
                                value="", description=say("label.start"), style=_STYLE)
        self.start.add_class("tm-start")
        self.start.observe(lambda change: self._on_start(change["new"]), names="value")
        reset = w.Button(description=say("label.reset"))
        reset.add_class("tm-reset")
        reset.on_click(lambda _: self._reset())
        weights = [self._number(f"value_index.weights.{k}") for k in ("premium", "loyalty", "profit")]
        k1 = [self._number(f"value_index.k1.{y}") for y in YEARS]
        k2 = [self._number(f"value_index.k2.{y}") for y in YEARS]
        thresholds = self._thresholds()
        gold = [self._number(f"gold_selection.{k}") for k in ("existing_places", "new_places")]
        per_class = [self._number(f"silver_selection.capacity_per_class.{c}") for c in BRANCH_CLASSES]
        self.branch = w.Dropdown(options=self.whatif.branches_of_book(), description=say("label.branch"),
                                 style=_STYLE)
        self.branch.add_class("tm-branch")
        self.branch_places = w.IntText(value=0, description=say("label.places"), style=_STYLE)
        self.branch_places.add_class("tm-branch-places")
        self._show_branch_places()
        self.branch.observe(lambda change: self._show_branch_places(), names="value")
        self.branch_places.observe(lambda change: self._on_branch_places(change["new"]), names="value")
        levers = w.VBox([
            w.HBox([self.start, reset]),
            w.HTML(f"<b>{say('label.weights')}</b>"), w.HBox(weights),
            w.HTML(f"<b>{say('label.k1')}</b>"), w.HBox(k1), w.HTML(f"<b>{say('label.k2')}</b>"), w.HBox(k2),
            w.HTML(f"<b>{say('label.thresholds', unit=_UNIT_WORD[(self.unit, self.lang)])}</b>"), thresholds,
            w.HTML(f"<b>{say('label.gold_places')}</b>"), w.HBox(gold),
            w.HTML(f"<b>{say('label.class_places')}</b>"), w.HBox(per_class),
            w.HTML(f"<b>{say('label.branch_places')}</b>"), w.HBox([self.branch, self.branch_places]),
        ])
        self.message = self._out("tm-message")
        self.counts = self._out("tm-counts")
        self.budget = self._out("tm-budget")
        self.entrants = self._out("tm-entrants")
        self.leavers = self._out("tm-leavers")
        self.who = w.Text(description=say("label.customer"), style=_STYLE, continuous_update=False)
        self.who.add_class("tm-who")
        self.who.observe(lambda change: self._show_customer(), names="value")
        self.customer = self._out("tm-customer")
        self.name = w.Text(description=say("label.name"), style=_STYLE)
        self.name.add_class("tm-save-name")
        self.reason = w.Textarea(description=say("label.reason"), style=_STYLE, layout=w.Layout(width="40em"))
        self.reason.add_class("tm-save-reason")
        save = w.Button(description=say("label.save"), button_style="primary")
        save.add_class("tm-save")
        save.on_click(lambda _: self.save())
        self.saved = self._out("tm-save-status")
        outputs = w.VBox([self.message, self.counts, self.budget,
                          w.HTML(f"<h3>{say('label.entrants')}</h3>"), self.entrants,
                          w.HTML(f"<h3>{say('label.leavers')}</h3>"), self.leavers,
                          w.HTML(f"<h3>{say('label.customer')}</h3>"), self.who, self.customer,
                          w.HTML(f"<h3>{say('label.save')}</h3>"), self.name, self.reason, save, self.saved])
        self.widget = w.VBox([title, levers, outputs])
        self.widget.add_class("tm-explorer")

    def _thresholds(self) -> w.GridBox:
        """The 第11条 thresholds as a grid: a row per tier and class, a column per criterion."""
        rows = [("gold", messages.word("gold", self.lang))] + \
            [(f"silver.{c}", f"{messages.word('silver', self.lang)} {c}") for c in BRANCH_CLASSES]
        cells = [w.Label("")] + [w.Label(self.say(f"criterion.{c}")) for c in CRITERIA]
        for key, name in rows:
            cells += [w.Label(name)] + [self._number(f"eligibility.{key}.{c}", "") for c in CRITERIA]
        return w.GridBox(cells, layout=w.Layout(grid_template_columns="6em " + " ".join(["10em"] * len(CRITERIA))))

    @staticmethod
    def _out(css: str) -> w.HTML:
        out = w.HTML("")
        out.add_class(css)
        return out

    def _ipython_display_(self):  # display(explorer) shows the page
        from IPython.display import display

        display(self.widget)

    # ------------------------------------------------------------------ events
    def _on_lever(self, path: str) -> None:
        if self._quiet:
            return
        if path in ("value_index.weights.premium", "value_index.weights.loyalty"):
            c = self.controls
            rest = round(1 - c["value_index.weights.premium"].value - c["value_index.weights.loyalty"].value, 12)
            if 0 <= rest <= 1:
                with self._hold():
                    c["value_index.weights.profit"].value = rest
        self.recompute()

    def _hold(self):
        explorer = self

        class _Hold:
            def __enter__(self):
                explorer._quiet = True

            def __exit__(self, *exc):
                explorer._quiet = False

        return _Hold()

    def _show_branch_places(self) -> None:
        b = self.branch.value
        value = self.branch_settings.get(b, self._branch_default(b))
        with self._hold():
            self.branch_places.value = int(value)

    def _branch_default(self, branch: str) -> int:
        if self.result is not None:
            return int(self.result.tiering.capacity.get(branch, 0))
        return int(self.whatif.capacity.get(branch, 0))

    def _on_branch_places(self, value) -> None:
        if self._quiet:
            return
        b = self.branch.value
        base = int(self.whatif.capacity.get(b, 0))
        previous = dict(self.branch_settings)
        if value == base:
            self.branch_settings.pop(b, None)
        else:
            self.branch_settings[b] = value
        if not self.recompute():
            self.branch_settings = previous

    def _on_start(self, name: str) -> None:
        policy, places = self.scenarios[name]() if name else (None, {})
        settings = self.whatif.settings_of(policy) if policy is not None else {}
        with self._hold():
            for path, box in self.controls.items():
                box.value = self._shown(path, settings.get(path, get_path(self.base_values, path)))
        self.extra = {p: v for p, v in settings.items() if p not in self.controls}
        cap = self.whatif.capacity
        self.branch_settings = {b: int(v) for b, v in places.items() if b in cap.index and int(v) != int(cap[b])}
        self._show_branch_places()
        self.recompute()

    def _reset(self) -> None:
        if self.start.value:
            self.start.value = ""  # fires _on_start
        else:
            self._on_start("")

    # ------------------------------------------------------------------ answer
    def settings(self) -> dict:
        """The setting the controls show: every lever whose value differs from the base policy's
        (in the policy's units), the branch places changed, and what a started scenario set
        beyond the levers."""
        out = dict(self.extra)
        for path, box in self.controls.items():
            value = self._policy_value(path, box.value)
            base = get_path(self.base_values, path)
            if value is None or not isinstance(value, (int, float)) or abs(value - base) > 1e-12 * max(1.0, abs(base)):
                out[path] = value
        out.update({f"{BRANCH_PLACES}.{b}": v for b, v in self.branch_settings.items()})
        return out

    def recompute(self) -> bool:
        """Answer the controls' setting; a refused one is said and changes nothing (False)."""
        t0 = time.perf_counter()
        try:
            result = self.whatif.apply(self.settings())
        except LeverError as exc:
            self.pending = exc
            self.message.value = f"<p class='tm-error' style='color:#b00'>{html.escape(self._error_text(exc))}</p>"
            return False
        self.pending, self.result = None, result
        self._render(time.perf_counter() - t0)
        return True

    def _render(self, seconds: float) -> None:
        r = self.result
        self.message.value = f"<p class='tm-ok'>{html.escape(self.say('timing', seconds=seconds))}</p>"
        self.counts.value = self._counts_html(r)
        self.budget.value = self._budget_html(r)
        self.entrants.value = self._movers_html(r, r.entrants(), "tm-entrants-table")
        self.leavers.value = self._movers_html(r, r.leavers(), "tm-leavers-table")
        self._show_customer()

    def _marked(self, code: str, **fields) -> str:
        """A template with each field's value in a span of class ``tm-<code>-<field>``."""
        text = html.escape(self.say(code, **{k: f"\x00{k}\x00" for k in fields}))
        for k, v in fields.items():
            text = text.replace(f"\x00{k}\x00", f"<span class='tm-{code.replace('_', '-')}-{k}'>{v}</span>")
        return f"<p>{text}</p>"

    def _counts_html(self, r) -> str:
        c = r.counts
        totals = "".join(self._marked(f"{t}_total", base=int(c.loc["total", f"{t}_base"]),
                                      scenario=int(c.loc["total", f"{t}_scenario"])) for t in ("gold", "silver"))
        head = [self.say("col.class")] + [f"{messages.word(t, self.lang)} · {self.say('col.' + s)}"
                                          for t in ("gold", "silver") for s in ("base", "scenario", "change")]
        rows = []
        for cls, row in c.iterrows():
            name = self.say("col.total") if cls == "total" else str(cls)
            cells = [f"{int(v):+,}" if k.endswith("change") else f"{int(v):,}" for k, v in row.items()]
            rows.append([name] + cells)
        return (f"<h3>{html.escape(self.say('label.counts'))}</h3>{totals}"
                + _table(head, rows, "tm-counts-table"))

    def _money(self, cny: float, sign: bool = False) -> str:
        v = cny / 1e4 if self.unit == "wan" else cny
        fmt = "{:+,.1f}" if self.unit == "wan" else "{:+,.0f}"
        return (fmt if sign else fmt.replace("+", "")).format(v)

    def _budget_text(self, r) -> str:
        return self.say("budget", base=self._money(r.budget_base), scenario=self._money(r.budget_scenario),
                        unit=_UNIT_WORD[(self.unit, self.lang)], change=self._money(r.budget_change, sign=True),
                        year=r.year or r.policy.price_index.base_year)

    def _budget_html(self, r) -> str:
        text = self._budget_text(r)
        return (f"<h3>{html.escape(self.say('label.budget'))}</h3><p class='tm-budget-line' "
                f"data-change-cny='{r.budget_change:.2f}'>{html.escape(text)}</p>")

    def _movers_html(self, r, movers: pd.DataFrame, css: str) -> str:
        if movers.empty:
            return f"<p class='{css}-none'>{html.escape(self.say('none_moved'))}</p>"
        shown = movers.head(MAX_ROWS)
        reasons = [messages.render(n, self.lang) for n in r.reason_notes(shown)]
        head = [self.say("col.customer_id"), self.say("col.name"), self.say("label.branch"),
                self.say("col.value_index"), self.say("col.reason")]
        rows = [[row.customer_id, row.name, row.branch, f"{row.value_index_before:.4f} → {row.value_index_after:.4f}",
                 reason] for row, reason in zip(shown.itertuples(index=False), reasons)]
        more = len(movers) - len(shown)
        tail = f"<p>{html.escape(self.say('more_rows', n=more))}</p>" if more > 0 else ""
        count = f"<p class='{css}-count' data-n='{len(movers)}'>{html.escape(self.say('count', n=f'{len(movers):,}'))}</p>"
        return count + _table(head, rows, css) + tail

    def _show_customer(self) -> None:
        who = self.who.value.strip()
        if not who or self.result is None:
            self.customer.value = ""
            return
        try:
            c = self.result.customer(who)
        except LeverError as exc:
            self.customer.value = f"<p class='tm-error'>{html.escape(self._error_text(exc))}</p>"
            return
        head = ["", self.say("col.base"), self.say("col.scenario")]
        rows = []
        for part, row in c.iterrows():
            rows.append([self.say(f"part.{part}")] + [_cell(part, v, self.lang) for v in row])
        a = c.attrs
        title = self.say("customer", id=a["customer_id"], name=a["name"], branch=a["branch"])
        self.customer.value = f"<p>{html.escape(title)}</p>" + _table(head, rows, "tm-customer-table")

    def summary(self) -> str:
        """One line: the Gold and Silver totals and the 附件七 budget of the setting shown."""
        r = self.result
        c = r.counts.loc["total"]
        gold = self.say("gold_total", base=int(c["gold_base"]), scenario=int(c["gold_scenario"]))
        silver = self.say("silver_total", base=int(c["silver_base"]), scenario=int(c["silver_scenario"]))
        spend = self._budget_text(r)
        return ("；" if self.lang == "zh" else "; ").join([gold, silver, spend])

    def print_summary(self) -> None:
        """Print :meth:`summary` (the notebook's checked line), except on the served page, where
        the live counts and budget above say it and a line fixed at the start would go stale."""
        if not self.served:
            print(self.summary())

    # ------------------------------------------------------------------ saving
    def save(self) -> list[str]:
        """Save the setting as a scenario (the app's ``save``); the page says what was written
        or why not. Returns the paths written ([] when refused)."""
        try:
            paths = self._save()
        except LeverError as exc:
            self.saved.value = f"<p class='tm-error' style='color:#b00'>{html.escape(self._error_text(exc))}</p>"
            return []
        name = self.name.value.strip()
        if self._load_fn is not None and name not in self.scenarios:  # the saved setting can be started from
            self.scenarios[name] = lambda n=name: self._load_fn(n)
            self.start.options = list(self.start.options) + [(name, name)]
        text = self.say("saved", files="、".join(paths) if self.lang == "zh" else ", ".join(paths), name=name)
        self.saved.value = f"<p class='tm-saved'>{html.escape(text)}</p>"
        return paths

    def _save(self) -> list[str]:
        if self.pending is not None:
            raise LeverError(str(self.pending), note("whatif.error.pending"))
        name = check_scenario_name(self.name.value)
        reason = self.reason.value.strip()
        if not reason:
            raise LeverError("no reason given", note("whatif.error.reason_empty", lever=""))
        settings = self.result.settings
        params = {p: v for p, v in settings.items() if not p.startswith(BRANCH_PLACES + ".")}
        text = scenario_text(params, reason, name, self.whatif.policy) if params else None
        table = branch_places_table(settings, self.whatif.capacity, self.whatif.branch_class)
        if text is None and table is None:
            raise LeverError("nothing to save", note("whatif.error.nothing_changed"))
        if self._save_fn is None:
            raise LeverError("saving is not available on this page", note("whatif.error.nothing_changed"))
        return [str(p) for p in self._save_fn(name, text, table)]


def _cell(part: str, value, lang: str) -> str:
    if pd.isna(value):
        return "—"
    if part == "tier":
        return messages.word(str(value), lang)
    if part.endswith("rank"):
        return f"{int(value):,}"
    return f"{float(value):.4f}"


def _table(head: list[str], rows: list[list], css: str) -> str:
    th = "".join(f"<th>{html.escape(str(h))}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in r) + "</tr>" for r in rows)
    return (f"<table class='{css}' style='border-collapse:collapse'><thead><tr>{th}</tr></thead>"
            f"<tbody>{body}</tbody></table>")
