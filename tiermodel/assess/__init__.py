"""Running the tiers: service-time compliance (第17–18条), satisfaction scorecard (第35条),
complaint consequences (第34条) and the executives' revisit plan (第23–27条).

Every function is pure: it takes validated event tables (see :mod:`tiermodel.events`, which
this package may import and which never imports it), the tier table of
:func:`tiermodel.tiers.assign_tiers` (``customer_id``, ``branch``, ``tier``) and a
:class:`~tiermodel.policy.Policy`, and returns a result object. Numbers come from the policy:
``service_times``, ``satisfaction``, ``complaints``, ``revisits``, ``executive_quotas``.

Modules:

* :mod:`~tiermodel.assess.calendar` — :func:`working_days` under the official calendar
  (adjusted working weekends included; 2004–2026 covered, other dates refused).
* :mod:`~tiermodel.assess.compliance` — :func:`service_compliance` → :class:`ServiceCompliance`.
* :mod:`~tiermodel.assess.satisfaction` — :func:`satisfaction_scorecard` → :class:`Scorecard`.
* :mod:`~tiermodel.assess.complaints` — :func:`complaint_consequences` →
  :class:`ComplaintConsequences`.
* :mod:`~tiermodel.assess.revisits` — :func:`plan_revisits` → :class:`RevisitPlan` (MILP).
* :mod:`~tiermodel.assess.scorecard` — :func:`branch_scorecard` → :class:`BranchScorecard`:
  the 第32条 record of each branch (service times, satisfaction, complaints, delivery) and a rank.
* :mod:`~tiermodel.assess.assessment` — :func:`assess_service` → :class:`Assessment`, all
  of them; its ``tables()`` is the one list of sheets the assessment exports.
* :mod:`~tiermodel.assess.delivery` — :func:`check_delivery` → :class:`DeliveryCheck`: VIP
  services against the 第18–19条 minima, executive attendance, the 附件二 quarterly record and
  the cost against 附件七.
* :mod:`~tiermodel.assess.renewals` — :func:`check_renewals` → :class:`RenewalCheck` (第17条 4–5).
* :mod:`~tiermodel.assess.hotline` — :func:`check_hotline` → :class:`HotlineCheck` (第18条 2①).
* :mod:`~tiermodel.assess.quarterly` — :func:`service_record` → :class:`ServiceRecord`, the three.

Conventions (ours; the policy states none) are stated in each module: working days count
from the day after the start; a service meets its limit at ≤ the limit; the satisfaction
weights 30 : 70 weight the head-office and branch surveys; complaints count per person and
calendar year; a quota counts distinct customers.
"""
from __future__ import annotations

from ..errors import CalendarRangeError
from .assessment import Assessment, assess_service
from .calendar import calendar_years, working_days
from .complaints import ComplaintConsequences, complaint_consequences
from .compliance import BREACH_COLUMNS, ServiceCompliance, service_compliance, service_limits
from .revisits import (ROLE_PREFERENCE, RevisitCheck, RevisitPlan, check_revisits, plan_revisits,
                       revisit_notes)
from .complaints import COUNTED, NOT_COUNTED, screen_complaints
from .satisfaction import LEVELS, Scorecard, satisfaction_scorecard
from .delivery import DeliveryCheck, check_delivery  # noqa: E402  (service delivery, issue 13)
from .hotline import HotlineCheck, check_hotline  # noqa: E402
from .quarterly import ServiceRecord, service_record  # noqa: E402
from .renewals import RenewalCheck, check_renewals  # noqa: E402
from .scorecard import BranchScorecard, branch_scorecard  # noqa: E402

__all__ = ["BREACH_COLUMNS", "COUNTED", "LEVELS", "NOT_COUNTED", "ROLE_PREFERENCE", "RevisitCheck", "check_revisits",
           "screen_complaints", "Assessment", "CalendarRangeError",
           "ComplaintConsequences", "RevisitPlan", "Scorecard", "ServiceCompliance", "assess_service",
           "calendar_years", "complaint_consequences", "plan_revisits", "revisit_notes",
           "satisfaction_scorecard", "service_compliance", "service_limits", "working_days"]
__all__ += ["DeliveryCheck", "HotlineCheck", "RenewalCheck", "ServiceRecord", "check_delivery", "check_hotline",
            "check_renewals", "service_record", "BranchScorecard", "branch_scorecard"]
