import os
import shutil

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail(f"浏览器测试需要 Debian 的 chromium（{CHROMIUM}）：make test 会自动安装，或 apt-get install chromium")
    from playwright.sync_api import sync_playwright  # only the browser tests pay for loading Playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    contexts = []

    def make():
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", base_url=live_server.url)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())
        _wait_for_load_after_clicks(page)
        return page

    yield make
    for context in contexts:
        context.close()


def _wait_for_load_after_clicks(page):
    """`page.click` returns once the navigation it started has committed, before the new page is parsed: a count read
    then sees part of a page (CI once found 0 of the readiness page's 1 failing check) and a count of 0 passes on a
    half-parsed page. Here every `page.click` returns when the page it leads to has loaded (at once if it led nowhere);
    a `locator(...).click()` that navigates waits with `wait_for_load_state()` after it."""
    click = page.click

    def click_and_wait(*args, **kwargs):
        click(*args, **kwargs)
        page.wait_for_load_state()

    page.click = click_and_wait


os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
