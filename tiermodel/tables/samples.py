"""The bundled synthetic samples: a seeded customer book and branch table, earlier years of
the book, and seeded event tables (service, survey, complaints, executives, delivery,
hotline, policies). Same seed, same table. The samples are raw tables: the readers'
validators check them like a file.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..vocabulary import ANSWER_LEVELS, BRANCH_CLASSES, HEAD_OFFICE_DEPARTMENTS, SERVICE_TYPES
from .schema import HOTLINE_SERVICE_TYPES, LOSS_RATIO_MAX


# ----------------------------------------------------------------------------- synthetic sample
#: The sample's branches, named as a Chinese core system exports them ("北京分公司"), by class.
BRANCH_NAMES = {
    "A": ["北京分公司", "上海分公司", "广东分公司", "深圳分公司", "江苏分公司", "浙江分公司"],
    "B": ["山东分公司", "四川分公司", "湖北分公司", "福建分公司", "辽宁分公司", "天津分公司", "河南分公司",
          "湖南分公司", "重庆分公司", "厦门分公司"],
    "C": ["安徽分公司", "河北分公司", "陕西分公司", "云南分公司", "江西分公司", "广西分公司", "山西分公司",
          "黑龙江分公司", "吉林分公司", "青岛分公司", "大连分公司", "宁波分公司"],
    "D": ["贵州分公司", "甘肃分公司", "海南分公司", "内蒙古分公司", "新疆分公司", "宁夏分公司", "青海分公司",
          "西藏分公司", "苏州分公司", "佛山分公司", "东莞分公司", "温州分公司"],
}
CLASS_SIZE = {"A": 3.0, "B": 1.6, "C": 0.8, "D": 0.45}  # relative number of customers per branch
CLASS_SCALE = {"A": 1.6, "B": 1.0, "C": 0.75, "D": 0.6}  # relative premium size per branch class
DEFAULT_SEED = 2003
DEFAULT_CUSTOMERS = 20_000


def sample_branches() -> pd.DataFrame:
    """The 40 branches of the synthetic sample with their class (capacity from the policy)."""
    rows = [(b, c) for c, names in BRANCH_NAMES.items() for b in names]
    return pd.DataFrame(rows, columns=["branch", "branch_class"])


def sample_arrays(n_customers: int, seed: int = DEFAULT_SEED) -> dict[str, np.ndarray]:
    """Synthetic portfolio as plain arrays (fast path for benchmarks); see :func:`sample_portfolio`."""
    rng = np.random.default_rng(seed)
    branches = sample_branches()
    size = branches["branch_class"].map(CLASS_SIZE).to_numpy()
    branch_code = rng.choice(len(branches), size=n_customers, p=size / size.sum())
    cls = branches["branch_class"].to_numpy()[branch_code]
    scale = pd.Series(cls).map(CLASS_SCALE).to_numpy()

    years = np.minimum(rng.geometric(0.18, n_customers), 25)
    is_new = years == 1
    has_long = rng.random(n_customers) < 0.30
    has_health = rng.random(n_customers) < 0.65
    has_non_health = (rng.random(n_customers) < 0.70) | ~(has_long | has_health)
    # heavy-tailed premiums: log-normal bodies [CNY/yr]
    long_term = np.where(has_long, scale * rng.lognormal(np.log(250_000), 1.55, n_customers), 0.0)
    health = np.where(has_health, scale * rng.lognormal(np.log(60_000), 1.45, n_customers), 0.0)
    non_health = np.where(has_non_health, scale * rng.lognormal(np.log(25_000), 1.35, n_customers), 0.0)
    health_lr = np.where(has_health, rng.lognormal(np.log(0.60), 0.40, n_customers), 0.0)
    non_health_lr = np.where(has_non_health, rng.lognormal(np.log(0.42), 0.55, n_customers), 0.0)
    short = health + non_health
    with np.errstate(invalid="ignore", divide="ignore"):
        short_lr = np.where(short > 0, (health * health_lr + non_health * non_health_lr) / short, 0.0)
    long_margin = rng.normal(0.12, 0.06, n_customers)
    total = long_term + short
    margin = np.where(total > 0, (long_term * long_margin + short * (0.78 - short_lr)) / np.maximum(total, 1), 0.0)
    return {
        "branch_code": branch_code,
        "branch_class": cls,
        "effective_years": years.astype(np.int64),
        "is_new": is_new,
        "long_term_std_premium": np.round(long_term),
        "health_premium": np.round(health),
        "health_loss_ratio": np.round(np.clip(health_lr, 0, LOSS_RATIO_MAX), 4),
        "non_health_premium": np.round(non_health),
        "non_health_loss_ratio": np.round(np.clip(non_health_lr, 0, LOSS_RATIO_MAX), 4),
        "profit_margin": np.round(np.clip(margin, -2.0, 0.6), 4),
        "first_service_objects": rng.integers(1, 3, n_customers),
        "second_service_objects": rng.integers(1, 3, n_customers),
    }


def sample_portfolio(seed: int = DEFAULT_SEED, n_customers: int = DEFAULT_CUSTOMERS) -> pd.DataFrame:
    """A seeded synthetic portfolio: 40 branches over classes A–D, log-normal premiums,
    loss ratios spread around the 60 % / 40 % caps.

    With the default seed and size the 2003 thresholds give a few dozen Gold candidates and
    several hundred Silver candidates. The same seed gives the same table.
    """
    a = sample_arrays(n_customers, seed)
    branches = sample_branches()
    df = pd.DataFrame({
        "customer_id": [f"C{i:06d}" for i in range(1, n_customers + 1)],
        "name": [f"客户{i:06d}" for i in range(1, n_customers + 1)],
        "branch": branches["branch"].to_numpy()[a.pop("branch_code")],
        "branch_class": pd.Categorical(a.pop("branch_class"), categories=BRANCH_CLASSES),
    })
    for key, values in a.items():
        df[key] = values
    df["standard_premium"] = np.nan
    return df


#: Service year of the bundled sample: the book is this year's; earlier years come before it.
SAMPLE_YEAR = 2026
#: Share of an earlier year's book that left before the next year (sample only).
SAMPLE_LEAVER_SHARE = 0.10
#: Yearly premium growth the sample's earlier years are discounted by, and its spread (sample only).
SAMPLE_GROWTH, SAMPLE_GROWTH_SD = 0.05, 0.20


def sample_earlier_year(portfolio: pd.DataFrame, seed: int = DEFAULT_SEED, years_back: int = 1) -> pd.DataFrame:
    """The book as it stood ``years_back`` years before ``portfolio`` (synthetic, seeded).

    A customer in effective year ``y`` now was in year ``y - years_back`` then and was not yet
    insured if that is below 1; ``is_new`` marks year 1. Premiums are this year's discounted
    by 5 % a year with a log-normal spread (σ 0.20 a year); loss ratios and profit margins move
    by a seeded noise. Customers who have since left are added: 10 % of the earlier book
    per year, drawn like the sample, ids ``L<years_back><nnnnn>``. Same inputs and seed → same table.

    Parameters
    ----------
    portfolio : DataFrame
        This year's canonical customer table (e.g. :func:`sample_portfolio`).
    seed : int
    years_back : int
        How many years earlier [years, ≥ 1].
    """
    if years_back < 1:
        raise ValueError(f"years_back must be ≥ 1, not {years_back}")
    rng = np.random.default_rng([seed, 7, years_back])
    stayed = portfolio[portfolio["effective_years"].to_numpy() > years_back].copy()
    n = len(stayed)
    stayed["effective_years"] = stayed["effective_years"] - years_back
    stayed["is_new"] = stayed["effective_years"].to_numpy() == 1
    sd = SAMPLE_GROWTH_SD * np.sqrt(years_back)
    for col in ("long_term_std_premium", "health_premium", "non_health_premium"):
        factor = (1 + SAMPLE_GROWTH) ** -years_back * rng.lognormal(-0.5 * sd * sd, sd, n)
        stayed[col] = np.round(stayed[col].to_numpy() * factor)
    for col in ("health_loss_ratio", "non_health_loss_ratio"):
        values = stayed[col].to_numpy()
        moved = values * rng.lognormal(0.0, 0.15 * np.sqrt(years_back), n)
        stayed[col] = np.where(values > 0, np.round(np.clip(moved, 0, LOSS_RATIO_MAX), 4), values)
    stayed["profit_margin"] = np.round(np.clip(stayed["profit_margin"].to_numpy()
                                               + rng.normal(0, 0.03 * np.sqrt(years_back), n), -2.0, 0.6), 4)
    n_left = int(round(SAMPLE_LEAVER_SHARE * n / (1 - SAMPLE_LEAVER_SHARE)))
    a = sample_arrays(n_left, seed + 1000 * years_back)
    branches = sample_branches()
    left = pd.DataFrame({
        "customer_id": [f"L{years_back}{i:05d}" for i in range(1, n_left + 1)],
        "name": [f"已离册客户{years_back}{i:05d}" for i in range(1, n_left + 1)],
        "branch": branches["branch"].to_numpy()[a.pop("branch_code")],
        "branch_class": pd.Categorical(a.pop("branch_class"), categories=BRANCH_CLASSES),
    })
    for key, values in a.items():
        left[key] = values
    left["standard_premium"] = np.nan
    out = pd.concat([stayed, left[[c for c in stayed.columns if c in left]]], ignore_index=True)
    out["branch_class"] = pd.Categorical(out["branch_class"].astype(str), categories=BRANCH_CLASSES)
    return out


# ----------------------------------------------------------------------------- seeded samples
LOG_SAMPLE_YEAR = 2025  # year of the sample event tables: inside the calendar data (the 2003 policy year is not)


def _dates(rng: np.random.Generator, n: int, year: int) -> np.ndarray:
    start = np.datetime64(f"{year}-01-01")
    days = 365 + (year % 4 == 0)
    return start + rng.integers(0, days - 25, n).astype("timedelta64[D]")


def sample_service_log(tiers: pd.DataFrame, seed: int = 2003, n_events: int = 6000,
                       year: int = LOG_SAMPLE_YEAR) -> pd.DataFrame:
    """A seeded service event log over ``year`` for the customers of a tier table.

    VIP customers get more events; durations in calendar days are drawn so that most events
    meet their 第17–18条 limit and a few per cent breach it.

    Parameters
    ----------
    tiers : DataFrame
        Tier table with ``customer_id`` and ``tier``.
    seed : int
        Seed; the same seed gives the same log.
    n_events : int
        Events to draw.
    year : int
        Year of the start dates [year]; must lie within the holiday calendar's years.

    Returns
    -------
    DataFrame
        Columns of :data:`~tiermodel.tables.schema.SERVICE`.
    """
    rng = np.random.default_rng([seed, 6, 1])
    weight = np.where(tiers["tier"].astype(str).to_numpy() == "regular", 1.0, 8.0)
    cust = rng.choice(len(tiers), size=n_events, p=weight / weight.sum())
    types = np.array(list(SERVICE_TYPES))
    type_p = np.array([0.15, 0.20, 0.15, 0.25, 0.05, 0.15, 0.05])
    service = rng.choice(types, size=n_events, p=type_p)
    typical = pd.Series({"policy_issuance": 4, "policy_change": 3, "simple_information_change": 0,
                         "claim_ordinary": 7, "claim_investigated": 14, "hotline_enquiry": 0,
                         "hotline_complaint": 3})[service].to_numpy()
    spread = rng.geometric(0.45, n_events) - 1  # extra calendar days, mostly 0–2
    quick = rng.random(n_events) < 0.85  # most same-day services are done the same day
    calendar_days = np.where(typical == 0, np.where(quick, 0, spread), typical + spread - 1)
    start = _dates(rng, n_events, year)
    end = start + np.maximum(calendar_days, 0).astype("timedelta64[D]")
    log = pd.DataFrame({
        "event_id": [f"E{i:06d}" for i in range(1, n_events + 1)],
        "customer_id": tiers["customer_id"].to_numpy()[cust],
        "service_type": service,
        "start_date": pd.to_datetime(start),
        "end_date": pd.to_datetime(end),
        "extra_large": (service == "policy_issuance") & (rng.random(n_events) < 0.05),
    })
    # hotline calls belong in the hotline log (sample_hotline), not here: the draws stay as they
    # were, the hotline rows are left out
    return log[~np.isin(service, HOTLINE_SERVICE_TYPES)].reset_index(drop=True)


def sample_survey(tiers: pd.DataFrame, seed: int = 2003, regular_sample: int = 1500) -> pd.DataFrame:
    """Seeded survey answers: every VIP surveyed by its branch, Gold and Silver also by head
    office (第18条 2⑩: at least one VIP survey a year); a random sample of regular customers
    surveyed by branches.

    Parameters
    ----------
    tiers : DataFrame
        Tier table with ``customer_id`` and ``tier``.
    seed : int
        Seed; the same seed gives the same answers.
    regular_sample : int
        Regular customers surveyed [customers].

    Returns
    -------
    DataFrame
        Columns of :data:`~tiermodel.tables.schema.SURVEY`.
    """
    rng = np.random.default_rng([seed, 6, 2])
    tier = tiers["tier"].astype(str).to_numpy()
    vip = np.flatnonzero(tier != "regular")
    regular = np.flatnonzero(tier == "regular")
    regular = rng.choice(regular, size=min(regular_sample, len(regular)), replace=False)
    who = np.concatenate([vip, vip, np.sort(regular)])
    surveyed_by = np.array(["head_office"] * len(vip) + ["branch"] * (len(vip) + len(regular)))
    levels = np.array(list(ANSWER_LEVELS))
    p_vip, p_regular = [0.80, 0.19, 0.01, 0.0], [0.34, 0.60, 0.05, 0.01]
    is_vip = tier[who] != "regular"
    draw = rng.random(len(who))
    cum = np.where(is_vip[:, None], np.cumsum(p_vip), np.cumsum(p_regular))
    answer = levels[np.minimum((draw[:, None] > cum).sum(axis=1), 3)]
    return pd.DataFrame({"customer_id": tiers["customer_id"].to_numpy()[who], "answer": answer,
                         "surveyed_by": surveyed_by})


def sample_complaints(tiers: pd.DataFrame, seed: int = 2003, n_complaints: int = 50,
                      year: int = LOG_SAMPLE_YEAR) -> pd.DataFrame:
    """A seeded complaint log (第34条): back-office staff in four head-office/branch
    departments and salespersons; a few complaints not verified, a few from regular
    customers, some back-office ones not about VIP service below standard and some salesperson
    ones without misleading conduct (all of these carry no consequence).

    Parameters
    ----------
    tiers : DataFrame
        Tier table with ``customer_id`` and ``tier``; complaints come from VIPs, about one in
        ten from regular customers.
    seed : int
        Seed; the same seed gives the same log.
    n_complaints : int
        Complaints to draw.
    year : int
        Year of the complaint dates [year].

    Returns
    -------
    DataFrame
        Columns of :data:`~tiermodel.tables.schema.COMPLAINTS`.
    """
    rng = np.random.default_rng([seed, 6, 3])
    vip = np.flatnonzero(tiers["tier"].astype(str).to_numpy() != "regular")
    if not len(vip):  # a book without VIPs: its complaints come from regular customers (outside 第34条 ①)
        vip = np.arange(len(tiers))
    cust = rng.choice(vip, size=n_complaints)
    is_sales = rng.random(n_complaints) < 0.45
    # most staff draw one complaint; a few repeat offenders draw several
    back_staff = np.where(rng.random(n_complaints) < 0.25, rng.integers(1, 4, n_complaints),
                          rng.integers(1, 31, n_complaints))
    sales_staff = np.where(rng.random(n_complaints) < 0.25, rng.integers(1, 3, n_complaints),
                           rng.integers(1, 41, n_complaints))
    departments = np.array(["契约部", "保全部", "理赔部", "客户服务部"])
    dept = departments[(back_staff - 1) % 4]
    date = np.sort(_dates(rng, n_complaints, year))
    person = np.where(is_sales, np.char.add("业务员", sales_staff.astype(str).astype("U3")),
                      np.char.add("后线", back_staff.astype(str).astype("U3")))
    regular = np.flatnonzero(tiers["tier"].astype(str).to_numpy() == "regular")
    from_regular = (rng.random(n_complaints) < 0.1) & (len(regular) > 0)
    if from_regular.any():  # a regular customer's complaint: outside 第34条 ①
        cust = np.where(from_regular, rng.choice(regular, size=n_complaints), cust)
    return pd.DataFrame({
        "complaint_id": [f"K{i:04d}" for i in range(1, n_complaints + 1)],
        "complaint_date": pd.to_datetime(date),
        "customer_id": tiers["customer_id"].to_numpy()[cust],
        "person": person,
        "role": np.where(is_sales, "salesperson", "back_office"),
        "department": np.where(is_sales, "营业部", dept),
        "department_head": np.where(is_sales, "", np.char.add(dept.astype(str), "负责人")),
        "verified": rng.random(n_complaints) < 0.9,
        # 第34条 scope: most back-office complaints are about VIP service below standard, about
        # half the salesperson complaints involve verified misleading conduct
        "below_vip_standard": ~is_sales & (rng.random(n_complaints) < 0.85),
        "misleading": is_sales & (rng.random(n_complaints) < 0.5),
    })


def sample_executives(branches: pd.Series | list[str], gm_office_members: int) -> pd.DataFrame:
    """The executive table of the sample: the head-office GM office (one general manager and
    deputies, 第23条), the six department heads of 第24条 and one group-insurance head per
    branch (第25条).

    Parameters
    ----------
    branches : Series or list of str
        Branches of the portfolio (one head each).
    gm_office_members : int
        Members of the GM office [persons] (``executive_quotas.gm_office_members``, assumed).

    Returns
    -------
    DataFrame
        Columns of :data:`~tiermodel.tables.schema.EXECUTIVES`.
    """
    rows = [(f"GM{i}", "总经理" if i == 1 else f"副总经理{i - 1}", "gm_office", "")
            for i in range(1, gm_office_members + 1)]
    rows += [(f"DH{i}", f"{d}负责人", "department_head", "")
             for i, d in enumerate(HEAD_OFFICE_DEPARTMENTS, start=1)]
    rows += [(f"BH{i:02d}", f"{b}团险负责人", "branch_head", b)
             for i, b in enumerate(sorted(set(branches)), start=1)]
    return pd.DataFrame(rows, columns=["executive_id", "name", "role", "branch"])


def _vip_rows(tiers: pd.DataFrame) -> pd.DataFrame:
    return tiers.loc[tiers["tier"].astype(str).isin(["gold", "silver"]).to_numpy()].reset_index(drop=True)


def sample_delivery(tiers: pd.DataFrame, unit_costs: dict[str, float], executives: pd.DataFrame,
                    seed: int = 2003, year: int = LOG_SAMPLE_YEAR, short_share: float = 0.12,
                    take_up: dict[str, float] | None = None) -> pd.DataFrame:
    """A seeded delivery table over ``year`` (附件二/四): every VIP's services at roughly the
    第18–19条 minimum, with ``short_share`` of the VIPs missing some, and executives at revisits.

    The 第19条 services a customer may decline are recorded as an offer to every Gold customer
    (``health_check_offer``, ``club_event_invitation``, ``study_tour_invitation``, cost as
    ``unit_costs`` gives, 0 if absent) and attendances drawn with ``take_up``: each invited
    customer attends the club event and the study tour with probability ``take_up``, each
    first key person of an offered customer takes the health check with probability
    ``take_up`` (the 附件七 bases), so the cost matches the 附件七 estimate in expectation.

    Parameters
    ----------
    tiers : DataFrame
        Tier table with ``customer_id``, ``branch``, ``tier``, ``first_service_objects``,
        ``second_service_objects``.
    unit_costs : dict of str to float
        Cost of one delivery of each service [CNY] (e.g. the catalogue's unit costs).
    executives : DataFrame
        Executive table (``executive_id``, ``role``, ``branch``).
    seed : int
        Seed; the same seed gives the same table.
    year : int
        Year of the dates [year].
    short_share : float
        Share of VIPs with a service below its minimum [share, 0–1].
    take_up : dict of str to float, optional
        Share of the offered who attend, by service [share, 0–1] (e.g. the catalogue's
        ``take_up``); a service absent: everyone offered attends.

    Returns
    -------
    DataFrame
        Columns of :data:`~tiermodel.tables.schema.DELIVERY`.
    """
    rng = np.random.default_rng([seed, 13, 1])
    v = _vip_rows(tiers)
    n = len(v)
    gold = v["tier"].astype(str).eq("gold").to_numpy()
    first = v["first_service_objects"].to_numpy(dtype=np.int64) if "first_service_objects" in v else np.ones(n, int)
    second = v["second_service_objects"].to_numpy(dtype=np.int64) if "second_service_objects" in v else np.ones(n, int)
    # times a year per customer: (service, count per customer)
    plan = [("revisit", np.where(gold, 3, 2)), ("birthday_first_object", first),
            ("birthday_second_object", second), ("festival_gifts", 2 * (first + second)),
            ("monthly_mailing", np.full(n, 12)), ("policy_report", np.full(n, 2)),
            ("satisfaction_survey", np.ones(n, int)), ("health_check_offer", gold.astype(int)),
            ("club_event_invitation", gold.astype(int)), ("study_tour_invitation", gold.astype(int)),
            ("celebration_gift", (rng.random(n) < 0.2).astype(int)),
            ("hospital_visit", (rng.random(n) < 0.08).astype(int))]
    counts = np.stack([c for _, c in plan], axis=1).astype(np.int64)
    short = rng.random(n) < short_share
    which = rng.integers(0, 10, n)  # a minimum service (not celebration, hospital)
    counts[short, which[short]] = np.maximum(counts[short, which[short]] - rng.integers(1, 3, short.sum()), 0)
    names = np.array([s for s, _ in plan])
    cust = np.repeat(np.arange(n), counts.sum(axis=1))
    service = np.repeat(np.tile(names, n), counts.ravel())
    m = len(cust)
    start = np.datetime64(f"{year}-01-01")
    days = 365 + (year % 4 == 0)
    date = start + rng.integers(31, days, m).astype("timedelta64[D]")  # service from February (第12条)
    base = pd.Series({k: float(unit_costs.get(k, unit_costs.get(f"revisit_{'gold'}", 0.0))) for k in names})
    base["revisit"] = float(unit_costs.get("revisit_gold", 500.0))
    for offer in ("health_check_offer", "club_event_invitation", "study_tour_invitation"):
        base[offer] = float(unit_costs.get(offer, 0.0))  # an invitation costs nothing unless priced
    cost = np.round(base.reindex(service).to_numpy() * rng.uniform(0.8, 1.3, m), 0)
    who = _revisit_executives(executives, v["branch"].astype(str).to_numpy()[cust], service == "revisit",
                              gold[cust], rng)
    extra = _attendances(seed, year, service, cust, date, first, n, unit_costs, take_up)
    if extra:
        cust = np.concatenate([cust] + [x[0] for x in extra])
        service = np.concatenate([service.astype(object)] + [x[1] for x in extra])
        date = np.concatenate([date] + [x[2] for x in extra])
        cost = np.concatenate([cost] + [x[3] for x in extra])
        who = np.concatenate([who] + [np.full(len(x[0]), "", dtype=object) for x in extra])
        m = len(cust)
    order = np.lexsort((date, cust))
    return pd.DataFrame({
        "delivery_id": [f"D{i:07d}" for i in range(1, m + 1)],
        "customer_id": v["customer_id"].astype(str).to_numpy()[cust][order],
        "service": service[order],
        "date": pd.to_datetime(date[order]),
        "cost_cny": cost[order],
        "executives": who[order].astype(str),
    })


def _revisit_executives(ex: pd.DataFrame, branch: np.ndarray, is_rev: np.ndarray, gold: np.ndarray,
                        rng: np.random.Generator) -> np.ndarray:
    """Executives at revisits: a branch head at half of them, a GM-office member at a fifth of
    Gold ones, a department head at a tenth."""
    heads = dict(zip(ex.loc[ex["role"] == "branch_head", "branch"], ex.loc[ex["role"] == "branch_head", "executive_id"]))
    gms = ex.loc[ex["role"] == "gm_office", "executive_id"].to_numpy()
    deps = ex.loc[ex["role"] == "department_head", "executive_id"].to_numpy()
    draw = rng.random(len(branch))
    who = np.full(len(branch), "", dtype=object)
    head_of = np.array([heads.get(b, "") for b in branch], dtype=object)
    who[is_rev & (draw < 0.5)] = head_of[is_rev & (draw < 0.5)]
    g_rev = is_rev & gold & (draw >= 0.5) & (draw < 0.75) & (len(gms) > 0)
    if len(gms):
        who[g_rev] = gms[rng.integers(0, len(gms), g_rev.sum())]
    d_rev = is_rev & (draw >= 0.75) & (draw < 0.85) & (len(deps) > 0)
    if len(deps):
        who[d_rev] = deps[rng.integers(0, len(deps), d_rev.sum())]
    return who


def _attendances(seed, year, service, cust, date, first, n, unit_costs, take_up) -> list[tuple]:
    """Attendance of the offered 第19条 services, on a stream of its own (the offers keep their
    draws): after the offer, within the year. (customers, service, dates, costs) per service."""
    att = np.random.default_rng([seed, 13, 1, 1])
    extra = []
    for offer, taken, units in (("health_check_offer", "health_check", first),
                                ("club_event_invitation", "club_event", np.ones(n, np.int64)),
                                ("study_tour_invitation", "study_tour", np.ones(n, np.int64))):
        rows = np.flatnonzero(service == offer)
        k = att.binomial(units[cust[rows]], float((take_up or {}).get(taken, 1.0)))
        c = np.repeat(cust[rows], k)
        offered = np.repeat(date[rows], k)
        left = (np.datetime64(f"{year}-12-31") - offered).astype(np.int64)  # [days] to the year's end
        d = offered + np.floor(att.random(len(c)) * (left + 1)).astype(np.int64).astype("timedelta64[D]")
        e = np.round(float(unit_costs.get(taken, 0.0)) * att.uniform(0.8, 1.3, len(c)), 0)
        extra.append((c, np.full(len(c), taken, dtype=object), d, e))
    return extra


def sample_hotline(tiers: pd.DataFrame, seed: int = 2003, n_calls: int = 400, year: int = LOG_SAMPLE_YEAR,
                   late_share: float = 0.08, complaints: pd.DataFrame | None = None) -> pd.DataFrame:
    """A seeded VIP hotline log (附件五, 第18条 2①): enquiries mostly answered the same day,
    complaints mostly within three days, ``late_share`` of the calls late, a few unanswered.

    Parameters
    ----------
    tiers : DataFrame
        Tier table with ``customer_id`` and ``tier``; callers are VIPs.
    seed : int
        Seed; the same seed gives the same log.
    n_calls : int
        Calls to draw.
    year : int
        Year of the calls [year].
    late_share : float
        Share of calls answered late [share, 0–1].
    complaints : DataFrame, optional
        A complaint log (:data:`~tiermodel.tables.schema.COMPLAINTS`): its complaints also arrive as hotline
        complaint calls on their dates, with their ``complaint_id`` (第34条 link).

    Returns
    -------
    DataFrame
        Columns of :data:`~tiermodel.tables.schema.HOTLINE`.
    """
    rng = np.random.default_rng([seed, 13, 2])
    v = _vip_rows(tiers)
    if not len(v):  # a book without VIPs has no VIP hotline calls (only its complaints' calls, below)
        n_calls = 0
    cust = rng.integers(0, max(len(v), 1), n_calls)
    complaint = rng.random(n_calls) < 0.25
    received = np.sort(_dates(rng, n_calls, year))
    late = rng.random(n_calls) < late_share
    on_time = np.where(complaint, rng.integers(0, 4, n_calls), 0)
    late_days = np.where(complaint, rng.integers(4, 8, n_calls), rng.integers(1, 3, n_calls))
    days = np.where(late, late_days, on_time)
    answered = pd.Series(pd.to_datetime(received + days.astype("timedelta64[D]")))
    answered[rng.random(n_calls) < 0.01] = pd.NaT
    calls = pd.DataFrame({
        "call_id": [f"H{i:05d}" for i in range(1, n_calls + 1)],
        "customer_id": v["customer_id"].astype(str).to_numpy()[cust],
        "kind": np.where(complaint, "complaint", "enquiry"),
        "received_date": pd.to_datetime(received),
        "answered_date": answered,
        "complaint_id": "",
    })
    if complaints is not None and len(complaints) and "complaint_id" in complaints:
        k = complaints[complaints["complaint_date"].dt.year == year]
        days = np.where(rng.random(len(k)) < late_share, rng.integers(4, 8, len(k)), rng.integers(0, 4, len(k)))
        linked = pd.DataFrame({
            "call_id": [f"HK{i:04d}" for i in range(1, len(k) + 1)], "customer_id": k["customer_id"].to_numpy(),
            "kind": "complaint", "received_date": pd.to_datetime(k["complaint_date"]).to_numpy(),
            "answered_date": pd.to_datetime(k["complaint_date"]).to_numpy() + days.astype("timedelta64[D]"),
            "complaint_id": k["complaint_id"].to_numpy()})
        calls = pd.concat([calls, linked], ignore_index=True).sort_values(["received_date", "call_id"], kind="stable")
    return calls.reset_index(drop=True)


def sample_policies(tiers: pd.DataFrame, seed: int = 2003, year: int = LOG_SAMPLE_YEAR,
                    n_policies: int = 3000, late_share: float = 0.10) -> pd.DataFrame:
    """A seeded policy table for ``year`` (第17条 4–5): VIP policies and a sample of regular
    ones expiring in the year, renewal reminders mostly two months or more ahead with
    ``late_share`` late and a few missing, some lapses and maturity/lapse notices.

    Parameters
    ----------
    tiers : DataFrame
        Tier table with ``customer_id`` and ``tier``.
    seed : int
        Seed; the same seed gives the same table.
    year : int
        Year of the expiries [year].
    n_policies : int
        Policies of regular customers to draw (every VIP gets one or two).
    late_share : float
        Share of reminders sent less than two months ahead [share, 0–1].

    Returns
    -------
    DataFrame
        Columns of :data:`~tiermodel.tables.schema.POLICIES`.
    """
    rng = np.random.default_rng([seed, 13, 3])
    tier = tiers["tier"].astype(str).to_numpy()
    vip = np.flatnonzero(tier != "regular")
    regular = np.flatnonzero(tier == "regular")
    regular = rng.choice(regular, size=min(n_policies, len(regular)), replace=False) if len(regular) else regular
    who = np.sort(np.concatenate([vip, vip[rng.random(len(vip)) < 0.5], regular]))
    n = len(who)
    start = np.datetime64(f"{year}-01-01")
    days = 365 + (year % 4 == 0)
    expiry = start + rng.integers(0, days, n).astype("timedelta64[D]")
    ahead = np.where(rng.random(n) < late_share, rng.integers(10, 60, n), rng.integers(61, 90, n))
    reminder = pd.Series(pd.to_datetime(expiry - ahead.astype("timedelta64[D]")))
    reminder[rng.random(n) < 0.04] = pd.NaT
    lapsed = rng.random(n) < 0.05
    lapse = pd.Series(pd.to_datetime(expiry - rng.integers(30, 200, n).astype("timedelta64[D]"))).where(lapsed)
    reminder = reminder.where(~lapsed | (reminder < lapse))
    renewed = ~lapsed & (rng.random(n) < 0.85)
    event = lapse.where(lapsed, pd.Series(pd.to_datetime(expiry)))
    notice = (event + pd.to_timedelta(rng.integers(0, 12, n), unit="D")).where(~renewed)
    notice[rng.random(n) < 0.03] = pd.NaT
    return pd.DataFrame({
        "policy_id": [f"P{i:06d}" for i in range(1, n + 1)],
        "customer_id": tiers["customer_id"].astype(str).to_numpy()[who],
        "expiry_date": pd.to_datetime(expiry),
        "reminder_date": reminder,
        "renewed": renewed,
        "lapse_date": lapse,
        "notice_date": notice,
    })
