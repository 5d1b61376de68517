"""tiermodel — Ping An Life's 2003 group-insurance customer tiering policy, executable.

Modules, one per policy concept: ``policy`` (parameters with provenance), ``portfolio``
(the customer table), ``score`` (value index, 第10条), ``tiers`` (eligibility and selection,
第11–13条), ``calibrate``, ``sensitivity``, ``budget``, ``assess``, ``report``; ``cli`` is the
``tiermodel`` command.
"""
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("tiermodel")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0+unknown"
