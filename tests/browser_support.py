"""Opening our HTML pages in a real headless Chromium (Debian's ``chromium`` and
``chromium-driver``), through the DevTools logging that chromedriver exposes.

The pages are read by colleagues in their own browser, so only a real browser
can tell whether they parse, lay out and run nothing. ``.ci/run`` installs
Chromium; on a machine without it the browser tests skip with one reason, except
under CI (``CI`` set), where a missing browser is a failure rather than a
silent skip.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

#: The flags that keep a headless Chromium quiet and self-contained on a build
#: machine: no sandbox (CI runs as root), no GPU, no network of its own.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)

#: A laptop screen: what a colleague opening the page most likely has.
WIDTH, HEIGHT = 1366, 768

MISSING = (
    "no headless Chromium: install Debian's chromium and chromium-driver "
    "(.ci/run does) to open the HTML pages in a real browser"
)


def find_chromium() -> tuple[str, str] | None:
    """The browser and its driver, or None when either is missing."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    try:
        import selenium  # noqa: F401
    except ImportError:
        return None
    return (browser, driver) if browser and driver else None


@dataclass
class Loaded:
    """A page as the browser shows it."""

    #: every console message and uncaught exception logged while it loaded
    console: list[dict[str, Any]]
    #: the rendered text, as a reader would copy it
    text: str

    def errors(self) -> list[str]:
        return [e["message"] for e in self.console if e.get("level") in ("SEVERE", "WARNING")]


class Browser:
    def __init__(self, driver: Any) -> None:
        self.driver = driver

    def open(self, page: Path) -> Loaded:
        self.driver.get_log("browser")  # drop what an earlier page left
        self.driver.get(page.resolve().as_uri())
        self.driver.execute_script("return document.readyState")
        text = self.driver.execute_script("return document.body.innerText")
        return Loaded(self.driver.get_log("browser"), text)

    def run(self, script: str, *args: Any) -> Any:
        return self.driver.execute_script(script, *args)

    def screenshot(self, out: Path) -> None:
        """The whole page, as tall as it is (not only the first screenful)."""
        height = self.run("return document.documentElement.scrollHeight")
        self.driver.set_window_size(WIDTH, max(HEIGHT, min(int(height), 16000)))
        self.driver.save_screenshot(str(out))
        self.driver.set_window_size(WIDTH, HEIGHT)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    found = find_chromium()
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(MISSING)
        pytest.skip(MISSING)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary, driver_path = found
    with tempfile.TemporaryDirectory(prefix="annotator-chromium-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = binary
        for flag in FLAGS:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={profile}")
        options.add_argument(f"--window-size={WIDTH},{HEIGHT}")
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(options=options, service=Service(driver_path))
        try:
            yield Browser(driver)
        finally:
            driver.quit()
