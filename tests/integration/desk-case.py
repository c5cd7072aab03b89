#!/usr/bin/python3
"""35-desk-case's browser half: Debian's chromium, headless, through
chromedriver and selenium, against a running raksha-desk.

usage: desk-case.py URL USER PASSWORD REPORT-ID FOUND-ID LINKED-FOUND-ID DISMISSED-FOUND-ID HOSTILE

Prints "1 DESCRIPTION" or "0 DESCRIPTION" per check; "#" lines are
diagnostics. Every wait is bounded."""
import os
import sys
import tempfile

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from deskbrowser import browser, check, fits, login  # noqa: E402

URL, USER, PASSWORD, R, F, G, D, H = sys.argv[1:9]


def text(d):
    return d.find_element(By.TAG_NAME, "body").text


def hostile_ran(d):
    """The hostile text ran (CSP would stop its handler: so an img made of it counts)."""
    return d.execute_script("return window.pwned !== undefined || document.querySelectorAll('img[onerror]').length > 0")


def report_page(d):
    d.get(URL + "/case/" + R)
    body = text(d)
    want = ["सीमा कुमारी " + H, "Seema " + H, "8-10", "female", "121 cm", "thin " + H, "wheatish " + H,
            "two plaits " + H, "blue frock " + H, "mole on left cheek " + H, "hi, bundeli " + H,
            "Ramesh " + H, "father " + H, "+919833333333", "12 Station Road " + H, "platform 3 " + H,
            "Bhopal " + H, "BPL", "12627", "S4", "23.26880, 77.41330", "FIR 77/2026 " + H, "GRP Bhopal " + H,
            "Vidisha district " + H, "companion: Kamla " + H, "old woman in a green sari", "+919811111111",
            "suspect: Unknown man", "tall, red cap " + H, "+919822222222", "shy, answers to Munni " + H,
            "ChildLine Vidisha", "mp/vidisha/childline", "Asha " + H, "CL-7", "+919800000001", "Revision\n2"]
    missing = [w for w in want if w not in body]
    check(not missing, "the report's page shows every field's value (%d)" % len(want))
    for w in missing:
        print("# missing: %r" % w)
    d.execute_script("window.scrollTo(0, 0)")
    imgs = d.find_elements(By.CSS_SELECTOR, "figure.photo img")
    widths = d.execute_script("return Array.from(document.querySelectorAll('figure.photo img'))"
                              ".map(i => i.complete ? i.naturalWidth : -1)")
    check(widths == [200, 120], "both photos full size (naturalWidth %s, published 200 and 120)" % widths)
    caps = [f.text for f in d.find_elements(By.CSS_SELECTOR, "figure.photo figcaption")]
    check(len(imgs) == 2 and caps == ["photo 1 of 2", "photo 2 of 2"], "  each a figure with its caption")
    items = [li.text for li in d.find_elements(By.CSS_SELECTOR, "ol.timeline > li")]
    for what, needles in (
            ("the report", ["report, revision 1", "by ChildLine Vidisha (mp/vidisha/childline), officer Asha " + H + " CL-7"]),
            ("its revision", ["revision 2", "ChildLine Vidisha"]),
            ("the sighting", ["seen at ET", "waiting hall " + H, "seen with a woman " + H, "RPF Itarsi (mp/itarsi/rpf), officer Ravi Singh RPF-42"]),
            ("the ack", ["acting", "searching train 12627 " + H, "officer Ravi Singh RPF-42"]),
            ("the status update", ["found at ET", "RPF post " + H, "handed over to CWC Itarsi " + H, "officer Asha"]),
            ("the escalation", ["level 1", "asks SP Railways", "GRP Bhopal (mp/bhopal/grp)"]),
            ("the refused close", ["REFUSED (not-owner", "not ours to close " + H, "RPF Itarsi (mp/itarsi/rpf), officer Ravi Singh"])):
        check(any(all(n in i for n in needles) for i in items), "the timeline shows %s with unit and officer" % what)
    check(len(items) >= 7 and items[-1].find("report, revision 1") >= 0, "  newest first, the report last")
    changes = [[c.text for c in li.find_elements(By.CSS_SELECTOR, "ul.changes li")]
               for li in d.find_elements(By.CSS_SELECTOR, "ol.timeline > li") if "revision 2" in li.text]
    want = [["clothing: red frock " + H + " -> blue frock " + H, "priority: urgent -> critical"]]
    check(changes == want, "  the revision says what it changed against revision 1, and only that")
    for c in changes:
        print("# changes: %r" % c)
    form = d.find_elements(By.CSS_SELECTOR, "form[action='/case/%s/link'][method='post']" % R)
    ok = len(form) == 1 and form[0].find_elements(By.ID, "link-" + F) != []
    ok = ok and form[0].find_element(By.NAME, "other").get_attribute("value") == F
    ok = ok and len(form[0].find_element(By.NAME, "csrf").get_attribute("value")) == 64
    check(ok, "the report's page: the found child as a possible match, its confirm form per the contract")
    check("score" in text(d) and "Seema" in text(d), "  with its score and why")
    linked = [p.text for p in d.find_elements(By.CSS_SELECTOR, "p.linked")]
    check(len(linked) == 1 and "linked: same child as found child Munni" in linked[0]
          and "father identified her " + H in linked[0] and "ChildLine Vidisha" in linked[0],
          "the report's page: its link, same child as the linked found child, by whom and why")
    check(any("linked: found child" in i and G in i for i in items), "  and the link on the timeline")
    check(d.find_elements(By.ID, "link-" + D) == [], "the report's page: a dismissed possible match is not shown")
    check(not hostile_ran(d), "hostile text in every field shows as text and runs nothing")
    check(fits(d), "360 px: the richest case page does not scroll sideways")


def cards(d, path, case):
    d.get(URL + path)
    return [a.text for a in d.find_elements(By.CSS_SELECTOR, "a.case[href='/case/%s']" % case)]


def linked_list(d):
    """A found child linked to a report is that report's case: no card of its own."""
    ok = len(cards(d, "/cases", F)) == 1 and len(cards(d, "/cases", D)) == 1
    check(ok and cards(d, "/cases", G) == [], "the open list: the unlinked found children, not the linked one")
    ok = len(cards(d, "/cases?status=all", R)) == 1
    check(ok and cards(d, "/cases?status=all", G) == [], "  all cases: the report, not its linked found child")
    ok = len(cards(d, "/cases?status=all&q=Munni", R)) == 1
    check(ok and cards(d, "/cases?status=all&q=Munni", G) == [], "  the linked found child's name finds its report")


def found_pages(d):
    d.get(URL + "/cases")
    cards = [a.text for a in d.find_elements(By.CSS_SELECTOR, "a.case[href='/case/%s']" % F)]
    check(len(cards) == 1 and "found child" in cards[0] and "booking office " + H in cards[0]
          and "in custody of the finder" in cards[0], "the found child on the list: marked, where, in custody")
    check(fits(d) and not hostile_ran(d), "  the list fits 360 px and runs nothing")
    d.get(URL + "/case/" + F)
    body = text(d)
    want = ["found child", "booking office " + H, "yes, of the finder", "alone at night " + H, "RPF Itarsi",
            "Ravi Singh", "RPF-42", "found, no report yet"]
    missing = [w for w in want if w not in body]
    check(not missing, "the found child's page: as seen, place, custody, finder, notes, timeline")
    for w in missing:
        print("# missing: %r" % w)
    widths = d.execute_script("return Array.from(document.querySelectorAll('figure.photo img'))"
                              ".map(i => i.complete ? i.naturalWidth : -1)")
    check(widths == [120], "  its photo full size (naturalWidth %s, published 120)" % widths)
    form = d.find_elements(By.CSS_SELECTOR, "form[action='/case/%s/link'][method='post']" % F)
    ok = len(form) == 1 and form[0].find_elements(By.ID, "link-" + R) != []
    ok = ok and form[0].find_element(By.NAME, "other").get_attribute("value") == R
    check(ok, "  the report as its possible match, its confirm form per the contract")
    check(not hostile_ran(d) and fits(d), "  runs nothing and fits 360 px")
    d.get(URL + "/case/" + G)
    linked = [p.text for p in d.find_elements(By.CSS_SELECTOR, "p.linked")]
    check(len(linked) == 1 and "linked: same child as report सीमा कुमारी " + H in linked[0],
          "the linked found child's page: same child as the report")
    d.get(URL + "/case/" + D)
    check("Sima" in text(d) and d.find_elements(By.CSS_SELECTOR, "form[action='/case/%s/link']" % D) == [],
          "the dismissed found child's page: its dismissed match not shown")


def main():
    with tempfile.TemporaryDirectory() as profile:
        d = browser(profile)
        try:
            login(d, URL, USER, PASSWORD)
            WebDriverWait(d, 10).until(lambda d: d.current_url.endswith("/cases"))
            report_page(d)
            found_pages(d)
            linked_list(d)
        finally:
            d.quit()


main()
