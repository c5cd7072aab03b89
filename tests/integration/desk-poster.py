#!/usr/bin/python3
"""39-desk-poster's browser half: Debian's chromium, headless, through
chromedriver and selenium, against a running raksha-desk; each poster
printed to PDF by chromium (DevTools' Page.printToPDF with the page's own
@page size) and read back by poppler's pdftotext and pdfinfo.

usage: desk-poster.py URL USER PASSWORD REPORT-ID LONG-REPORT-ID FOUND-ID SEEN W

SEEN is when the children were last seen or found (2026-12-07T08:30+05:30);
W the suite's folder, where the PDFs are written (and kept with the
screenshot in BUILD/tests/artefacts/39-desk-poster/). Prints "1 DESCRIPTION"
or "0 DESCRIPTION" per check; "#" lines are diagnostics. Every wait is
bounded."""
import base64
import datetime
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request

from selenium.webdriver.common.by import By

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from deskbrowser import browser, check, fits, login, wait_for  # noqa: E402

URL, USER, PASSWORD, R, L, F, SEEN, W = sys.argv[1:9]
ARTEFACTS = os.path.join(os.environ.get("RAKSHA_BUILD_ROOT", W), "tests", "artefacts", "39-desk-poster")
# i18n_date_time's "07 Dec 2026, 8:30 am", IST, in the officer's language (English here).
DEVANAGARI = re.compile("[\u0900-\u097f]")
WHEN = datetime.datetime.strptime(SEEN[:10], "%Y-%m-%d").strftime("%d %b %Y") + ", 8:30 am"


def get(d, path):
    """The response to GET path with the browser's session cookie: (status, headers)."""
    cookie = "; ".join("%s=%s" % (c["name"], c["value"]) for c in d.get_cookies())
    req = urllib.request.Request(URL + path, headers={"Cookie": cookie})
    try:
        with urllib.request.urlopen(req, timeout=5) as r:
            return r.status, r.headers
    except urllib.error.HTTPError as e:
        return e.code, e.headers


def pdf(d, name):
    """The page printed to W/NAME.pdf: (pages, size in pt, text with its whitespace folded)."""
    out = d.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True})
    path = os.path.join(W, name + ".pdf")
    with open(path, "wb") as f:
        f.write(base64.b64decode(out["data"]))
    os.makedirs(ARTEFACTS, exist_ok=True)
    shutil.copy(path, ARTEFACTS)
    info = subprocess.run(["pdfinfo", path], capture_output=True, text=True, timeout=10).stdout
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", path, "-"], capture_output=True, text=True,
                          timeout=10).stdout
    pages = re.search(r"^Pages:\s+(\d+)", info, re.M)
    size = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", info, re.M)
    print("#   %s: %s pages, %s pt" % (name, pages and pages.group(1), size and size.groups()))
    return (int(pages.group(1)) if pages else 0, (round(float(size.group(1))), round(float(size.group(2))))
            if size else None, " ".join(text.split()))


def has_all(text, want, what):
    """Every string of want in text; those in Devanagari compared without spaces (pdftotext
    may break a word where a vowel sign sits: "कु मारी")."""
    bare = "".join(text.split())
    missing = [w for w in want if w not in text and not (DEVANAGARI.search(w) and "".join(w.split()) in bare)]
    for w in missing:
        print("# %s: missing %r" % (what, w))
    return not missing


def screen(d):
    """The report's poster on a phone's screen, reached from the case page's link."""
    d.get(URL + "/case/" + R)
    links = d.find_elements(By.CSS_SELECTOR, "a[href='/case/%s/poster']" % R)
    check(len(links) == 1 and links[0].text == "Poster", "the case page links to its poster")
    if links:
        links[0].click()
    check(wait_for(d, lambda d: d.current_url.endswith("/poster")), "  which opens it")
    loaded = wait_for(d, lambda d: d.execute_script(
        "var i = document.querySelector('img.poster-photo'); return i && i.complete && i.naturalWidth"))
    check(loaded == 300, "the photo, from the case's photo route, loads (naturalWidth %s)" % loaded)
    check(fits(d), "at 360 px the poster does not scroll sideways")
    urls = d.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    check(all(u.startswith(URL + "/") for u in urls), "nothing fetched from elsewhere (%d resources)" % len(urls))
    os.makedirs(ARTEFACTS, exist_ok=True)
    d.save_screenshot(os.path.join(ARTEFACTS, "poster-phone.png"))
    status, headers = get(d, "/case/%s/poster" % R)
    check(status == 200 and "no-store" in headers.get("Cache-Control", "") and
          headers.get("Content-Security-Policy", "").startswith("default-src 'self';"),
          "the poster is no-store with the desk's CSP (%s, %s)" % (status, headers.get("Cache-Control")))
    status, _ = get(d, "/case/01936e29-0000-7aaa-9bbb-000000000000/poster")
    check(status == 404, "an unknown case's poster: 404 (%s)" % status)


def printed(d):
    d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    d.get(URL + "/case/%s/poster" % R)
    wait_for(d, lambda d: d.execute_script("var i = document.querySelector('img.poster-photo');"
                                           "return i && i.complete"))
    pages, size, text = pdf(d, "missing")
    check(pages == 1 and size == (595, 842), "the missing child's poster prints on one A4 page (%s, %s pt)"
          % (pages, size))
    check(has_all(text, ["MISSING CHILD", "सीमा कुमारी", "Sima Kumari", "transliterated", "9", "121 cm",
                         "red frock, blue school sweater", "BPL", "12627", "platform 1, near the tea stall",
                         WHEN, "+91 7592 232323", "ChildLine Vidisha", "1098"], "missing"),
          "  pdftotext finds the name in both scripts, age, height, clothing, station, when, the unit's phone")
    check("+919800000001" not in text, "  the unit's phone of [desk] unit_phone, not its officer's")
    check(has_all(text, ["लापता बच्चा", "आयु (वर्ष)", "चाइल्डलाइन"], "missing, Hindi"),
          "  a Hindi state's poster (mp): the heading and labels in Hindi too (the catalog's), beside English")
    check(not any(w in text for w in ("Raksha desk", "Log out", "Back to the case",
                                                               "Print it")),
          "  without the desk's bar and links")
    missing = text
    d.get(URL + "/case/%s/poster" % L)
    pages, size, text = pdf(d, "long")
    check(pages == 1 and size == (595, 842), "a very long name, clothing and place still print on one page (%s)"
          % pages)
    check(has_all(text, ["Munni Kumari Devi Sharma", "torn red frock", "ET", "+91 7592 232323"], "long"),
          "  with its name, clothing, station and the phone to call")
    check(has_all(text, ["DRILL: an exercise, not a real child",
                         "This case is no longer open: do not put this poster up."], "long"),
          "  a drill's poster says so, and one of a case no longer open not to put it up")
    check("no longer open" not in missing and "DRILL" not in missing, "  an open, real case's says neither")
    d.get(URL + "/case/%s/poster" % F)
    pages, size, text = pdf(d, "found")
    check(pages == 1 and size == (595, 842), "the found child's poster prints on one A4 page (%s)" % pages)
    check("DO YOU KNOW THIS CHILD?" in text and "MISSING CHILD" not in text, "  with its own heading")
    check(has_all(text, ["क्या आप इस बच्चे को जानते हैं?"], "found, Hindi") and "लापताबच्चा" not in
          "".join(text.split()), "  in Hindi too")
    check(has_all(text, ["Rahul", "रहुल", "transliterated", "6", "ET", "waiting hall", WHEN, "+91 7572 240000",
                         "RPF Itarsi"], "found"),
          "  the name in both scripts, where and when found, the finder's phone (no unit_phone: the officer's)")


def main():
    profile = tempfile.mkdtemp(prefix="desk-poster-")
    d = browser(profile)
    try:
        login(d, URL, USER, PASSWORD)
        check(wait_for(d, lambda d: d.current_url.endswith("/cases")), "logged in")
        screen(d)
        printed(d)
    finally:
        d.quit()
        shutil.rmtree(profile, ignore_errors=True)


main()
