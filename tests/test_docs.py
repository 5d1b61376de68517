"""Documentation inside the project: every article cited can be looked up, the glossary is current."""
from __future__ import annotations

import re
from pathlib import Path

from tiermodel.vocabulary import glossary_markdown

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "docs" / "policy" / "source-2003.txt"
# 第19、21、30条 are garbled in the source ("第 条") and inferred from their neighbours (RULES.md).
INFERRED = {19, 21, 30}
CITATION = re.compile(r"第(\d+)(?:[–~-](\d+))?条")


def _articles_in_source() -> set[int]:
    return {int(n) for n in re.findall(r"第(\d+)条", SOURCE.read_text(encoding="utf-8"))} | INFERRED


def test_every_cited_article_is_in_the_policy_text():
    known = _articles_in_source()
    assert set(range(1, 36)) <= known  # the text runs to 第35条, where it breaks off
    unknown = []
    for folder in ("tiermodel", "tests", "params", "notebooks", "docs"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix not in (".py", ".yaml", ".ipynb", ".md") or "_data" in path.parts:
                continue
            for first, last in CITATION.findall(path.read_text(encoding="utf-8")):
                for n in range(int(first), int(last or first) + 1):
                    if n not in known:
                        unknown.append(f"{path.relative_to(ROOT)}: 第{n}条")
    assert unknown == []


def test_glossary_is_current():
    assert (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8") == glossary_markdown()
