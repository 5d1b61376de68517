"""Build hook: ship the repository's top-level params/ and notebooks/ inside the wheel.

Everything else is declared in pyproject.toml. An editable install reads the folders in place
(tiermodel.resources.data_dir), so only a regular build copies them to tiermodel/_data/.
"""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SHIPPED = ("params", "notebooks")


class BuildPyWithData(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        root = Path(__file__).resolve().parent
        target = Path(self.build_lib) / "tiermodel" / "_data"
        for name in SHIPPED:
            shutil.copytree(root / name, target / name, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))


setup(cmdclass={"build_py": BuildPyWithData})
