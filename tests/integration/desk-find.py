#!/usr/bin/python3
"""34-desk-find's browser half: Debian's chromium, headless, through
chromedriver and selenium, against a running raksha-desk with 201 open
cases: the search form, the thumbnails, the next page's link, the units'
page.

usage: desk-find.py URL USER PASSWORD SEARCH FOUND-ID PAGE2-ID

Prints one line per check, "1 DESCRIPTION" or "0 DESCRIPTION", for the
shell to count as TAP; diagnostics start with "#". Every wait is bounded."""
import sys
import tempfile

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

URL, USER, PASSWORD, SEARCH, FOUND, PAGE2 = sys.argv[1:7]


def check(ok, description):
    print("%d %s" % (1 if ok else 0, description), flush=True)
    return ok


def browser(profile):
    o = webdriver.ChromeOptions()
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--user-data-dir=" + profile, "--no-first-run", "--disable-extensions",
              "--disable-background-networking", "--disable-sync", "--disable-component-update",
              "--disable-default-apps"):
        o.add_argument(a)
    o.binary_location = "/usr/bin/chromium"
    d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=o)
    d.set_page_load_timeout(10)
    d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                      {"width": 360, "height": 740, "deviceScaleFactor": 1, "mobile": True})
    return d


def listed(d):
    """The cases listed, read in one script: live.js may put a fresh list in place between two reads."""
    return [h.rsplit("/", 1)[1] for h in d.execute_script(
        "return Array.from(document.querySelectorAll('ol.cases a.case')).map(a => a.href)")]


def fits(d):
    w = d.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
    return w[0] <= w[1]


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
            d.get(URL + "/login")
            d.find_element(By.NAME, "username").send_keys(USER)
            d.find_element(By.NAME, "password").send_keys(PASSWORD)
            d.find_element(By.CSS_SELECTOR, "form.login button").click()
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
