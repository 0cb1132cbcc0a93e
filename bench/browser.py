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


def start_chromium(
    width: int = 1280, height: int = 900, offline: bool = True, extra_args: tuple[str, ...] = ()
):
    """Headless Chromium with browser and network logs; `offline` cuts every request (a
    page that must work from a file), `extra_args` are more switches (a host rule)."""
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
        *extra_args,
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    service = webdriver.ChromeService(executable_path=shutil.which("chromedriver"))
    driver = webdriver.Chrome(options=options, service=service)
    driver.execute_cdp_cmd("Network.enable", {})
    if offline:
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
            errors = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
            raise TimeoutError(f"{page} not ready after {timeout} s; console errors: {errors}")
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


# Read back from vis-network what it drew: each node's label box (position and measured
# size, in canvas coordinates) turned into screen pixels. A label counts as visible when
# vis-network draws it at this zoom (its font is not below the network's draw threshold)
# and its box meets the canvas.
LABEL_BOXES_JS = """
const net = window.kgNetwork, scale = net.getScale();
const canvas = net.canvas.frame.canvas, width = canvas.clientWidth, height = canvas.clientHeight;
const boxes = [];
for (const id of net.body.nodeIndices) {
  const node = net.body.nodes[id];
  if (!node.options.label || node.options.hidden) continue;
  const font = node.labelModule.fontOptions.size;
  if (font * scale < node.options.scaling.label.drawThreshold - 1) continue;
  const s = node.labelModule.size;
  if (!s.width || !s.height) continue;
  const a = net.canvasToDOM({x: s.left, y: s.top}), b = net.canvasToDOM({x: s.left + s.width, y: s.top + s.height});
  if (b.x < 0 || b.y < 0 || a.x > width || a.y > height) continue;
  boxes.push({id: String(id), label: node.options.label, left: a.x, top: a.y, right: b.x, bottom: b.y,
              font: font * scale});
}
return {boxes, scale, drawn: net.body.nodeIndices.length, width, height};
"""


@dataclass
class LabelReport:
    """The labels visible at the current view and how many of them overlap another."""

    boxes: list[dict]
    overlapping: list[str]
    scale: float
    drawn: int

    @property
    def share(self) -> float:
        return len(self.overlapping) / len(self.boxes) if self.boxes else 0.0

    def labels(self) -> set[str]:
        return {b["label"] for b in self.boxes}


def label_report(visit: PageVisit) -> LabelReport:
    """Label boxes read back from the network after a redraw, and the overlapping ones."""
    visit.js("window.kgNetwork.redraw();")
    found = visit.js(LABEL_BOXES_JS)
    boxes = found["boxes"]
    overlapping = []
    for i, a in enumerate(boxes):
        for j, b in enumerate(boxes):
            if i != j and _overlap(a, b):
                overlapping.append(a["id"])
                break
    return LabelReport(boxes, overlapping, found["scale"], found["drawn"])


def _overlap(a: dict, b: dict) -> bool:
    """Two boxes share area (touching edges do not count).

    >>> _overlap({"left": 0, "top": 0, "right": 10, "bottom": 10}, {"left": 10, "top": 0, "right": 20, "bottom": 10})
    False
    >>> _overlap({"left": 0, "top": 0, "right": 10, "bottom": 10}, {"left": 5, "top": 5, "right": 20, "bottom": 20})
    True
    """
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and b["top"] < a["bottom"]
    )
