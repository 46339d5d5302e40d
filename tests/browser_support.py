"""A real headless Chromium for the network page tests, with the network cut off.

The system's Chromium (Debian's ``/usr/bin/chromium``, or ``BIOCLUSTER_CHROMIUM``) is driven
by Playwright; no browser is downloaded. Without one the tests skip with a one-line reason,
unless ``BIOCLUSTER_REQUIRE_BROWSER=1``, when they fail instead (CI sets it).

Every page opens in a fresh context whose requests all go through one route: the
``file://`` page itself is allowed, anything else is aborted and recorded, so a test can
assert that the page asked for nothing.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def chromium_path() -> str | None:
    """The Chromium executable to drive, or None."""
    configured = os.environ.get("BIOCLUSTER_CHROMIUM")
    if configured:
        return configured if Path(configured).is_file() else None
    if Path("/usr/bin/chromium").is_file():
        return "/usr/bin/chromium"
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _unavailable(reason: str) -> None:
    if os.environ.get("BIOCLUSTER_REQUIRE_BROWSER") == "1":
        pytest.fail(f"BIOCLUSTER_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def chromium_or_skip() -> str:
    """The Chromium path; skips (or fails when required) if Chromium or Playwright is missing."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("Playwright is not installed (pip install playwright)")
    path = chromium_path()
    if path is None:
        where = os.environ.get("BIOCLUSTER_CHROMIUM") or "/usr/bin/chromium or on PATH"
        _unavailable(f"no Chromium at {where} (set BIOCLUSTER_CHROMIUM to its path)")
    assert path is not None
    return path


@contextmanager
def launched_chromium() -> Iterator[Any]:
    """A headless Chromium browser, closed afterwards."""
    executable = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class OfflinePage:
    """A page opened with the network cut off, and what it tried to do."""

    page: Any
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    requested: list[str] = field(default_factory=list)

    @property
    def web_requests(self) -> list[str]:
        """Every http(s) request the page attempted (all were aborted)."""
        return [url for url in self.requested if url.startswith(("http:", "https:"))]

    def evaluate(self, expression: str, argument: Any = None) -> Any:
        return self.page.evaluate(expression, argument)

    def wait_until_still(self, timeout_ms: float = 60_000) -> None:
        """Wait until the layout has stopped (the page marks its body ``data-state=still``).

        A selector, not ``wait_for_function``: the page's Content Security Policy forbids
        the string evaluation that polling uses."""
        self.page.wait_for_selector(
            'body[data-state="still"]', state="attached", timeout=timeout_ms
        )


@contextmanager
def open_offline(
    browser: Any, path: Path, *, width: int = 1400, height: int = 900
) -> Iterator[OfflinePage]:
    """Open ``path`` in a new context where only the file itself may load."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    record = OfflinePage(page)
    page_url = path.resolve().as_uri()

    def route(route: Any) -> None:
        url = route.request.url
        if url == page_url:
            route.continue_()
        else:
            record.blocked.append(url)
            route.abort()

    def on_dialog(dialog: Any) -> None:
        record.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    context.route("**/*", route)
    page.on("request", lambda request: record.requested.append(request.url))
    page.on(
        "console",
        lambda message: (
            record.console_errors.append(message.text) if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: record.page_errors.append(str(error)))
    page.on("dialog", on_dialog)
    try:
        page.goto(page_url)
        yield record
    finally:
        context.close()


def save_screenshot(page: OfflinePage, name: str) -> Path:
    """Save a screenshot under ``test-artifacts/`` (gitignored) and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / name
    page.page.screenshot(path=str(target), full_page=False)
    return target
