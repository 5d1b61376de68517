"""The assessment's input tables — service events, survey answers, complaints, executives, and
the delivery, hotline and policy tables: readers, and loading a run's tables (a file, or the
seeded sample). Their schemas are in :mod:`tiermodel.tables.schema`, their one validator in
:mod:`tiermodel.tables.validation`, the samples in :mod:`tiermodel.tables.samples`.

Glossary of columns (English name — Chinese label — meaning):

==================  ===========  ==============================================================
column              label        meaning
==================  ===========  ==============================================================
*service event log*
event_id            事件编号     optional id of the event
customer_id         客户号       customer served (must be in the portfolio)
service_type        服务类型     one of :data:`SERVICE_TYPES` (English key or Chinese label)
start_date          开始日期     day the request was complete (受理), year first: 2025-03-04,
                                 2025/3/4, 2025年3月4日 (03/04/2025 only with a date format)
end_date            结束日期     day the service was done (办结), ≥ start_date
extra_large         特大型客户   optional yes/no: VIP policy issuance may take 7 days (第18条)
*satisfaction survey*
customer_id         客户号       customer surveyed
answer              满意度       非常满意 / 满意 / 一般 / 不满意 (or the English level names)
surveyed_by         调查方       总公司 head_office or 分公司 branch (optional; default branch)
*complaint log*
complaint_id        投诉编号     optional id
complaint_date      投诉日期     date of the complaint
customer_id         客户号       customer who complained
person              被投诉人     the person complained about
role                岗位         后线 back_office or 业务员 salesperson (第34条 ① / ②)
department          部门         the person's department (optional)
department_head     部门负责人   head of that department (back office: pay deduction, 第34条 ①)
verified            经核实       optional yes/no; only verified complaints count (第34条)
below_vip_standard  未按VIP标准服务 optional yes/no; back office is sanctioned only for VIP
                                 service below standard (第34条 ①); absent = no
misleading          误导行为     optional yes/no; a salesperson is sanctioned only for verified
                                 misleading conduct (第34条 ②); absent = no
*executive table*
executive_id        人员编号     unique id
name                姓名         optional
role                职务         gm_office 总经理室 / department_head 部门负责人 /
                                 branch_head 分公司团险负责人 (第23–25条)
branch              机构         the branch a branch head runs (blank for head office)
==================  ===========  ==============================================================

The service log may also carry ``disability_assessment`` (残疾鉴定, yes/no): a claim tied to a
disability assessment, exempt from the 7/15-day limits (第17条 3).

Row numbers in messages are as a spreadsheet shows them: header row 1, first data row 2.
Validation collects every problem and raises :class:`~tiermodel.errors.InputTableError`
naming file, row, customer, column and rule; nothing is returned half-checked.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .io import ReadOptions, read_table
from .tables.samples import (LOG_SAMPLE_YEAR, _vip_rows, sample_complaints, sample_delivery,  # noqa: F401
                             sample_executives, sample_hotline, sample_policies, sample_service_log,
                             sample_survey)
from .tables.schema import (ANSWER_ALIASES, COMPLAINTS, DELIVERY, EXECUTIVES, FALSE_WORDS,  # noqa: F401
                            HOTLINE, POLICIES, SERVICE, SURVEY, TRUE_WORDS, VOCABULARIES, Column)
from .tables.validation import (check_log, parse_dates, rename_columns, validate_delivery,  # noqa: F401
                                validate_executives, validate_hotline, validate_log, validate_policies)
from .tables.validation import text as _text  # noqa: F401
from .vocabulary import (ANSWER_LEVELS, COMPLAINT_ROLES, DELIVERY_SERVICES, EXECUTIVE_ROLES,  # noqa: F401
                         HEAD_OFFICE_DEPARTMENTS, HOTLINE_KINDS, SERVICE_TYPES, SURVEYORS)

#: Year of the sample event tables (inside the calendar data; the 2003 policy year is not).
SAMPLE_YEAR = LOG_SAMPLE_YEAR
# The schemas under their earlier names (:mod:`tiermodel.tables.schema`).
SERVICE_LOG_SCHEMA, SURVEY_SCHEMA, COMPLAINT_SCHEMA, EXECUTIVE_SCHEMA = SERVICE, SURVEY, COMPLAINTS, EXECUTIVES
DELIVERY_SCHEMA, HOTLINE_SCHEMA, POLICY_SCHEMA = DELIVERY, HOTLINE, POLICIES


def read_log(path: str | Path, kind: str, customers: pd.Series | None = None,
             sheet: str | int | None = None, options: ReadOptions | None = None,
             branches: pd.Series | None = None, year: int | None = None) -> pd.DataFrame:
    """Read and validate an event file (.csv, .xlsx, .parquet) (第17–18条, 第23–25条, 第34–35条).

    Parameters
    ----------
    path : path
        The file; English or Chinese headers.
    kind : {"service", "survey", "complaints", "executives"}
        Which table it holds.
    customers : Series of str, optional
        Customer ids of the portfolio; a row naming another customer is refused.
    sheet : str or int, optional
        Sheet of a workbook (default: ``options.sheet``, else the first).
    options : ReadOptions, optional
        How to read an odd extract (encoding, header row, sheet, date format).
    branches : Series of str, optional
        Branches of the portfolio (for the executive table's branch heads).
    year : int, optional
        Year of the log [year]: a service start or complaint date in another year is refused.

    Returns
    -------
    DataFrame
        The canonical table of :func:`validate_log` (or :func:`validate_executives`).

    Raises
    ------
    InputTableError
        The file cannot be read, or a row breaks a rule (file, row, customer, column named).
    """
    schemas = {"service": SERVICE, "survey": SURVEY, "complaints": COMPLAINTS, "executives": EXECUTIVES}
    if kind not in schemas:
        raise ValueError(f"kind must be one of service, survey, complaints, executives; not {kind!r}")
    o = options or ReadOptions()
    names = schemas[kind].names
    raw = read_table(path, sheet if sheet is not None else o.sheet, encoding=o.encoding,
                     header_row=o.header_row, columns=names)
    if kind == "executives":
        return validate_executives(raw, str(path), branches)
    return validate_log(raw, schemas[kind], str(path), customers, o.date_format, year)


# ----------------------------------------------------------------------------- a run's logs
@dataclass
class AssessmentLogs:
    """The four validated input tables of an assessment run and where each came from."""

    service: pd.DataFrame
    survey: pd.DataFrame
    complaints: pd.DataFrame
    executives: pd.DataFrame
    sources: dict


def load_assessment_logs(tiers: pd.DataFrame, service_log: str | Path | None = None,
                         survey: str | Path | None = None, complaints: str | Path | None = None,
                         executives: str | Path | None = None, seed: int = 2003,
                         year: int = SAMPLE_YEAR, gm_office_members: int = 4,
                         options: ReadOptions | None = None) -> AssessmentLogs:
    """Read and validate each event table given as a file, or draw its seeded sample.

    Parameters
    ----------
    tiers : DataFrame
        Tier table (``customer_id``, ``branch``, ``tier``); every table's customers and
        branch heads' branches must be in it.
    service_log, survey, complaints, executives : path, optional
        The files; None or "" draws the seeded sample instead.
    seed : int
        Seed of the samples.
    year : int
        Year of the logs [year]: the sample's year; a file's service start or complaint date in
        another year is refused.
    gm_office_members : int
        GM-office members of the sample executive table [persons]
        (``executive_quotas.gm_office_members`` of the policy, assumed; 第23条).
    options : ReadOptions, optional
        Of these the encoding and the date format apply (headers are detected, the first
        sheet is read).

    Returns
    -------
    AssessmentLogs
        The four validated tables and, in ``sources``, where each came from.

    Raises
    ------
    InputTableError
        A file cannot be read or breaks a rule (file, row, customer, column named).
    """
    ids = tiers["customer_id"]
    out, sources = {}, {}
    if options is not None:  # the header row and sheet options are the customer table's
        options = ReadOptions(encoding=options.encoding, date_format=options.date_format)
    samples = {"service": lambda: sample_service_log(tiers, seed, year=year),
               "survey": lambda: sample_survey(tiers, seed),
               "complaints": lambda: sample_complaints(tiers, seed, year=year)}
    schemas = {"service": SERVICE, "survey": SURVEY, "complaints": COMPLAINTS}
    for kind, path in (("service", service_log), ("survey", survey), ("complaints", complaints)):
        if path:
            out[kind], sources[kind] = read_log(path, kind, ids, options=options, year=year), str(path)
        else:
            label = f"sample {kind} log (seed={seed}, year={year})"
            out[kind], sources[kind] = validate_log(samples[kind](), schemas[kind], label, ids, year=year), label
    if executives:
        out["executives"] = read_log(executives, "executives", options=options, branches=tiers["branch"])
        sources["executives"] = str(executives)
    else:
        out["executives"] = validate_executives(sample_executives(tiers["branch"], gm_office_members), "sample executives",
                                                tiers["branch"])
        sources["executives"] = "sample executives"
    return AssessmentLogs(sources=sources, **out)


# ============================================================================= service delivery
# The delivery table (附件二/四), the VIP hotline log (附件五) and the policy table with its
# renewal reminders and notices (第17条 4–5): schemas, validation and seeded samples.
#
# ==================  ===========  ==============================================================
# column              label        meaning
# ==================  ===========  ==============================================================
# *delivery table*
# delivery_id         服务编号     optional id
# customer_id         客户号       VIP customer served
# service             服务项目     a catalogue service (:data:`DELIVERY_SERVICES`, key or label)
# date                服务日期     day delivered
# cost_cny            费用         cost [CNY, ≥ 0]
# executives          陪同领导     revisits: executive ids who attended, separated by ; or 、
# *hotline log*
# call_id             来电编号     optional id
# customer_id         客户号       caller's customer
# kind                类型         咨询 enquiry or 投诉 complaint
# received_date       受理日期     day received
# answered_date       答复日期     day answered (blank: not answered)
# complaint_id        投诉编号     optional link to the complaint log (第34条)
# *policy table*
# policy_id           保单号       policy
# customer_id         客户号       policyholder
# expiry_date         满期日期     expiry
# reminder_date       续保提醒日期 renewal reminder sent (第17条 4; blank: none)
# renewed             已续保       optional yes/no: renewed (no maturity notice due)
# lapse_date          失效日期     optional: the policy lapsed on that day
# notice_date         通知日期     maturity or lapse notice sent (第17条 5)
# ==================  ===========  ==============================================================


@dataclass
class DeliveryLogs:
    """The validated tables of the service-delivery record and where each came from.

    ``samples`` names the tables drawn as seeded samples (a page or sheet built on one of
    them carries :data:`~tiermodel.vocabulary.SAMPLE_BANNER`).
    """

    delivery: pd.DataFrame
    hotline: pd.DataFrame
    policies: pd.DataFrame
    sources: dict
    samples: list


def load_delivery_logs(tiers: pd.DataFrame, executives: pd.DataFrame, unit_costs: dict[str, float],
                       delivery: str | Path | None = None, hotline: str | Path | None = None,
                       policies: str | Path | None = None, seed: int = 2003,
                       year: int = SAMPLE_YEAR, complaints: pd.DataFrame | None = None,
                       take_up: dict[str, float] | None = None) -> DeliveryLogs:
    """Read and validate the delivery table, hotline log and policy table, or draw their samples.

    Parameters
    ----------
    tiers : DataFrame
        Tier table (``customer_id``, ``branch``, ``tier``, key persons).
    executives : DataFrame
        Validated executive table (ids at revisits must be in it).
    unit_costs : dict of str to float
        Unit cost of each service for the sample [CNY].
    delivery, hotline, policies : path, optional
        The files; None or "" draws the seeded sample instead.
    seed : int
        Seed of the samples.
    year : int
        Year of the record [year]; dates of a file outside it are refused.
    complaints : DataFrame, optional
        The validated complaint log: the sample hotline carries its complaints (第34条 link).
    take_up : dict of str to float, optional
        Share of the offered who attend each 第19条 service in the sample delivery [share,
        0–1] (the catalogue's ``take_up``); absent: every offer taken (:func:`sample_delivery`).

    Returns
    -------
    DeliveryLogs
        The three validated tables, their sources and which are samples.

    Raises
    ------
    InputTableError
        A file cannot be read or breaks a rule (file, row, customer, column named).
    """
    ids = tiers["customer_id"].astype(str)
    out, sources, samples = {}, {}, []
    makers = {"delivery": lambda: sample_delivery(tiers, unit_costs, executives, seed, year, take_up=take_up),
              "hotline": lambda: sample_hotline(tiers, seed, year=year, complaints=complaints),
              "policies": lambda: sample_policies(tiers, seed, year)}
    checks = {"delivery": lambda raw, f: validate_delivery(raw, f, ids, year, executives["executive_id"]),
              "hotline": lambda raw, f: validate_hotline(raw, f, ids, year),
              "policies": lambda raw, f: validate_policies(raw, f, ids, year)}
    for kind, path in (("delivery", delivery), ("hotline", hotline), ("policies", policies)):
        if path:
            out[kind], sources[kind] = checks[kind](read_table(path), str(path)), str(path)
        else:
            label = f"sample {kind} (seed={seed}, year={year})"
            raw = makers[kind]()
            # a book without VIPs draws an empty delivery (or hotline) sample: empty, not refused
            out[kind], sources[kind] = (checks[kind](raw, label) if len(raw) else raw), label
            samples.append(kind)
    return DeliveryLogs(sources=sources, samples=samples, **out)
