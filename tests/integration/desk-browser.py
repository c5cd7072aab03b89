#!/usr/bin/python3
"""30-desk's browser half: Debian's chromium, headless, driven through
chromedriver by selenium, against a running raksha-desk.

usage: desk-browser.py URL USER PASSWORD LOCKUSER XSS-NAME PHOTO-NAME ARTEFACTS-DIR

Prints one line per check, "1 DESCRIPTION" or "0 DESCRIPTION", for the
shell to count as TAP; diagnostics start with "#". Every wait is bounded."""
import os
import sys
import tempfile
import time

from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from deskbrowser import browser, check, fits, login, small_targets, wait_for  # noqa: E402

URL, USER, PASSWORD, LOCKUSER, XSS, PHOTO_NAME, ARTEFACTS = sys.argv[1:8]


def no_alert(d):
    try:
        d.switch_to.alert
        return False
    except NoAlertPresentException:
        return True


CONTRAST_JS = """
const lum = c => {
  const v = c.match(/[0-9.]+/g).slice(0, 3).map(x => x / 255)
    .map(x => x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4));
  return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2];
};
const opaque = c => { const a = c.match(/[0-9.]+/g); return a.length < 4 || Number(a[3]) > 0; };
const back = e => {
  for (; e; e = e.parentElement) {
    const b = getComputedStyle(e).backgroundColor;
    if (opaque(b)) return b;
  }
  return 'rgb(255, 255, 255)';
};
const low = [];
document.querySelectorAll('body *').forEach(e => {
  const text = Array.from(e.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
  if (!text || e.getClientRects().length === 0) return;
  const a = lum(getComputedStyle(e).color), b = lum(back(e));
  const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  if (ratio < 4.5) low.push(e.textContent.trim().slice(0, 30) + ': ' + ratio.toFixed(2));
});
return low;
"""


def low_contrast(d):
    """Texts under WCAG's 4.5:1 against their background (read outdoors, in
    sunlight, on a phone), as 'text: ratio'."""
    return d.execute_script(CONTRAST_JS)


def own_requests_only(d):
    """Every resource the page loaded came from the desk itself."""
    names = d.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    strangers = [n for n in names if not n.startswith(URL + "/")]
    for n in strangers:
        print("#   a request elsewhere: " + n)
    return not strangers


def the_list(d):
    login(d, URL, USER, PASSWORD)
    check(wait_for(d, lambda x: x.current_url == URL + "/cases"), "logging in leads to the open cases")
    check(PHOTO_NAME in d.page_source, "the published report is in the list")
    names = [e.text for e in d.find_elements(By.CSS_SELECTOR, "ol.cases .name")]
    check(XSS in names, "the name <img ...> shows as text, as typed")
    # The list's only images are the desk's thumbnails (desk_thumb.h).
    check(not d.find_elements(By.CSS_SELECTOR, "ol.cases img:not(.thumb), img[src='x']"),
          "  and makes no img element")
    check(no_alert(d), "  and runs nothing (no alert)")
    check(names and names[0] == PHOTO_NAME, "the critical case comes first: %s" % names[:3])
    check(fits(d), "the list at 360x740: nothing scrolls sideways")
    small = small_targets(d)
    check(not small, "the list's links and buttons are at least 44 px high: %s" % small)
    low = low_contrast(d)
    check(not low, "the list's texts at 4.5:1 contrast or more (sunlight): %s" % low)
    check(own_requests_only(d), "the list loads nothing from elsewhere")
    d.save_screenshot(os.path.join(ARTEFACTS, "desk-list-360x740.png"))


def the_case(d):
    d.find_element(By.PARTIAL_LINK_TEXT, PHOTO_NAME).click()
    check(wait_for(d, lambda x: "/case/" in x.current_url), "a case's card opens its page")
    body = d.find_element(By.TAG_NAME, "main").text
    for want in ("Clothing", "red frock", "Station", "BPL", "Train", "12627", "Age", "9", "female"):
        check(want in body, "  the case page shows '%s'" % want)
    loaded = wait_for(d, lambda x: x.execute_script(
        "const i = document.querySelector('figure img');"
        "return i !== null && i.complete && i.naturalWidth == 16"), 5)
    check(loaded, "  and its photo, loaded by the browser (16 px wide)")
    check(fits(d), "the case at 360x740: nothing scrolls sideways")
    check(not small_targets(d), "  its buttons are at least 44 px high")
    low = low_contrast(d)
    check(not low, "  its texts at 4.5:1 contrast or more: %s" % low)
    d.save_screenshot(os.path.join(ARTEFACTS, "desk-case-360x740.png"))
    d.find_element(By.ID, "ack").click()
    said = wait_for(d, lambda x: x.find_elements(By.ID, "notice"), 10)
    notice = d.find_element(By.ID, "notice").text if said else ""
    check(notice == "ack sent", "Acknowledge: the case page says '%s'" % notice)
    case_url = d.current_url
    counted = wait_for(d, lambda x: x.get(case_url) or "acks 1" in x.find_element(By.TAG_NAME, "main").text, 10)
    check(counted, "  and, once the agent has it, 'acks 1'")
    check(not d.find_elements(By.ID, "notice"), "  the notice shown once")
    photo = d.find_element(By.CSS_SELECTOR, "figure img").get_attribute("src")
    d.find_element(By.CSS_SELECTOR, "header button").click()
    check(wait_for(d, lambda x: x.current_url == URL + "/login"), "logging out leads to the login page")
    d.get(URL + "/cases")
    check(d.current_url == URL + "/login", "  and the list is no longer there for this browser")
    return photo


def the_lock(d):
    for i in range(5):
        login(d, URL, LOCKUSER, "wrong password %d" % i)
        wait_for(d, lambda x: x.find_elements(By.ID, "login-error"), 5)
    login(d, URL, LOCKUSER, PASSWORD)
    wait_for(d, lambda x: x.find_elements(By.ID, "login-error"), 5)
    text = " ".join(e.text for e in d.find_elements(By.ID, "login-error"))
    check("locked" in text, "after five wrong passwords the right one is refused: '%s'" % text)
    check(d.current_url == URL + "/login", "  and no session: still the login page")


def main():
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="raksha-desk-chromium.") as profile:
        d = browser(profile)
        try:
            the_list(d)
            photo = the_case(d)
            d.get(photo)
            check(d.title.startswith("403"), "the photo without a session is refused: '%s'" % d.title)
            the_lock(d)
        finally:
            d.quit()
    print("#   the browser's part took %.1f s" % (time.monotonic() - started))


main()
