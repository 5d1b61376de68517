"""Old name of :mod:`tiermodel.plots.assessment`; kept so old imports work."""
from .plots.assessment import branch_head_silver, compliance_bars  # noqa: F401
