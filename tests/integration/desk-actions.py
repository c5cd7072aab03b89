#!/usr/bin/python3
"""33-desk-actions' browser half: Debian's chromium, headless, through
chromedriver and selenium, against a running raksha-desk.

usage: desk-actions.py URL USER PASSWORD CASE-NAME

On the case CASE-NAME: Acknowledge "acting" with a note, then Found with a
place and handed-over-to, through its confirmation page. Prints "1 WHAT" /
"0 WHAT" per check for the shell (tests/lib/desk.sh desk_tap); every wait
is bounded."""
import os
import sys
import tempfile

from selenium.webdriver.common.by import By

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from deskbrowser import browser, check, login, page_width, small_targets, wait_for  # noqa: E402

URL, USER, PASSWORD, NAME = sys.argv[1:5]
NOTE = "on platform 1 now"


def phone_ready(d, where):
    """No sideways scroll at 360 px; every button, link and input 44 px high."""
    w = page_width(d)
    check(w[0] <= w[1] == 360, "%s at 360 px: nothing scrolls sideways (%d <= %d)" % (where, w[0], w[1]))
    small = small_targets(d, "a, button, input, textarea", "e.id || e.name")
    check(not small, "  its targets at least 44 px high: %s" % small)


def notice(d):
    said = wait_for(d, lambda x: x.find_elements(By.ID, "notice"), 10)
    return d.find_element(By.ID, "notice").text if said else ""


def main():
    with tempfile.TemporaryDirectory(prefix="raksha-desk-chromium.") as profile:
        d = browser(profile)
        try:
            login(d, URL, USER, PASSWORD)
            wait_for(d, lambda x: x.current_url == URL + "/cases", 5)
            d.find_element(By.PARTIAL_LINK_TEXT, NAME).click()
            check(wait_for(d, lambda x: "/case/" in x.current_url, 5), "the case page opens")
            phone_ready(d, "the case page with its action forms")
            order = d.execute_script(
                "const f = document.querySelector('main dl'), a = document.querySelector('details.action');"
                "return [!!f, !!a, !!(f && a && (f.compareDocumentPosition(a) & 4))]")
            check(order == [True, True, True], "  the child's fields before the folded actions: %s" % order)
            states = [e.get_attribute("value") for e in d.find_elements(By.CSS_SELECTOR, "form[action$='/ack'] button")]
            check(states == ["received", "acting", "done"], "  Acknowledge: a button a state, one tap: %s" % states)
            d.find_element(By.ID, "ack-notes").send_keys(NOTE)
            d.find_element(By.ID, "ack").click()
            said = notice(d)
            check(said == "ack sent", "Acknowledge acting with a note: the page says '%s'" % said)
            d.find_element(By.CSS_SELECTOR, "details.act-found summary").click()
            form = d.find_element(By.CSS_SELECTOR, "form[action$='/found']")
            for name, value in (("station_code", "BPL"), ("train_number", "12627"), ("coach", "S4"),
                                ("description", "waiting hall"), ("handed_over_to", "CWC Bhopal")):
                form.find_element(By.NAME, name).send_keys(value)
            d.find_element(By.ID, "found").click()
            asked = wait_for(d, lambda x: x.find_elements(By.ID, "confirm"), 5)
            check(asked and "cannot be undone" in d.page_source, "Found: a confirmation page first")
            phone_ready(d, "  the confirmation page")
            d.find_element(By.ID, "confirm").click()
            said = notice(d)
            check(said == "found sent", "  confirmed: the page says '%s'" % said)
            gone = wait_for(d, lambda x: x.get(URL + "/cases") or NAME not in x.page_source, 10)
            check(gone, "  and the case leaves the desk's open list")
        finally:
            d.quit()


main()
