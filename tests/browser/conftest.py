"""Real-browser fixtures: Debian's Chromium driven by Playwright against a live server.

One browser is launched for the whole browser package (launching costs about a
second); each test gets fresh browser contexts, so cookies and storage never
leak from one test to the next.

Playwright's sync API keeps an asyncio event loop marked as running in the main
thread while the browser is open, and Django refuses ORM calls from such a
thread (SynchronousOnlyOperation). The tests themselves are ordinary
synchronous code that happens to share the thread with that loop, so
DJANGO_ALLOW_ASYNC_UNSAFE is set for exactly as long as the browser is open.
The browser is package-scoped so the loop is gone before tests outside this
package run (asgiref's async_to_sync refuses to run beside a running loop).
"""

import os
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.browser.viewports import VIEWPORTS

# The issue asks for the live server on 127.0.0.1 (pytest-django's default is "localhost").
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

# Generous for a 2-core machine shared with other jobs, still far below a hang.
DEFAULT_TIMEOUT_MS = 10_000
expect.set_options(timeout=DEFAULT_TIMEOUT_MS)

_screenshot_dir: Path | None = None


def pytest_terminal_summary(terminalreporter) -> None:
    if _screenshot_dir is not None and any(_screenshot_dir.iterdir()):
        terminalreporter.write_line(f"Browser screenshots: {_screenshot_dir}")


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM_PATH).exists():
        # Not a skip: CI installs Chromium (.ci/run), and a silent skip would
        # hide that the browser tests did not run.
        pytest.fail(
            f"Chromium not found at {CHROMIUM_PATH}. Install it with "
            "`apt-get install -y chromium` (as .ci/run does) or set CHROMIUM_PATH."
        )
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM_PATH, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def site_url(live_server) -> str:
    """The live server's root URL (it implies a transactional database)."""
    return live_server.url


@pytest.fixture
def new_context(browser: Browser, site_url: str) -> Iterator[Callable[..., BrowserContext]]:
    """Open browser contexts (fresh cookie jars) that are closed after the test."""
    contexts: list[BrowserContext] = []

    def open_context(viewport: str = "desktop", **options) -> BrowserContext:
        context = browser.new_context(
            base_url=site_url, viewport=VIEWPORTS[viewport], locale="en-US", **options
        )
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context) -> Page:
    """A desktop-width page in a fresh context that keeps the site's CSP."""
    page = new_context().new_page()
    # Script errors, CSP refusals and failed loads, for tests that assert there are none.
    page.console_errors = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    page.on("pageerror", lambda error: page.console_errors.append(f"Uncaught {error}"))
    return page


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    """Where this run's screenshots go: $SCREENSHOT_DIR or test-artifacts/screenshots/<UTC time>."""
    global _screenshot_dir
    configured = os.environ.get("SCREENSHOT_DIR")
    if configured:
        path = Path(configured)
    else:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        path = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots" / stamp
    path.mkdir(parents=True, exist_ok=True)
    _screenshot_dir = path
    print(f"\nBrowser screenshots go to {path}")
    return path


@pytest.fixture
def screenshot(screenshot_dir: Path) -> Callable[[Page, str], Path]:
    def take(page: Page, name: str) -> Path:
        safe_name = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-")
        path = screenshot_dir / f"{safe_name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
