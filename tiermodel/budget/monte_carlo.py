"""Monte Carlo forecast of the VIP service budget (第26–27条): seeded, vectorised.

:func:`simulate` draws ``n_sims`` budget years for a tier list and returns a
:class:`Forecast` (quantiles by tier, branch and payer); :func:`forecast_path` chains the
simulation over several years (fan chart); :func:`compare_count_cases` runs it under each
VIP-count case of ``budget_assumptions.vip_count_scenarios`` (churn and new business).

Every random draw comes from :func:`random_streams`, the one Monte Carlo setup of the
budget: the same seed and inputs give the same numbers.
"""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ..notes import Note, note
from ..policy import Policy
from ..result import Result
from ..vocabulary import ROW_TERMS, VIP_TIERS
from .services import PAYERS, applicable, catalogue, price_factor
from .annex7 import as_vips

#: Quantiles reported by :meth:`Forecast.quantiles` (P50, P90, P95).
QUANTILES = (0.50, 0.90, 0.95)
#: Simulated years per chunk: bounds memory, fixes the random streams.
CHUNK_SIMS = 20_000
#: Simulated years drawn at once within a chunk (from the chunk's stream, block after block),
#: so that the working arrays stay in the CPU cache; like CHUNK_SIMS it fixes the streams.
_BLOCK_SIMS = 2_000


# ----------------------------------------------------------------------------- random streams
def random_streams(seed: int, n_sims: int, chunk_sims: int | None = CHUNK_SIMS, stream: int | None = None):
    """The seeded random generators of a simulation: ``(size, generator)`` per chunk.

    Parameters
    ----------
    seed : int
        Seed of the run.
    n_sims : int
        Simulated years [years] the chunks cover.
    chunk_sims : int or None
        Simulated years per chunk; None gives one generator for all ``n_sims`` (a path
        simulated year after year, :func:`forecast_path`).
    stream : int, optional
        Sub-stream of the seed (``SeedSequence([seed, stream])``), so that two analyses of
        one run draw independent numbers from one seed.

    Yields
    ------
    (int, numpy.random.Generator)
        Chunk size [simulated years] and its SFC64 generator. The streams depend only on
        the seed, the stream and the chunk number, never on the number of chunks drawn.
    """
    root = np.random.SeedSequence(seed if stream is None else [seed, stream])
    if chunk_sims is None:
        yield int(n_sims), np.random.Generator(np.random.SFC64(root))
        return
    n_chunks = -(-n_sims // chunk_sims)
    for i, child in enumerate(root.spawn(n_chunks)):
        yield min(chunk_sims, n_sims - i * chunk_sims), np.random.Generator(np.random.SFC64(child))


# ----------------------------------------------------------------------------- cost model
@dataclass
class _CostModel:
    """Per-group cost coefficients at base-year prices, built once per simulation."""

    groups: pd.DataFrame  # tier, branch, branch_class, service_months, n, first, second
    fixed: np.ndarray  # (payer, 3, G): cost per customer, first person, second person
    random_items: list  # (kind, basis, take_up, cols, per_unit (cols,), rate (cols,), unit, payer)
    branch_items: list  # (units, member (G, B) or None = every VIP group, {payer: cost × alloc (B, G)})
    branch_member: np.ndarray | None = None  # (G, B) group → branch


def _groups(vips: pd.DataFrame) -> pd.DataFrame:
    keys = ["tier", "branch", "branch_class", "service_months"]
    g = vips.groupby(keys, sort=True).agg(n=("customer_id", "size"), first=("first_objects", "sum"),
                                           second=("second_objects", "sum")).reset_index()
    return g


def _cost_model(vips: pd.DataFrame, policy: Policy) -> _CostModel:
    items = catalogue(policy)
    g = _groups(vips)
    n_groups = len(g)
    applies = applicable(g["tier"], g["branch_class"], items) & (g["service_months"].to_numpy() > 0)[:, None]
    time_share = np.where(items["prorate"].to_numpy()[None, :], g["service_months"].to_numpy()[:, None] / 12.0, 1.0)
    per_unit = (items["per_year"].to_numpy()[None, :] * time_share * applies
                * items["unit_cost_base_cny"].to_numpy()[None, :])  # (G, items) per basis unit, before take-up
    fixed = np.zeros((len(PAYERS), 3, n_groups))
    random_items, branch_items = [], []
    branch_codes, branch_names = pd.factorize(g["branch"], sort=True)
    for j, (name, it) in enumerate(items.iterrows()):  # over services (~25), not customers
        p = PAYERS.index(it["payer"])
        if it["basis"] in ("branch", "company"):  # one per branch, or one for the whole list
            codes, n_units = (branch_codes, len(branch_names)) if it["basis"] == "branch" else \
                (np.zeros(n_groups, dtype=np.int64), 1)
            member = np.zeros((n_groups, n_units))
            member[np.arange(n_groups), codes] = applies[:, j]
            heads = g["n"].to_numpy() * applies[:, j]
            per_branch_heads = heads @ member
            with np.errstate(divide="ignore", invalid="ignore"):
                alloc = np.where(member.T > 0, heads[None, :] / per_branch_heads[:, None], 0.0)
            cost = it["per_year"] * it["take_up"] * it["unit_cost_base_cny"]
            branch_items.append((p, member, alloc, cost))
        elif it["variation"] == "none":
            coef = per_unit[:, j] * it["take_up"]
            if it["basis"] in ("customer", "event"):
                fixed[p, 0] += coef
            if it["basis"] in ("first_object", "service_object"):
                fixed[p, 1] += coef
            if it["basis"] in ("second_object", "service_object"):
                fixed[p, 2] += coef
        else:
            cols = np.flatnonzero(applies[:, j])
            if len(cols):
                rate = items["per_year"].iloc[j] * time_share[cols, j] * it["take_up"]
                random_items.append((it["variation"], it["basis"], it["take_up"], cols,
                                     per_unit[cols, j], rate, it["unit_cost_base_cny"], p))
    branch_member = np.zeros((n_groups, len(branch_names)))
    branch_member[np.arange(n_groups), branch_codes] = 1.0
    return _CostModel(g, fixed, random_items, _merge_unit_items(branch_items, n_groups), branch_member)


def _merge_unit_items(branch_items: list, n_groups: int) -> list:
    """Branch (and company) services sharing one membership pattern, merged.

    A service whose branches it applies to are served in full (every VIP group of such a
    branch qualifies) is active exactly where the branch has VIPs at all, so its cost can be
    added to the allocation of the all-VIP membership: one product a simulation instead of
    one per service. Others keep their own membership.
    """
    merged: dict = {}
    for p, member, alloc, cost in branch_items:
        n_units = member.shape[1]
        full = (member.sum(axis=0) > 0)  # units the service applies to
        key_member = member
        if n_units:
            owner = member.argmax(axis=1) if n_units > 1 else np.zeros(n_groups, dtype=np.int64)
            covered = full[owner] if n_units > 1 else np.full(n_groups, bool(full[0]))
            if np.array_equal(member.sum(axis=1) > 0, covered):  # whole units: use all-VIP pattern
                key_member = None
        key = (n_units, None if key_member is None else member.tobytes())
        if key not in merged:
            merged[key] = [member if key_member is not None else None, {}]
        comb = merged[key][1]
        comb[p] = comb.get(p, 0.0) + cost * alloc
    out = []
    for (n_units, raw), (member, comb) in merged.items():
        out.append((n_units, member, comb))
    return out


def count_case_name(policy: Policy, count_case: str | None = None) -> str:
    """The VIP-count case in force: ``count_case``, else ``budget_assumptions.vip_count_scenario``.

    Parameters
    ----------
    policy : Policy
        Supplies ``budget_assumptions`` (churn and new business per case, assumed).
    count_case : str, optional
        A key of ``budget_assumptions.vip_count_scenarios``.

    Returns
    -------
    str
        The case's name.

    Raises
    ------
    ParameterError
        No such case in the parameters.
    """
    ba = policy.budget_assumptions
    name = count_case or ba.vip_count_scenario
    if name not in ba.vip_count_scenarios:
        raise ParameterError("<budget>", "budget_assumptions.vip_count_scenarios",
                             f"no VIP-count case '{name}'; known: {', '.join(sorted(ba.vip_count_scenarios))}")
    return name


def count_case_word(name: str) -> Note:
    """A VIP-count case named for a reader: a case the vocabulary names (``base``,
    ``high_churn``, ``growth``) by its word, a case of the user's own scenario by its name."""
    return note("budget.count_case", case=name) if name in ROW_TERMS else note("budget.count_case_named", name=name)


def _count_rates(policy: Policy, tiers: np.ndarray, count_case: str | None) -> tuple[np.ndarray, np.ndarray]:
    case = policy.budget_assumptions.vip_count_scenarios[count_case_name(policy, count_case)]
    gold = tiers == "gold"
    return np.where(gold, case.gold_churn, case.silver_churn), np.where(gold, case.gold_new, case.silver_new)


def _gold_places(groups: pd.DataFrame, policy: Policy) -> tuple[np.ndarray, int]:
    """Which groups are Gold, and the Gold places of 第13条 (30 existing + 10 new)."""
    gs = policy.gold_selection
    return groups["tier"].to_numpy() == "gold", gs.existing_places + gs.new_places


def _cap_gold(n_next: np.ndarray, gold: np.ndarray, places: int) -> np.ndarray:
    """Hold each simulated year's Gold count within its places (第13条: 30–40 a year).

    Where the Gold groups of a simulated year hold more than ``places`` customers, they are
    scaled down to exactly ``places`` by largest remainders, so no group is favoured by its
    position. ``n_next`` is (simulations, groups), changed in place; ``gold`` marks the Gold
    groups.
    """
    counts = n_next[:, gold]
    total = counts.sum(axis=1, keepdims=True)
    over = total[:, 0] > places
    if not over.any():
        return n_next
    scaled = counts[over] * (places / total[over])
    kept = np.floor(scaled).astype(n_next.dtype)
    short = places - kept.sum(axis=1, keepdims=True)
    order = np.argsort(-(scaled - kept), axis=1, kind="stable")
    bonus = np.zeros_like(kept)
    np.put_along_axis(bonus, order, (np.arange(kept.shape[1])[None, :] < short).astype(kept.dtype), axis=1)
    rows = np.flatnonzero(over)
    n_next[np.ix_(rows, np.flatnonzero(gold))] = kept + bonus
    return n_next


def _draw_people(rng, n_now, first_now, second_now, churn, new, share_first, share_second,
                 gold=None, gold_places=None):
    """The year's customers and key persons per group (第16条: 1–2 of each kind).

    Customers lost ~ Binomial(n, churn), new business ~ Poisson(n × new); the Gold groups
    together never exceed ``gold_places`` (:func:`_cap_gold`). The customers that stay keep
    their key persons; each customer gained or lost has two key persons of a kind with the
    group's observed share, else one. Key persons stay between one and two a customer.
    """
    change = rng.poisson(n_now * new)
    change -= rng.binomial(n_now, churn)
    n_next = n_now + change
    if gold is not None and gold.any():
        n_next = _cap_gold(n_next, gold, gold_places)
        change = n_next - n_now
    size = np.abs(change)
    sign = np.sign(change)
    twice = 2 * n_next
    several = np.flatnonzero(size.ravel() > 1)  # rare: a group gaining/losing two or more
    people = []
    for now, share in ((first_now, share_first), (second_now, share_second)):
        # Binomial(size, share) key persons with two of a kind: one uniform where size ≤ 1
        # (almost every cell), a binomial draw only for the rare cells with size ≥ 2
        persons = (rng.random(size.shape) < share).astype(size.dtype)
        persons *= size
        if len(several):
            flat = persons.reshape(-1)
            shares = np.broadcast_to(share, size.shape).reshape(-1)
            flat[several] = rng.binomial(size.reshape(-1)[several], shares[several])
        persons *= sign
        persons += change
        persons += now
        people.append(np.clip(persons, n_next, twice, out=persons))
    return n_next, people[0], people[1]


def _two_person_shares(groups: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Share of a group's customers with two key persons of the first and second kind."""
    n = groups["n"].to_numpy(dtype=float)
    return (np.clip(groups["first"].to_numpy() / n - 1.0, 0.0, 1.0),
            np.clip(groups["second"].to_numpy() / n - 1.0, 0.0, 1.0))


def _year_cost(rng, model: _CostModel, n, first, second, out=None, tables=None) -> np.ndarray:
    """Cost (payers × sims × groups) at base-year prices for given people counts.

    With ``tables`` (:func:`_tables`), the participation and event draws come from their
    exact inverse-CDF tables, one uniform a cell; without, from numpy's samplers.
    """
    n_sims, n_groups = n.shape
    if out is None:
        out = np.empty((len(PAYERS), n_sims, n_groups))
    people = [np.asarray(x, dtype=np.float64) for x in (n, first, second)]  # one conversion each
    term = np.empty((n_sims, n_groups))
    for p in range(len(PAYERS)):
        f = model.fixed[p]
        np.multiply(people[0], f[0], out=out[p])
        for x, coef in zip(people[1:], f[1:]):
            out[p] += np.multiply(x, coef, out=term)
    units = {"customer": n, "event": n, "first_object": first, "second_object": second}
    for i, (kind, basis, take_up, cols, per_unit, rate, unit_cost, p) in enumerate(model.random_items):
        whole = len(cols) == n_groups  # every group: no column selection
        if basis == "service_object":
            x = first + second if whole else first[:, cols] + second[:, cols]
        else:
            x = units[basis] if whole else units[basis][:, cols]
        if tables is not None:
            drawn = tables.items[i].draw(rng, x) * (per_unit if kind == "participation" else unit_cost)
            if whole:
                out[p] += drawn
            else:
                out[p][:, cols] += drawn
        elif kind == "participation":
            out[p][:, cols] += rng.binomial(x, take_up) * per_unit
        else:  # poisson: events among the units
            out[p][:, cols] += rng.poisson(x * rate) * unit_cost
    _branch_cost(model, n, out)
    return out


def _branch_cost(model: _CostModel, n, out) -> None:
    """Add the branch (and company) services, paid where such VIPs are left [CNY].

    A group's share of a service (``alloc``) sits in the row of the group's own branch (or of
    the one company unit), so its cost is its share where that unit keeps such VIPs: no
    matrix product.
    """
    if not model.branch_items:
        return
    n_groups = n.shape[1]
    has = n > 0
    empty_sims, empty_groups = np.nonzero(~has)  # cells whose group has no VIP left
    codes = model.branch_member.argmax(axis=1) if model.branch_member.shape[1] else np.zeros(n_groups, np.intp)
    for n_units, member, comb in model.branch_items:
        if n_units == 1 and member is None:  # the whole list: paid while any VIP is left
            left = has.any(axis=1)[:, None]
            for p, alloc in comb.items():
                np.add(out[p], alloc[0], out=out[p], where=left)
            continue
        unit = codes if n_units > 1 else np.zeros(n_groups, dtype=np.intp)
        counted = np.ones(n_groups, bool) if member is None else member[np.arange(n_groups), unit] > 0
        if not counted.any():
            continue
        # a group's unit keeps such VIPs where the group does, or else where one of its peers
        # (the unit's counted groups) does: only the cells with none left need a look
        same = (unit[:, None] == unit[None, :]) & counted[None, :]
        peers = np.argsort(~same, axis=1, kind="stable")[:, :int(same.sum(axis=1).max())]
        real = np.take_along_axis(same, peers, axis=1)
        left = has.copy()
        if len(empty_sims):
            left[empty_sims, empty_groups] = (has[empty_sims[:, None], peers[empty_groups]]
                                              & real[empty_groups]).any(axis=1)
        for p, alloc in comb.items():
            share = np.where(counted, alloc[unit, np.arange(n_groups)], 0.0)
            np.add(out[p], share, out=out[p], where=left)


def _price_draws(rng, policy: Policy, year: int, n_sims: int) -> np.ndarray:
    """Price level per simulated year [-]: mean :func:`price_factor`, log-normal spread
    ``annual_rate_sd × sqrt(years from base)``."""
    years = abs(int(year) - policy.price_index.base_year)
    sd = policy.price_index.annual_rate_sd * np.sqrt(years)
    z = rng.standard_normal(n_sims)
    return price_factor(policy, year) * np.exp(sd * z - 0.5 * sd * sd)


# ----------------------------------------------------------------------------- exact table draws
#: Bits of a uniform that pick a guide bin of an inverse-CDF table (2**bits bins a row).
_GUIDE_BITS = 10


@dataclass
class _Inverse:
    """Inverse-CDF tables of a family of discrete distributions, one row each (exact draws).

    A draw takes one 64-bit uniform ``r``: its 53-bit fraction ``u = (r >> 11) / 2**53`` (as
    numpy's ``random``) gives the value ``#{k : cdf[k] <= u}``, the inverse CDF. The top
    ``bits`` of ``r`` pick a bin of ``[0, 1)``; ``guide`` holds the value for bins that hold
    only one value (almost all of them) and ``-1 - first value`` for the others, where the
    value is found by comparing ``u`` with the row's CDF. The CDF is ``inf`` from the row's
    largest possible value on: probability lost to rounding (< 1e-15) falls on that value,
    never on an impossible one.
    """

    guide: np.ndarray  # (rows << bits,) int16
    cdf: np.ndarray  # (rows, width) float64
    bits: int


def _inverse(pmf: np.ndarray, bits: int = _GUIDE_BITS) -> _Inverse:
    """Inverse-CDF tables of the rows of ``pmf`` (rows, width) [probability]."""
    rows, width = pmf.shape
    cdf = np.cumsum(pmf, axis=1)
    last = width - 1 - np.argmax(pmf[:, ::-1] > 0, axis=1)  # the row's largest possible value
    cdf[np.arange(width)[None, :] >= last[:, None]] = np.inf
    m = 1 << bits
    scaled = np.minimum(cdf * m, m)  # exact: m is a power of two
    base = (np.arange(rows) * (m + 1))[:, None]
    # bin j holds u in [j/m, (j+1)/m): its first value counts the cdf[k] <= j/m (k with
    # ceil(cdf[k] m) <= j); its last at most the cdf[k] < (j+1)/m (floor(cdf[k] m) <= j),
    # an upper bound, so a bin is marked single-valued only when it is
    lo = np.bincount((base + np.ceil(scaled).astype(np.intp)).ravel(), minlength=rows * (m + 1))
    hi = np.bincount((base + np.floor(scaled).astype(np.intp)).ravel(), minlength=rows * (m + 1))
    lo = np.cumsum(lo.reshape(rows, m + 1), axis=1)[:, :m]
    hi = np.cumsum(hi.reshape(rows, m + 1), axis=1)[:, :m]
    if width >= np.iinfo(np.int16).max:
        raise ValueError("inverse-CDF table too wide")
    guide = np.where(lo == hi, lo, -1 - lo).astype(np.int16).ravel()
    return _Inverse(guide, cdf, bits)


def _draw(table: _Inverse, rng, start: np.ndarray, shape, rows: np.ndarray | None = None) -> np.ndarray:
    """One exact draw per cell of ``shape`` (value index, int16).

    Cell ``(s, g)`` draws from row ``start[g] >> bits`` (+ ``rows[s, g]``) of ``table``;
    ``start`` (groups,) is already shifted left by the table's bits.
    """
    raw = rng.bit_generator.random_raw(int(np.prod(shape))).reshape(shape)
    idx = (raw >> np.uint64(64 - table.bits)).view(np.intp)  # the bin: top bits of the uniform
    idx += start
    if rows is not None:
        rows <<= table.bits
        idx += rows
    value = table.guide.take(idx)
    several = np.flatnonzero(value < 0)  # bins with two values or more: compare with the CDF
    if len(several):
        flat = value.reshape(-1)
        row = idx.reshape(-1)[several] >> table.bits
        u = (raw.reshape(-1)[several] >> np.uint64(11)) * 2.0 ** -53
        k = (-1 - flat[several]).astype(np.intp)
        while True:
            up = u >= table.cdf[row, k]
            if not up.any():
                break
            k += up
        flat[several] = k
    return value


@dataclass
class _Family:
    """Tables of one distribution per group and units ``k = 0 … top[g]``.

    Group ``g``'s row for ``k`` units is ``start[g] + k``; units above ``top[g]`` (rare: the
    tables cover all but < 1e-12 of a group's counts) are drawn by numpy's exact samplers.
    """

    table: _Inverse
    top: np.ndarray  # (groups,) int32: largest units with a row
    start: np.ndarray  # (groups,) intp: first row of the group, shifted by the table's bits
    kind: str  # "binomial" (p per group) or "poisson" (rate per unit and group)
    param: np.ndarray  # (groups,)

    def draw(self, rng, units: np.ndarray) -> np.ndarray:
        """Binomial(units, p) or Poisson(units × rate) per cell; ``units`` (sims, groups) int32."""
        outside = (units.max(axis=0, initial=0) > self.top).any()
        rows = np.minimum(units, self.top) if outside else np.array(units, dtype=np.int32)
        value = _draw(self.table, rng, self.start, units.shape, rows)
        if outside:  # units beyond the tables (rare): numpy's exact draws
            beyond = np.nonzero(units > self.top)
            k, p = units[beyond], self.param[beyond[1]]
            value[beyond] = rng.binomial(k, p) if self.kind == "binomial" else rng.poisson(k * p)
        return value


def _poisson_width(mean: float) -> int:
    """Values 0 … w − 1 a Poisson table of means up to ``mean`` holds: the tail beyond < 1e-20."""
    from scipy import stats

    v = np.arange(int(mean + 20 * np.sqrt(mean) + 40))
    return int(np.argmax(stats.poisson.sf(v, mean) < 1e-20)) + 1


def _family(kind: str, param: np.ndarray, top: np.ndarray, bits: int = 8) -> _Family:
    """Exact tables of Binomial(k, p_g) or Poisson(k × rate_g) for ``k = 0 … top[g]``."""
    from scipy import stats

    param = np.asarray(param, dtype=float)
    top = np.asarray(top, dtype=np.int32)
    group = np.repeat(np.arange(len(top)), top + 1)  # one row per group and units
    first = np.concatenate([[0], np.cumsum(top + 1)[:-1]]).astype(np.intp)
    k = np.arange(len(group)) - first[group]
    if kind == "binomial":
        width = int(top.max(initial=0)) + 1
        pmf = stats.binom.pmf(np.arange(width)[None, :], k[:, None], param[group][:, None])
    else:
        width = _poisson_width(float((top * param).max(initial=0.0)))
        pmf = stats.poisson.pmf(np.arange(width)[None, :], (k * param[group])[:, None])
    return _Family(_inverse(pmf.reshape(len(group), width), bits=bits), top, first << bits, kind, param)


def _net_change_table(n0: np.ndarray, churn: np.ndarray, new: np.ndarray) -> _Inverse:
    """Exact tables of next year's customers per group, ``n + Poisson(n × new) − Binomial(n, churn)``.

    Row ``g`` is group ``g``; the value index is the count itself [customers].
    """
    from scipy import stats

    n0 = np.asarray(n0, dtype=np.int64)
    gains = _poisson_width(float((n0 * new).max(initial=0.0)))
    width = int(n0.max(initial=0)) + gains
    pmf = np.zeros((len(n0), width))
    for g, (n, c, w) in enumerate(zip(n0, churn, new)):  # over groups (~100), not simulations
        stay = stats.binom.pmf(np.arange(n + 1), n, 1.0 - c)  # customers kept
        gain = stats.poisson.pmf(np.arange(gains), n * w)
        pmf[g, :n + gains] = np.convolve(stay, gain)
    return _inverse(pmf, bits=12)


@dataclass
class _Tables:
    """The exact inverse-CDF tables of one simulation (built once, shared by its chunks)."""

    change: _Inverse  # next year's customers per group
    first: _Family  # key persons with two of the first kind among |change| customers
    second: _Family
    items: list  # one _Family per ``_CostModel.random_items`` entry


def _tables(model: _CostModel, n0, churn, new, share_first, share_second) -> _Tables:
    change = _net_change_table(n0, churn, new)
    # a group's counts: all but < 1e-12 of them up to ``most`` [customers]; key persons
    # between one and two a customer (第16条)
    most = np.argmax(change.cdf >= 1.0 - 1e-12, axis=1).astype(np.int32)
    tops = {"customer": most, "event": most, "first_object": 2 * most, "second_object": 2 * most,
            "service_object": 4 * most}
    items = []
    for kind, basis, take_up, cols, per_unit, rate, unit_cost, p in model.random_items:
        items.append(_family("binomial", np.full(len(cols), take_up), tops[basis][cols]) if kind == "participation"
                     else _family("poisson", rate, tops[basis][cols]))
    moved = np.maximum(np.asarray(n0, dtype=np.int32), most - np.asarray(n0, dtype=np.int32))  # |change|
    return _Tables(change, _family("binomial", share_first, moved), _family("binomial", share_second, moved),
                   items)


def _draw_people_tables(rng, tables: _Tables, size: int, n0, f0, s0, gold, places):
    """:func:`_draw_people` for one chunk of ``size`` simulated years, by exact table draws.

    Next year's customers per group ~ n + Poisson(n × new) − Binomial(n, churn) (one uniform
    a cell, from the group's table); the Gold groups held within their places; key persons
    with two of a kind among the customers gained or lost ~ Binomial(|change|, share).
    """
    n_groups = len(n0)
    n = _draw(tables.change, rng, np.arange(n_groups, dtype=np.intp) << tables.change.bits,
              (size, n_groups)).astype(np.int32)
    if gold is not None and gold.any():
        n = _cap_gold(n, gold, places)
    change = n - np.asarray(n0, dtype=np.int32)
    size_ = np.abs(change)
    sign = np.sign(change)
    twice = 2 * n
    people = []
    for family, now in ((tables.first, f0), (tables.second, s0)):
        persons = family.draw(rng, size_).astype(np.int32)
        persons *= sign
        persons += change
        persons += np.asarray(now, dtype=np.int32)
        people.append(np.clip(persons, n, twice, out=persons))
    return n, people[0], people[1]


# ----------------------------------------------------------------------------- result
@dataclass
class Forecast(Result):
    """Simulated yearly costs (result of :func:`simulate`).

    ``cost`` is (payers × simulations × groups) [CNY, forecast-year prices]; ``groups`` says
    each group's tier, branch, class and service months; ``vip_count`` is (simulations ×
    groups) customers; ``count_case`` names the VIP-count case simulated.
    """

    groups: pd.DataFrame
    cost: np.ndarray
    vip_count: np.ndarray
    year: int
    seed: int
    count_case: str
    notes: list[Note] = field(default_factory=list)

    @property
    def n_sims(self) -> int:
        """Simulated years [years]."""
        return self.cost.shape[1]

    def totals(self, by: str = "total") -> pd.DataFrame:
        """Simulated totals [CNY, forecast-year prices] (第26条 2).

        Parameters
        ----------
        by : {"total", "tier", "branch", "payer"}
            One column per tier, branch or payer, or one ``total`` column.

        Returns
        -------
        DataFrame
            One row per simulated year [CNY].
        """
        if by == "total":
            return pd.DataFrame({"total": self.cost.sum(axis=(0, 2))})
        if by == "payer":
            return pd.DataFrame(self.cost.sum(axis=2).T, columns=list(PAYERS))
        if by not in ("tier", "branch"):
            raise ValueError(f"by must be 'total', 'tier', 'branch' or 'payer', not {by!r}")
        per_group = self.cost.sum(axis=0)
        codes, names = pd.factorize(self.groups[by], sort=True)
        member = np.zeros((len(self.groups), len(names)))
        member[np.arange(len(self.groups)), codes] = 1.0
        return pd.DataFrame(per_group @ member, columns=list(names))

    def quantiles(self, by: str = "total", q=QUANTILES) -> pd.DataFrame:
        """Mean and quantiles of the simulated totals [CNY] (第26条 2).

        Parameters
        ----------
        by : {"total", "tier", "branch", "payer"}
            As :meth:`totals`.
        q : sequence of float
            Quantiles [share, 0–1]; default P50, P90, P95.

        Returns
        -------
        DataFrame
            One row per ``by`` value: ``mean`` and ``P50`` … [CNY].
        """
        t = self.totals(by)
        out = pd.DataFrame({"mean": t.mean()})
        for level, values in zip(q, np.quantile(t.to_numpy(), q, axis=0)):
            out[f"P{round(level * 100)}"] = values
        out.index.name = by
        return out

    def summary(self) -> pd.DataFrame:
        """Mean, P50, P90, P95 [CNY] of the total, each tier and each payer."""
        parts = [self.quantiles("total"), self.quantiles("tier"), self.quantiles("payer")]
        out = pd.concat(parts)
        out.index.name = "total / tier / payer"
        return out

    def vip_count_quantiles(self, q=(0.05, 0.5, 0.95)) -> pd.DataFrame:
        """Simulated VIP customers by tier (第13条 places, churn and new business).

        Parameters
        ----------
        q : sequence of float
            Quantiles [share, 0–1]; default P5, P50, P95.

        Returns
        -------
        DataFrame
            Rows gold and silver: ``mean`` and the quantiles [customers].
        """
        rows = {}
        for tier in VIP_TIERS:
            counts = self.vip_count[:, (self.groups["tier"] == tier).to_numpy()].sum(axis=1)
            rows[tier] = [counts.mean(), *np.quantile(counts, q)]
        return pd.DataFrame.from_dict(rows, orient="index",
                                      columns=["mean"] + [f"P{round(x * 100)}" for x in q])

    def tables(self) -> dict[str, pd.DataFrame]:
        """Quantiles of the total, tiers and payers; by branch; the simulated VIP counts."""
        return {"forecast summary": self.summary(), "forecast by branch": self.quantiles("branch"),
                "forecast VIP count": self.vip_count_quantiles()}


# ----------------------------------------------------------------------------- simulations
def simulate(tier_table: pd.DataFrame, policy: Policy, year: int | None = None,
             n_sims: int = 100_000, seed: int = 2003, count_case: str | None = None,
             progress: bool = False) -> Forecast:
    """Monte Carlo of the budget year (第26条 2, 第27条 2): ``n_sims`` simulated years, seeded.

    Per group of VIPs (tier × branch × service months) and simulated year: customers lost
    ~ Binomial(n, churn), new business ~ Poisson(n × new) (the VIP-count case of
    ``budget_assumptions.vip_count_scenarios``); the Gold groups held within the 第13条
    places; customers that stay keep their key persons, each customer gained or lost has
    1 or 2 of each kind (第16条; two at the group's observed share); services with
    ``variation: participation`` taken up ~ Binomial(units, take_up); ``poisson`` services
    (hospitalisations, celebrations) ~ Poisson(units × per_year × months/12); branch
    services paid while a branch keeps VIPs; the price level log-normal around
    :func:`~tiermodel.budget.services.price_factor`.

    The draws are exact, not approximations: each group's next-year count (the convolution
    of its kept Binomial and its new Poisson), its key persons, events and take-up come from
    inverse-CDF tables of those distributions built once a call (one 64-bit uniform a cell,
    resolved against the CDF where a guide bin holds two values; numpy's own samplers for
    the rare counts beyond a table). The chunks of :data:`CHUNK_SIMS` simulated years run
    side by side; the numbers depend only on the seed and inputs.

    The mean is **below** the deterministic :func:`~tiermodel.budget.annex7.estimate`
    whenever the Gold list is full (40 of 40 places, 第13条), even where churn equals new
    business: a simulated year with more Gold gains than losses is cut back to the places,
    one with fewer is not topped up, so the cap only ever moves the Gold count down. Branch
    services also stop when a branch loses all its VIPs. Only with Gold places to spare and
    churn equal to new business does the mean match the estimate (within Monte Carlo error).

    Parameters
    ----------
    tier_table : DataFrame
        ``Tiering.table`` (or :func:`~tiermodel.budget.annex7.vip_table`'s output).
    policy : Policy
        Supplies the catalogue, the VIP-count cases, the Gold places and the price index.
    year : int, optional
        Forecast year [year] (default: the price index's base year).
    n_sims : int
        Simulated years [years] (≥ 1).
    seed : int
        Seed; the same seed and inputs give the same numbers.
    count_case : str, optional
        VIP-count case (default ``budget_assumptions.vip_count_scenario``).
    progress : bool
        Show a progress bar over chunks of 20,000 simulated years.

    Returns
    -------
    Forecast
        Cost per payer, simulated year and group [CNY, ``year`` prices] and VIP counts.
    """
    if int(n_sims) < 1:
        raise ValueError(f"n_sims must be at least 1, not {n_sims}")
    year = policy.price_index.base_year if year is None else int(year)
    vips = as_vips(tier_table, policy)
    model = _cost_model(vips, policy)
    g = model.groups
    name = count_case_name(policy, count_case)
    churn, new = _count_rates(policy, g["tier"].to_numpy(), name)
    gold, places = _gold_places(g, policy)
    n0, f0, s0 = (g[c].to_numpy() for c in ("n", "first", "second"))
    share_first, share_second = _two_person_shares(g)
    n_sims = int(n_sims)
    cost = np.empty((len(PAYERS), n_sims, len(g)))
    counts = np.empty((n_sims, len(g)), dtype=np.int32)
    tables = _tables(model, n0, churn, new, share_first, share_second)
    chunks = list(random_streams(seed, n_sims))
    starts = np.cumsum([0] + [size for size, _ in chunks])

    def run(k):
        size, rng = chunks[k]
        for lo in range(0, size, _BLOCK_SIMS):  # blocks small enough to stay in the CPU cache
            m = min(_BLOCK_SIMS, size - lo)
            rows = slice(starts[k] + lo, starts[k] + lo + m)
            n, first, second = _draw_people_tables(rng, tables, m, n0, f0, s0, gold, places)
            _year_cost(rng, model, n, first, second, out=cost[:, rows], tables=tables)
            cost[:, rows] *= _price_draws(rng, policy, year, m)[None, :, None]
            counts[rows] = n

    # chunks have their own streams and rows: run side by side (numpy releases the GIL while
    # drawing and computing), the numbers do not depend on how many run at once
    workers = max(1, min(len(chunks), os.cpu_count() or 1, 4))
    done = range(len(chunks))
    if progress:
        from tqdm.auto import tqdm
        done = tqdm(done, total=len(chunks), desc=f"simulating {n_sims:,} years", unit="chunk")
    if workers > 1:
        with ThreadPoolExecutor(workers) as pool:
            for _ in pool.map(run, done):
                pass
    else:
        for k in done:
            run(k)
    notes = [note("budget.simulated", sims=n_sims, seed=seed, case=count_case_word(name), year=year)]
    return Forecast(g, cost, counts, year, seed, name, notes)


def forecast_path(tier_table: pd.DataFrame, policy: Policy, first_year: int, n_years: int = 5,
                  n_sims: int = 10_000, seed: int = 2003, count_case: str | None = None,
                  q=(0.05, 0.25, 0.5, 0.75, 0.95)) -> pd.DataFrame:
    """Total yearly cost over ``n_years`` from ``first_year``, for a fan chart [CNY] (第26条 2).

    The simulation of :func:`simulate` chained year to year: each year's VIPs start from
    the last year's simulated counts; prices grow by ``annual_rate`` with spread
    ``annual_rate_sd`` a year.

    Parameters
    ----------
    tier_table : DataFrame
        ``Tiering.table`` (or :func:`~tiermodel.budget.annex7.vip_table`'s output).
    policy : Policy
        As for :func:`simulate`.
    first_year : int
        First year of the path [year].
    n_years : int
        Years on the path [years].
    n_sims : int
        Simulated paths.
    seed : int
        Seed (stream 1 of :func:`random_streams`).
    count_case : str, optional
        VIP-count case (default ``budget_assumptions.vip_count_scenario``).
    q : sequence of float
        Quantiles to report [share, 0–1].

    Returns
    -------
    DataFrame
        One row per year: ``mean`` and ``P5`` … ``P95`` of the total [CNY, that year's prices].
    """
    vips = as_vips(tier_table, policy)
    model = _cost_model(vips, policy)
    g = model.groups
    churn, new = _count_rates(policy, g["tier"].to_numpy(), count_case)
    gold, places = _gold_places(g, policy)
    n0 = g["n"].to_numpy()
    share_first, share_second = _two_person_shares(g)
    rate, sd = policy.price_index.annual_rate, policy.price_index.annual_rate_sd
    (_, rng), = random_streams(seed, n_sims, chunk_sims=None, stream=1)
    n_now = np.broadcast_to(n0, (n_sims, len(g)))
    first, second = (np.broadcast_to(g[c].to_numpy(), (n_sims, len(g))) for c in ("first", "second"))
    prices = _price_draws(rng, policy, first_year, n_sims)
    rows = []
    for k in range(n_years):  # over years, each vectorised over simulations and groups
        if k:
            prices = prices * (1 + rate) * np.exp(sd * rng.standard_normal(n_sims) - 0.5 * sd * sd)
        n_now, first, second = _draw_people(rng, n_now, first, second, churn, new, share_first,
                                            share_second, gold, places)
        total = _year_cost(rng, model, n_now, first, second).sum(axis=(0, 2)) * prices
        rows.append([first_year + k, total.mean(), *np.quantile(total, q)])
    return pd.DataFrame(rows, columns=["year", "mean"] + [f"P{round(x * 100)}" for x in q]).set_index("year")


def compare_count_cases(tier_table: pd.DataFrame, policy: Policy, year: int | None = None,
                        n_sims: int = 20_000, seed: int = 2003) -> pd.DataFrame:
    """The budget under each VIP-count case of ``budget_assumptions.vip_count_scenarios``.

    Parameters
    ----------
    tier_table : DataFrame
        ``Tiering.table`` (or :func:`~tiermodel.budget.annex7.vip_table`'s output).
    policy : Policy
        As for :func:`simulate` (第26–27条).
    year : int, optional
        Forecast year [year].
    n_sims : int
        Simulated years per case [years].
    seed : int
        Seed; every case uses the same streams.

    Returns
    -------
    DataFrame
        One row per case (index ``count_case``): ``mean``, ``P50``, ``P90``, ``P95`` of the
        total [CNY] and ``gold_mean``, ``silver_mean`` [customers].
    """
    vips = as_vips(tier_table, policy)
    rows = {}
    for name in policy.budget_assumptions.vip_count_scenarios:
        fc = simulate(vips, policy, year, n_sims, seed, name)
        row = fc.quantiles("total").loc["total"].to_dict()
        counts = fc.vip_count_quantiles()["mean"]
        row.update(gold_mean=counts["gold"], silver_mean=counts["silver"])
        rows[name] = row
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "count_case"
    return out


__all__ = ["CHUNK_SIMS", "QUANTILES", "Forecast", "compare_count_cases", "count_case_name", "count_case_word",
           "forecast_path", "random_streams", "simulate"]
