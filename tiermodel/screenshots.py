"""Render each HTML page of the newest report run to PNG with headless Chromium (``make screenshots``).

Uses the system's Chromium (Debian: ``apt-get install -y chromium``), never a downloaded
browser, driven by Playwright (``pip install '.[browser]'``). Chinese is drawn in the CJK font
the plots and the committee pack use (``mplfonts``' Noto Sans CJK SC), added to the machine's
fonts for the browser alone, so a machine without CJK fonts draws no empty boxes. Each page is drawn
whole: its height is measured in the browser and the PNG is as tall as the page, however
long. The PNGs go to ``<run folder>/screenshots/``, one per page, so a change to the pages
can be checked by eye::

    python -m tiermodel.screenshots [RUN_FOLDER] [--width 1400] [--height N]

``--height N`` cuts each PNG at N pixels instead (0, the default: the whole page).
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

REPORTS_DIR = Path(__file__).resolve().parent.parent / "reports"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars"]


def find_chromium() -> str | None:
    """Path of the system's Chromium, or None."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def newest_run(reports_dir: Path = REPORTS_DIR) -> Path | None:
    """The most recent run folder that holds HTML pages."""
    runs = [p for p in Path(reports_dir).iterdir() if p.is_dir() and any(p.glob("*.html"))] \
        if Path(reports_dir).is_dir() else []
    return max(runs, key=lambda p: p.stat().st_mtime) if runs else None


def font_config(folder: Path) -> Path:
    """A fontconfig file in ``folder`` that reads the machine's fonts and adds the folder of
    the CJK font the plots use, for the browser's ``FONTCONFIG_FILE``."""
    from .present.pack import font_path

    conf = Path(folder) / "fonts.conf"
    conf.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
                    '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
                    f"  <dir>{font_path().parent}</dir>\n</fontconfig>\n", encoding="utf-8")
    return conf


def screenshot(page: Path, png: Path, chromium: str, width: int = 1400, height: int = 0) -> Path:
    """One page to one PNG, the whole page tall (its height measured by the browser) or cut
    at ``height`` pixels; a fresh browser each time (nothing shared, nothing kept)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p, tempfile.TemporaryDirectory() as fonts:
        env = {**os.environ, "FONTCONFIG_FILE": str(font_config(Path(fonts)))}
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"], env=env)
        try:
            view = browser.new_page(viewport={"width": width, "height": height or 1000})
            view.goto(page.resolve().as_uri(), wait_until="load")
            view.screenshot(path=str(png), full_page=not height)
        finally:
            browser.close()
    return png


def main(argv: list[str] | None = None) -> int:
    """Screenshot every HTML page of a run folder (default the newest); exit status 2 when
    Chromium or a run folder is missing."""
    parser = argparse.ArgumentParser(prog="python -m tiermodel.screenshots", description=__doc__.splitlines()[0])
    parser.add_argument("run", nargs="?", help="run folder (default: the newest under reports/)")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=0,
                        help="cut each PNG at this many pixels (default 0: the whole page, however tall)")
    args = parser.parse_args(argv)
    chromium = find_chromium()
    try:
        import playwright  # noqa: F401
    except ImportError:
        print("playwright not installed; install it with: .venv/bin/pip install -e '.[browser]'", file=sys.stderr)
        return 2
    if chromium is None:
        print("chromium not found; install it with: apt-get install -y chromium fonts-noto-cjk", file=sys.stderr)
        return 2
    run = Path(args.run) if args.run else newest_run()
    if run is None or not run.is_dir():
        print("no report run folder with HTML pages; run `make report` first", file=sys.stderr)
        return 2
    out = run / "screenshots"
    out.mkdir(exist_ok=True)
    pages = sorted(run.glob("*.html"))
    for page in pages:
        png = screenshot(page, out / f"{page.stem}.png", chromium, args.width, args.height)
        print(png)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
