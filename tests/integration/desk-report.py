#!/usr/bin/python3
"""37-desk-report's browser half: Debian's chromium, headless, at a phone's
360x740, through chromedriver and selenium, against a running raksha-desk.

usage: desk-report.py URL USER PASSWORD PHOTO WIRE CASE-ID

The new report form: its phone inputs; every invalid field with its own
message beside it and nothing on WIRE (mosquitto_sub's lines, topic and hex
payload); a draft restored after a reload; then a valid report with a
Devanagari name and PHOTO sent, its envelope decoded from WIRE with python
protobuf (raksha_pb2 generated in $W): the name's bytes, the photo upright,
at most 1024 px, without EXIF. Then a found child and a status update of
CASE-ID from their forms. Writes the report's id to $W/report-id. Prints
"1 WHAT" / "0 WHAT" per check; every wait is bounded."""
import base64
import os
import sys
import tempfile
import time

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from deskbrowser import browser, check, fits, js, login, small_targets, until, wait_for  # noqa: E402

URL, USER, PASSWORD, PHOTO, WIRE, CASE = sys.argv[1:7]
W = os.environ["W"]
sys.path.insert(0, W)
from raksha.v1 import raksha_pb2  # noqa: E402

ARTEFACTS = os.path.join(os.environ["RAKSHA_BUILD_ROOT"], "tests", "artefacts", "37-desk-report")
NAME = "सीमा कुमारी"
# Not in NFC: QA as KA and a nukta (U+0915 U+093C), kept so, not made U+0958.
GUARDIAN = "\u0915\u093c\u093e\u0938\u093f\u092e"


def envelopes(kind):
    """The envelopes on WIRE published on topics of @kind, decoded."""
    out = []
    for line in open(WIRE).read().splitlines():
        topic, _, payload = line.partition(" ")
        if topic.endswith("/" + kind):
            e = raksha_pb2.Envelope()
            e.ParseFromString(bytes.fromhex(payload))
            out.append(e)
    return out


def field(d, path):
    return d.find_element(By.NAME, path)


def set_value(d, path, value):
    """A value as a picker would give it (datetime-local, select), with the events typing makes."""
    d.execute_script("var e = document.getElementsByName(arguments[0])[0]; e.value = arguments[1];"
                     "e.dispatchEvent(new Event('input', {bubbles: true}));"
                     "e.dispatchEvent(new Event('change', {bubbles: true}));", path, value)


def type_into(d, path, text):
    e = field(d, path)
    e.clear()
    e.send_keys(text)


def error_of(d, path):
    """The error beside field @path: the element its aria-describedby names, right after it."""
    return d.execute_script(
        "var e = document.getElementsByName(arguments[0])[0];"
        "var id = e.getAttribute('aria-describedby'); var p = id && document.getElementById(id);"
        "return p && p.previousElementSibling === e ? p.textContent : null", path)


def replaced(page):
    """The page @page (its html element) was: the browser has the next one.
    chromedriver says so as a stale element, or as a node that "does not
    belong to the document" (a plain WebDriverException)."""
    try:
        page.tag_name
        return False
    except WebDriverException:
        return True


def sent_form(d):
    """Sends the form and waits for the desk's answer. The page sent may hold a
    form-error of its own (an earlier refusal): only the next page counts."""
    page = d.find_element(By.TAG_NAME, "html")
    d.find_element(By.ID, "send").click()
    if not wait_for(d, lambda x: replaced(page), 15):
        return False
    return wait_for(d, lambda x: x.find_elements(By.ID, "form-error") or x.find_elements(By.ID, "sent"), 15)


def phone_inputs(d):
    print("#   the form's page: %d bytes of HTML" % len(js(d, "return document.documentElement.outerHTML").encode()))
    check(fits(d), "the report form at 360 px: nothing scrolls sideways")
    small = small_targets(d, "a, button, input, select, textarea", "e.name || e.id")
    check(not small, "  every field and button at least 44 px high: %s" % small)
    want = {"child.age_years": ("text", "numeric"), "child.height_cm": ("text", "numeric"),
            "guardian.phone": ("tel", "tel"), "last_seen.time_ms": ("datetime-local", None)}
    for path, (kind, mode) in want.items():
        e = field(d, path)
        got = (e.get_dom_attribute("type"), e.get_dom_attribute("inputmode"))
        check(got == (kind, mode), "  %s: type %s, inputmode %s: %s" % (path, kind, mode, got))
    station = field(d, "last_seen.station_code")
    options = js(d, "return Array.from(document.querySelectorAll('#stations option')).map(o => o.value)")
    check(station.get_dom_attribute("list") == "stations" and "BPL" in (options or []),
          "  the station code suggests the stations the agent has seen: %s" % options)
    photo = d.find_element(By.CSS_SELECTOR, "input[type=file]")
    check(photo.get_dom_attribute("accept") == "image/*" and photo.get_dom_attribute("capture") == "environment"
          and photo.get_dom_attribute("multiple") is not None, "  photos: accept image/*, capture, multiple")


def invalid(d):
    bad = {"child.age_years": "abc", "last_seen.station_code": "bpl1", "guardian.phone": "98abc76543"}
    for path, v in bad.items():
        type_into(d, path, v)
    set_value(d, "last_seen.time_ms", time.strftime("%Y-%m-%dT%H:%M", time.gmtime(time.time() + 3 * 86400)))
    type_into(d, "child.clothing", "red frock")
    check(sent_form(d) and d.find_elements(By.ID, "form-error"), "invalid fields: the form comes back, not sent")
    words = {"child.name": "child.name", "child.age_years": "\"abc\"", "last_seen.station_code": "Station code",
             "guardian.phone": "guardian.phone", "last_seen.time_ms": "future"}
    for path, word in words.items():
        err = error_of(d, path) or ""
        if word not in err:
            print("# " + d.execute_script("var e = document.getElementsByName(arguments[0])[0]; "
                                          "return e.outerHTML + e.nextElementSibling.outerHTML",
                                          path).replace("\n", " "))
        check(word in err, "  %s: its own message beside it (%s)" % (path, err))
    for path, v in bad.items():
        check(field(d, path).get_attribute("value") == v, "  %s keeps its value %r" % (path, v))
    os.makedirs(ARTEFACTS, exist_ok=True)
    field(d, "child.name").location_once_scrolled_into_view
    d.save_screenshot(os.path.join(ARTEFACTS, "desk-report-errors.png"))
    time.sleep(0.5)
    check(not envelopes("report"), "  nothing published")


def draft(d):
    d.get(URL + "/report/new")
    js(d, "localStorage.clear()")
    d.get(URL + "/report/new")
    type_into(d, "child.name", NAME)
    type_into(d, "child.clothing", "लाल फ्रॉक")
    until(lambda: js(d, "return localStorage.getItem('raksha-draft:report')"), 2)
    d.refresh()
    wait_for(d, lambda x: x.find_elements(By.ID, "draft-restored"), 5)
    check(field(d, "child.name").get_attribute("value") == NAME and
          field(d, "child.clothing").get_attribute("value") == "लाल फ्रॉक",
          "a draft typed, the page reloaded: its values restored")


def valid(d):
    type_into(d, "child.age_years", " 9 ")
    type_into(d, "child.height_cm", "122")
    set_value(d, "child.gender", "GENDER_FEMALE")
    type_into(d, "last_seen.station_code", "BPL")
    set_value(d, "last_seen.time_ms", time.strftime("%Y-%m-%dT%H:%M", time.gmtime(time.time() + 19800 - 3600)))
    type_into(d, "guardian.name", GUARDIAN)
    type_into(d, "guardian.phone", "+91 98765 43210")
    d.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(PHOTO)
    sizes = wait_for(d, lambda x: x.find_element(By.ID, "photo-sizes").text.count("MB as taken"), 3)
    check(sizes, "  the photo's size shown when chosen: %s" % d.find_element(By.ID, "photo-sizes").text)
    check(sent_form(d) and d.find_elements(By.ID, "sent"), "a valid report with a photo: sent")
    said = d.find_element(By.TAG_NAME, "main").text
    check("4000 x 3000 pixels as taken" in said and "768 x 1024 pixels" in said,
          "  the photo's sizes and pixels before and after: %s"
          % d.find_element(By.ID, "photo-sent").text)
    check(js(d, "return localStorage.getItem('raksha-draft:report')") is None, "  its draft cleared")


def pixel(d, jpeg, x, y):
    """The colour at (x, y) of @jpeg, decoded by the browser (on a page of no origin's CSP)."""
    d.get("about:blank")
    return d.execute_async_script(
        "var done = arguments[3], x = arguments[1], y = arguments[2];"
        "var b = Uint8Array.from(atob(arguments[0]), c => c.charCodeAt(0));"
        "createImageBitmap(new Blob([b], {type: 'image/jpeg'})).then(function (i) {"
        "var c = document.createElement('canvas'); c.width = i.width; c.height = i.height;"
        "var g = c.getContext('2d'); g.drawImage(i, 0, 0);"
        "done(Array.from(g.getImageData(x, y, 1, 1).data).slice(0, 3)); });",
        base64.b64encode(jpeg).decode(), x, y)


def on_wire(d):
    got = until(lambda: envelopes("report"), 5)
    check(len(got) == 1, "mosquitto_sub receives one report")
    if not got:
        return
    r = got[0].report
    with open(W + "/report-id", "w") as f:
        u = r.report_id.hex()
        f.write("%s-%s-%s-%s-%s" % (u[:8], u[8:12], u[12:16], u[16:20], u[20:]))
    check(r.child.name.encode() == NAME.encode(), "  the Devanagari name byte for byte")
    check(r.guardian.name.encode() == GUARDIAN.encode(), "  a name typed not in NFC kept so: %s"
          % r.guardian.name.encode().hex())
    check(r.child.age_years == 9 and r.child.height_cm == 122 and r.last_seen.station_code == "BPL"
          and r.guardian.phone == "+91 98765 43210" and r.child.clothing == "लाल फ्रॉक", "  every field typed")
    check(got[0].origin.officer_name == "Ravi Jain" and got[0].origin.officer_badge == "GRP 2001",
          "  naming the officer")
    check(len(r.child.photos) == 1, "  one photo")
    jpeg = r.child.photos[0].data
    at, size, apps = 2, None, []
    while jpeg[at] == 0xFF and jpeg[at + 1] != 0xDA:
        m, n = jpeg[at + 1], jpeg[at + 2] << 8 | jpeg[at + 3]
        if m == 0xC0:
            size = (jpeg[at + 7] << 8 | jpeg[at + 8], jpeg[at + 5] << 8 | jpeg[at + 6])
        if 0xE0 <= m <= 0xEF:
            apps.append(m - 0xE0)
        at += 2 + n
    check(size == (768, 1024), "  the photo 768 x 1024, at most 1024 on the long side: %s" % (size,))
    check(apps == [0] and b"Exif" not in jpeg and b"GPS" not in jpeg, "  no Exif APP1, no GPS: APP%s" % apps)
    # Orientation 6: the camera's top-left red quarter is upright at the top right.
    rgb = pixel(d, jpeg, 768 - 20, 20)
    check(rgb and rgb[0] > 180 and rgb[1] < 90 and rgb[2] < 90, "  upright: red at the top right %s" % rgb)


def companions(d):
    """A revision of a report with three companions: the form's two rows filled, the third kept."""
    d.get(URL + "/case/%s/revise" % CASE)
    check(field(d, "companions[1].name").get_attribute("value") == "Sunil",
          "a revision's form: the report's companions in its rows")
    check(sent_form(d) and d.find_elements(By.ID, "sent"), "  sent")
    got = until(lambda: [e for e in envelopes("report") if e.report.report_id.hex() == CASE.replace("-", "")], 5)
    c = got[0].report.companions if got else []
    check([p.name for p in c] == ["Mohan", "Sunil", "unknown man"] and c[2].phone == "+919812345678",
          "  all three companions in revision 2: %s" % [p.name for p in c])


def found_and_update(d):
    d.get(URL + "/found/new")
    type_into(d, "place.station_code", "ET")
    field(d, "in_custody").click()
    type_into(d, "child.other_names", "Chhotu")
    type_into(d, "child.age_range.min_years", "5")
    type_into(d, "child.age_range.max_years", "7")
    check(sent_form(d) and d.find_elements(By.ID, "sent"), "a child found alone: sent")
    s = until(lambda: envelopes("sighting")[1:], 5)
    check(s and not s[0].sighting.report_id and s[0].sighting.in_custody
          and list(s[0].sighting.child.other_names) == ["Chhotu"] and s[0].sighting.child.age_range.max_years == 7,
          "  a Sighting without report, in custody, its child described")
    d.get(URL + "/case/%s/update" % CASE)
    check(sent_form(d) and error_of(d, "status"), "an update without status: its error beside it (%s)"
          % error_of(d, "status"))
    set_value(d, "status", "UPDATE_STATUS_RESCUED")
    type_into(d, "handed_over_to", "CWC Bhopal")
    check(sent_form(d) and d.find_elements(By.ID, "sent"), "a status update: sent")
    u = until(lambda: envelopes("update"), 5)
    check(u and u[0].update.status == raksha_pb2.UPDATE_STATUS_RESCUED and u[0].update.handed_over_to == "CWC Bhopal"
          and u[0].update.report_id.hex() == CASE.replace("-", ""), "  the StatusUpdate of the case")


def revise_and_seen(d):
    rid = open(W + "/report-id").read()
    until(lambda: d.get(URL + "/case/%s/revise" % rid) or d.find_elements(By.ID, "rform"), 5)
    check(field(d, "child.name").get_attribute("value") == NAME and
          field(d, "last_seen.station_code").get_attribute("value") == "BPL" and
          d.find_elements(By.ID, "photos-kept"), "the revision's form filled with the report, its photo kept")
    type_into(d, "child.clothing", "नीली फ्रॉक")
    set_value(d, "priority", "PRIORITY_CRITICAL")
    check(sent_form(d) and d.find_elements(By.ID, "sent"), "a new version: sent")
    got = until(lambda: envelopes("report")[1:], 5)
    r = got[0].report if got else None
    check(r and r.report_id.hex() == rid.replace("-", "") and r.revision == 2 and r.child.clothing == "नीली फ्रॉक"
          and r.priority == raksha_pb2.PRIORITY_CRITICAL and len(r.child.photos) == 1
          and r.child.photos[0].data == envelopes("report")[0].report.child.photos[0].data,
          "  revision 2 of the case, the change in it, the photo the same")
    d.get(URL + "/case/%s/seen" % rid)
    type_into(d, "place.station_code", "ET")
    type_into(d, "place.train_number", "12627")
    check(sent_form(d) and d.find_elements(By.ID, "sent"), "a sighting of the case from its full form: sent")
    s = until(lambda: envelopes("sighting"), 5)
    check(s and s[-1].sighting.report_id.hex() == rid.replace("-", "") and s[-1].sighting.place.train_number == "12627",
          "  a Sighting of the case")


def main():
    with tempfile.TemporaryDirectory(prefix="raksha-desk-chromium.") as profile:
        d = browser(profile)
        d.set_script_timeout(10)
        try:
            login(d, URL, USER, PASSWORD)
            wait_for(d, lambda x: x.find_elements(By.ID, "new-report"), 10)
            d.find_element(By.ID, "new-report").click()
            wait_for(d, lambda x: x.find_elements(By.ID, "rform"), 10)
            phone_inputs(d)
            invalid(d)
            draft(d)
            valid(d)
            on_wire(d)
            revise_and_seen(d)
            companions(d)
            found_and_update(d)
        finally:
            d.quit()


main()
