"""Headless Chromium for the page tests and the load benchmark (Debian: chromium, chromium-driver).

`open_page` loads a local HTML file with networking emulated offline and returns what a
test needs: the driver, every request the page attempted, and its console errors.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path


def chromium_missing() -> str | None:
    """Why headless Chromium cannot run here, or None when it can."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e .[dev])"
    for program, package in (("chromium", "chromium"), ("chromedriver", "chromium-driver")):
        if shutil.which(program) is None:
            return f"{program} is not installed (Debian: apt-get install {package})"
    return None


@dataclass
class PageVisit:
    driver: object
    seconds_to_ready: float
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def js(self, script: str):
        return self.driver.execute_script(script)


def start_chromium(width: int = 1280, height: int = 900):
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        f"--window-size={width},{height}",
        "--no-first-run",
        "--disable-extensions",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    service = webdriver.ChromeService(executable_path=shutil.which("chromedriver"))
    driver = webdriver.Chrome(options=options, service=service)
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd(
        "Network.emulateNetworkConditions",
        {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    return driver


def open_page(
    driver, page: Path, timeout: float = 60, wait_for: str = "window.kgReady && window.kgStable"
) -> PageVisit:
    """Load `page` and wait until `wait_for` is true in it; collect requests and console errors."""
    driver.get_log("performance")
    driver.get_log("browser")
    started = time.perf_counter()
    driver.get(page.resolve().as_uri())
    while not driver.execute_script(f"return Boolean({wait_for});"):
        if time.perf_counter() - started > timeout:
            raise TimeoutError(f"{page} not ready after {timeout} s")
        time.sleep(0.02)
    seconds = time.perf_counter() - started
    own = page.resolve().as_uri()
    requests = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            url = message["params"]["request"]["url"]
            if url != own and not url.startswith("data:"):
                requests.append(url)
    errors = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    return PageVisit(driver, seconds, requests, errors)
