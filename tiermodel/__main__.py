"""``python -m tiermodel …`` is ``tiermodel …``."""
import sys

from .cli import main

sys.exit(main())
