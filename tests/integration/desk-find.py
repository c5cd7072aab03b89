#!/usr/bin/python3
"""34-desk-find's browser half: Debian's chromium, headless, through
chromedriver and selenium, against a running raksha-desk with 201 open
cases: the search form, the thumbnails, the next page's link, the units'
page.

usage: desk-find.py URL USER PASSWORD SEARCH FOUND-ID PAGE2-ID

Prints one line per check, "1 DESCRIPTION" or "0 DESCRIPTION", for the
shell to count as TAP; diagnostics start with "#". Every wait is bounded."""
import os
import sys
import tempfile

from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from deskbrowser import browser, check, fits, login  # noqa: E402

URL, USER, PASSWORD, SEARCH, FOUND, PAGE2 = sys.argv[1:7]


def listed(d):
    """The cases listed, read in one script: live.js may put a fresh list in place between two reads."""
    return [h.rsplit("/", 1)[1] for h in d.execute_script(
        "return Array.from(document.querySelectorAll('ol.cases a.case')).map(a => a.href)")]


def next_page(d):
    """Taps the list's last page link; False if live.js put a fresh list in place meanwhile
    (the link then stale), to be tried again."""
    try:
        d.find_elements(By.CSS_SELECTOR, "nav.pages a.page")[-1].click()
        return True
    except StaleElementReferenceException:
        return False


def main():
    with tempfile.TemporaryDirectory() as profile:
        d = browser(profile)
        wait = WebDriverWait(d, 10)
        try:
            login(d, URL, USER, PASSWORD)
            wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "form.find"))
            check(fits(d), "browser: the list with its search form fits 360 px")
            try:  # lazy: loaded once laid out, maybe after the page's load event
                wait.until(lambda d: d.execute_script(
                    "return Array.from(document.querySelectorAll('img.thumb')).every(i => i.complete)"))
            except TimeoutException:
                pass  # the check below says which did not load
            widths = d.execute_script("return Array.from(document.querySelectorAll('img.thumb'))"
                                      ".map(i => i.complete ? i.naturalWidth : -1)")
            print("#   thumbnails' natural widths: %r" % widths)
            check(sorted(widths) == [96, 96], "browser: the list's two thumbnails shown, 96 px wide")
            d.find_element(By.CSS_SELECTOR, "form.find input[name=q]").send_keys(SEARCH)
            d.find_element(By.CSS_SELECTOR, "form.find button").click()
            wait.until(lambda d: "q=" in d.current_url)
            check(listed(d) == [FOUND], "browser: the form's search for a Devanagari name finds its case only")
            d.get(URL + "/cases")
            wait.until(next_page)
            wait.until(lambda d: "page=2" in d.current_url)
            check(listed(d) == [PAGE2], "browser: 'Next page' shows the 201st case")
            d.find_element(By.CSS_SELECTOR, "header a.units").click()
            wait.until(lambda d: d.current_url.endswith("/presence"))
            states = [e.text for e in d.find_elements(By.CSS_SELECTOR, "ul.presence .state")]
            print("#   states: %r" % states)
            check(states == ["OFFLINE", "online"], "browser: the units' page, offline first, then online")
        finally:
            d.quit()


main()
