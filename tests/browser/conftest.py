"""firma in a real browser: Debian's Chromium, driven by Playwright, on firma's own processes.

One live firma (the web server and the worker, sending mail to a real SMTP server on loopback) and
one Chromium serve all the browser tests; each person a test needs gets a fresh browser context
(their own cookies) sized as a phone or a desktop, with or without JavaScript. Every page a person
arrives at is saved as a screenshot under var/screenshots/<test>/.

Without Chromium at /usr/bin/chromium (`make browser` installs Debian's package), these tests are
skipped, or fail when REQUIRE_BROWSER=1, as in CI.
"""

import json
import os
import re
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Browser, Locator, Page, Response, expect, sync_playwright

from tests.conftest import SCREENSHOTS, Mailbox, SMTPServer, free_port
from tests.servers import MANAGE, firma_processes

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEVICES = {
    "phone": {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 900}},
}
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
# The demo petition (demo/*.md), in English, Spanish, French and Portuguese (an Arabic reader
# gets the English text in an Arabic page). It asks for the organisation and the country.
PETITION = "drop-the-charges"
LANGUAGES = [code for code, _name in settings.LANGUAGES]
# An organiser with every right in the back office of the live firma.
ORGANISER = ("organiser", "a long passphrase for the browser tests")


def petition_path(language: str = "en") -> str:
    return f"/{language}/p/{PETITION}/"


# Each `expect` waits for its condition up to this bound (Playwright's own is 5 s, too short
# when the machine is busy; a passing test waits only as long as the condition takes).
expect.set_options(timeout=20_000)


def wait_until(condition: Callable[[], bool], seconds: float = 20) -> bool:
    """Poll `condition` until it holds or `seconds` have passed; whether it holds."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def translated(language: str, text: str) -> str:
    """`text` as firma shows it in `language`, from the same catalogues."""
    with translation.override(language):
        return gettext(text)


@pytest.fixture(scope="package")
def chromium() -> Iterator[Browser]:
    """One Chromium for every browser test (package-scoped: Playwright's event loop must be gone
    before tests that use the database run)."""
    if not CHROMIUM.exists():
        message = f"no Chromium at {CHROMIUM}: `make browser` installs Debian's chromium package"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"{message} (REQUIRE_BROWSER=1: the browser tests must run)")
        pytest.skip(message)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class LiveFirma:
    """firma running as in `make run`, with the demo petition; its e-mails land in `mailbox`."""

    base: str
    mailbox: Mailbox
    logs: list[Path]
    env: dict

    def manage(self, *arguments: str, **env: str) -> str:
        """Run a manage.py command on this firma's database; its output."""
        return subprocess.run(
            [*MANAGE, *arguments],
            env={**os.environ, **self.env, **env},
            check=True,
            timeout=120,
            capture_output=True,
            text=True,
        ).stdout

    def mail_to(self, address: str, seconds: float = 60) -> EmailMessage:
        """The one e-mail sent to `address`, once the worker has delivered it."""
        deadline = time.monotonic() + seconds
        while not self.mailbox.to(address) and time.monotonic() < deadline:
            time.sleep(0.05)
        messages = self.mailbox.to(address)
        assert len(messages) == 1, f"{len(messages)} e-mails to {address}"
        return messages[0]

    def log_sizes(self) -> list[int]:
        return [log.stat().st_size for log in self.logs]


def link_in(message: EmailMessage, kind: str) -> str:
    """The path of the e-mail's `confirm` link or of its private `my` link."""
    text = message.get_body(("plain",)).get_content()
    links = re.findall(rf"https?://[^/\s]+(/\S*/{kind}/\S+/)", text)
    assert len(links) == 1, text
    return links[0]


@pytest.fixture(scope="package")
def live_firma(tmp_path_factory) -> Iterator[LiveFirma]:
    smtp = SMTPServer(Mailbox(), free_port())
    smtp.start()
    env = {
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
        "REDIS_URL": "",
        # Every signer comes from 127.0.0.1 with an address at example.org.
        "RATE_LIMIT_IP_BURST": "10000/60",
        "RATE_LIMIT_IP_SUSTAINED": "10000/3600",
        "RATE_LIMIT_DOMAIN": "10000/3600",
        # The proof-of-work puzzle has tests of its own; here it would only cost time.
        "SIGNING_CHALLENGE": "never",
    }
    folder = tmp_path_factory.mktemp("live")
    try:
        with firma_processes(folder, env, worker=True) as ([base], logs):
            yield LiveFirma(base, smtp.mailbox, logs, {**env, **database_of(folder)})
    finally:
        smtp.stop()


@pytest.fixture(scope="package")
def organiser(live_firma) -> tuple[str, str]:
    """A superuser of the live firma: the back office shows them every page it has."""
    username, password = ORGANISER
    live_firma.manage(
        "createsuperuser",
        "--no-input",
        f"--username={username}",
        "--email=organiser@example.org",
        DJANGO_SUPERUSER_PASSWORD=password,
    )
    return ORGANISER


def database_of(folder: Path) -> dict:
    """The settings that point manage.py at the database of firma_processes(folder)."""
    return {
        "DATABASE_URL": f"sqlite:///{folder / 'firma.sqlite3'}",
        "CACHE_DIR": str(folder / "cache"),
        "DJANGO_SETTINGS_MODULE": "firma.settings",
    }


@pytest.fixture(scope="package")
def production_firma(tmp_path_factory) -> Iterator["ProductionFirma"]:
    """firma as a server runs it (DEBUG off, static files collected, compressed and served by
    WhiteNoise), on plain http on loopback: what the weight of a page is measured on."""
    folder = tmp_path_factory.mktemp("production")
    env = {
        "DEBUG": "0",
        "SECRET_KEY": f"browser-tests-{os.urandom(24).hex()}",
        "STATIC_ROOT": str(folder / "static"),
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SIGNING_CHALLENGE": "never",
        "REDIS_URL": "",
    }
    subprocess.run(
        [*MANAGE, "collectstatic", "--no-input", "-v0"],
        env={**os.environ, **database_of(folder), **env},
        check=True,
        timeout=120,
    )
    with firma_processes(folder, env) as ([base], _logs):
        yield ProductionFirma(base, {**env, **database_of(folder)})


class ProductionFirma(str):
    """The production firma's address, which can also run manage.py on its database."""

    def __new__(cls, base: str, env: dict) -> "ProductionFirma":
        found = super().__new__(cls, base)
        found.env = env
        return found

    def manage(self, *arguments: str) -> str:
        return subprocess.run(
            [*MANAGE, *arguments],
            env={**os.environ, **self.env},
            check=True,
            timeout=120,
            capture_output=True,
            text=True,
        ).stdout


@pytest.fixture
def live(live_firma) -> Iterator[LiveFirma]:
    """The live firma; a test fails if the server or the worker logged a traceback during it."""
    sizes = live_firma.log_sizes()
    yield live_firma
    for log, size in zip(live_firma.logs, sizes, strict=True):
        with log.open() as output:
            output.seek(size)
            written = output.read()
        assert "Traceback" not in written, written


class Person:
    """Someone at a browser window on the live firma.

    `open` and `leaving` wait for the page to load, then save a screenshot of it; with
    `check_accessibility`, they also run axe-core on it and keep its serious and critical
    violations in `violations`.
    """

    def __init__(
        self,
        page: Page,
        device: str,
        folder: Path,
        check_accessibility: bool = False,
        reflow: bool = True,
    ) -> None:
        self.page = page
        self.device = device
        self.folder = folder
        self.check_accessibility = check_accessibility
        self.reflow = reflow
        self.pages_seen: list[str] = []
        self.violations: list[str] = []

    def open(self, path: str) -> Page:
        self.page.goto(path)
        self.arrived()
        return self.page

    @contextmanager
    def leaving(self) -> Iterator[None]:
        """Around what takes the person to another page: a click, a key."""
        with self.page.expect_navigation():
            yield
        self.arrived()

    def arrived(self, state: str = "") -> None:
        """Look at the page: a screenshot, the reflow, axe-core. `state` names a change of the
        page without a navigation (the form showing its errors)."""
        path = self.page.url.split("//", 1)[1].partition("/")[2].partition("?")[0]
        # Tokens are long and change with every run; the rest names the page.
        name = "-".join(part for part in path.split("/") if part and len(part) < 30) or "home"
        name = f"{name}-{state}" if state else name
        self.pages_seen.append(name)
        # A full-page screenshot scrolls the page: put it back where the person was, once the
        # page has settled (autofocus focuses its element, and scrolls to it, after the load).
        autofocus = self.page.locator("[autofocus]")
        if autofocus.count():
            expect(autofocus.first).to_be_focused()
        scrolled = self.page.evaluate("[scrollX, scrollY]")
        self.page.screenshot(
            path=self.folder / f"{len(self.pages_seen):02}-{name}-{self.device}.png",
            full_page=True,
        )
        self.page.evaluate("([x, y]) => scrollTo(x, y)", scrolled)
        # Reflow: nothing sticks out sideways, so nobody has to scroll both ways to read.
        width = self.page.evaluate("document.documentElement.scrollWidth")
        if self.reflow:
            assert width <= self.page.viewport_size["width"], f"{name} is {width}px wide"
        if self.check_accessibility:
            self.violations += [f"{name}: {violation}" for violation in axe(self.page)]


def axe(page: Page) -> list[str]:
    """axe-core's serious and critical findings on the page, one line each."""
    page.add_script_tag(path=AXE)
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} "
        f"{json.dumps([node['target'] for node in violation['nodes']])}"
        for violation in results["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


@pytest.fixture(scope="package")
def screenshots() -> Path:
    """var/screenshots/, holding only this run's screenshots (emptied at the session's start,
    tests/conftest.py)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def person(chromium, live, screenshots, request) -> Iterator[Callable[..., Person]]:
    """`person("phone")`, `person("desktop", javascript=False)`: a new person at a browser.

    The test fails if a browser complains: a script error, something the CSP refused, a file
    that does not load. (A page may answer 400, as the form with errors does: no complaint.)
    """
    folder = screenshots / re.sub(r"[^\w.-]+", "-", request.node.name).strip("-")
    contexts = []
    complaints: list[str] = []

    def complain_of_console(kind: str, text: str) -> None:
        if kind == "error" and not text.startswith("Failed to load resource"):
            complaints.append(text)

    def complain_of_response(response: Response) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            complaints.append(f"{response.status} {response.url}")

    def new_person(
        device: str,
        javascript: bool = True,
        check_accessibility: bool = False,
        reflow: bool = True,
        **options,
    ) -> Person:
        context = chromium.new_context(
            base_url=live.base,
            java_script_enabled=javascript,
            # axe-core is injected as an inline script, which firma's CSP rightly forbids.
            bypass_csp=check_accessibility,
            **DEVICES[device],
            **options,
        )
        # Generous bounds, never waited out on a quiet machine: on a busy one pages come late.
        context.set_default_timeout(30_000)
        context.on("weberror", lambda error: complaints.append(str(error.error)))
        context.on("console", lambda message: complain_of_console(message.type, message.text))
        context.on("response", complain_of_response)
        contexts.append(context)
        return Person(context.new_page(), device, folder, check_accessibility, reflow)

    yield new_person
    for context in contexts:
        context.close()
    assert complaints == []


def fill_in(
    page: Page,
    language: str = "en",
    *,
    full_name: str,
    email: str,
    organization: str = "Teachers' Union",
    country: str = "AR",
    public: bool = True,
) -> None:
    """Fill in the signing form of the demo petition, finding each field by its label."""
    label = page.get_by_label
    label(translated(language, "Full name"), exact=True).fill(full_name)
    label(translated(language, "Organisation / position / occupation"), exact=True).fill(
        organization
    )
    label(translated(language, "Country / territory"), exact=True).select_option(country)
    label(translated(language, "E-mail"), exact=True).fill(email)
    public_list = translated(
        language, "Show my name, organisation, country and comment in the public list of signers."
    )
    label(public_list, exact=True).set_checked(public)


def signature_count(page: Page) -> int:
    """The count on a petition page, whatever the language's digit grouping."""
    return int(re.sub(r"\D", "", page.locator(".count .number").inner_text()))


def heading(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def sign_button(page: Page, language: str = "en") -> Locator:
    return page.get_by_role("button", name=translated(language, "Sign"), exact=True)


def log_in(person: Person, language: str = "en") -> Page:
    """The organiser logs in to the back office; the admin's front page."""
    page = person.open("/admin/login/?next=/admin/")
    page.locator("#id_username").fill(ORGANISER[0])
    page.locator("#id_password").fill(ORGANISER[1])
    with person.leaving():
        page.get_by_role("button", name=translated(language, "Log in")).click()
    return page
