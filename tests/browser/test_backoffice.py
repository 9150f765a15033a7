"""The organiser's back office, page after page, passes axe-core in every language.

The organiser logs in and follows every link of the admin, from its front page on, that shows a
page (downloads, deleting and logging out aside); then one page of each kind among them is seen
in each other interface language. The petition's dashboard is among them.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LANGUAGES, Person, log_in

# Enough for every kind of admin page (lists, forms, the dashboard...) without every object.
MOST_PAGES = 40
NOT_PAGES = ("logout", "delete", "export", "download", ".csv", ".xlsx", ".json", "password")


def admin_links(page: Page) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href^='/admin/']", "links => links.map(a => a.href)")
    return [
        href.partition("#")[0]
        for href in hrefs
        if "?" not in href and not any(word in href for word in NOT_PAGES)
    ]


def crawl(person: Person) -> list[str]:
    """The admin's pages, found by following links from its front page."""
    page = person.page
    seen, queue = [], [page.url]
    while queue and len(seen) < MOST_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        if url != page.url:
            person.open(url)
        seen.append(url)
        queue += [link for link in admin_links(page) if link not in seen and link not in queue]
    return seen


# The admin's own kinds of page, each one template whatever the model: an application's index,
# a list, an empty form. Every other page (an object's form, the workspace's tools) is its own.
STOCK_KINDS = {
    "index": re.compile(r"/admin/[^/]+/$"),
    "list": re.compile(r"/admin/[^/]+/[^/]+/$"),
    "add": re.compile(r"/add/$"),
}


def one_of_each_kind(urls: list[str]) -> list[str]:
    """The pages that another language must see: one of each kind, so each template once."""
    kinds: dict[str, str] = {}
    for url in urls:
        kind = next((name for name, shape in STOCK_KINDS.items() if shape.search(url)), None)
        kinds.setdefault(kind or re.sub(r"/\d+/", "/N/", url), url)
    return list(kinds.values())


@pytest.fixture(scope="module")
def admin_pages() -> list[str]:
    """Filled by the English crawl, then visited in the other languages."""
    return []


def test_the_back_office_passes_axe_in_english(person, organiser, admin_pages):
    ana = person("desktop", check_accessibility=True, locale="en")
    log_in(ana)
    admin_pages += crawl(ana)
    assert len(admin_pages) > 10, admin_pages
    assert any(url.endswith("/dashboard/") for url in admin_pages), admin_pages
    assert ana.violations == [], "\n".join(ana.violations)


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "en"])
def test_the_back_office_passes_axe_in_every_language(person, organiser, admin_pages, language):
    if not admin_pages:
        pytest.skip("the English crawl found no pages")
    ana = person("desktop", check_accessibility=True, locale=language)
    page = log_in(ana, language)
    expect(page.locator("html")).to_have_attribute("lang", language)
    for url in one_of_each_kind(admin_pages[1:]):
        ana.open(url)
    assert ana.violations == [], "\n".join(ana.violations)


def test_the_dashboard_on_a_phone(person, organiser):
    """The organiser checks the petition from their phone: the list, the petition, its dashboard."""
    leo = person("phone", check_accessibility=True, reflow=False)
    page = log_in(leo)
    leo.open("/admin/petitions/petition/")
    petitions = [link for link in admin_links(page) if re.search(r"/petition/\d+/change/$", link)]
    leo.open(petitions[0])
    dashboards = [link for link in admin_links(page) if link.endswith("/dashboard/")]
    assert dashboards, "no link to the dashboard on the petition's page"
    leo.open(dashboards[0])
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert leo.violations == [], "\n".join(leo.violations)
