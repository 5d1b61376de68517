"""Old name of :mod:`tiermodel.run_inputs`; kept so old imports work."""
from .run_inputs import RunInputs, load_inputs  # noqa: F401
