#!/usr/bin/python3
"""40-desk-stats's browser half: Debian's chromium, headless, through
chromedriver and selenium, against a running raksha-desk whose agent holds
four reports (A Devanagari, B a formula, C closed, D a drill), acks by two
units and two escalations: the supervisor's /stats read in the browser and
compared, number by number, with raksha-replay stats --format json on the
same database and period; the charts; the CSV export fetched with the
browser's session (urllib) and read by python's csv.

usage: desk-stats.py URL USER PASSWORD DB REPLAY A B C D HOSTILE-NAME

Prints one line per check, "1 DESCRIPTION" or "0 DESCRIPTION", for the
shell to count as TAP; diagnostics start with "#". Every wait is bounded."""
import csv
import io
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from deskbrowser import browser, check, fits, login, small_targets  # noqa: E402

URL, USER, PASSWORD, DB, REPLAY, A, B, C, D, HOSTILE = sys.argv[1:11]
IST = 19800000
COLUMNS = ["report_id", "revision", "exercise", "status", "priority", "state", "region", "agency", "unit",
           "child.name", "child.other_names", "child.age", "child.gender", "child.height_cm", "child.clothing",
           "last_seen.time", "last_seen.station_code", "last_seen.train_number", "last_seen.coach",
           "last_seen.district", "case_ref.fir_number", "escalation_level", "opened", "first_ack", "closed"]

# Every table row the page has, with its figures: data-k and data-v of its cells.
ROWS = """return Array.from(document.querySelectorAll('table.stats tbody tr')).map(tr => ({
  table: tr.closest('table').id, unit: tr.dataset.unit || null, kind: tr.dataset.kind || null,
  day: tr.dataset.day || null, agent: tr.dataset.agent || null,
  cells: Object.fromEntries(Array.from(tr.querySelectorAll('td[data-k]')).map(
    td => [td.dataset.k, [td.dataset.v, td.textContent]]))}))"""


def span(ms):
    """The page's words for a duration (desk_stats_span)."""
    if ms is None:
        return "-"
    s = (ms + 500) // 1000
    if s < 60:
        return "%d s" % s
    if s < 3600:
        return "%d min %d s" % (s // 60, s % 60)
    return "%d h %d min" % (s // 3600, s % 3600 // 60)


class Compare:
    def __init__(self):
        self.n = 0
        self.wrong = []

    def cell(self, where, cells, key, want, duration=False):
        """The cell @key of a row equals @want (None: none), its text as the page writes it."""
        self.n += 1
        got = cells.get(key)
        text = span(want) if duration else str(want)
        if got is None or got[0] != ("" if want is None else str(want)) or got[1] != text:
            self.wrong.append("%s %s: page %r, replay %r" % (where, key, got, want))


def get(obj, path):
    for part in path.split("."):
        obj = obj[part]
    return obj


def compare_units(cmp, rows, js):
    acks = {(r["unit"], r["kind"]): r["cells"] for r in rows if r["table"] in ("t-ack", "t-ack-drills")}
    escal = {r["unit"]: r["cells"] for r in rows if r["table"] == "t-escalations"}
    seen = set()
    for u in js["units"]:
        for kind, k in (("real", u), ("drill", u["drills"])):
            where = "%s %s" % (u["unit"], kind)
            active = k["reports"] > 0 or k["acks_given"] > 0
            if not active:
                cmp.n += 1
                if (u["unit"], kind) in acks or any(get(k, p) for p in ("reports", "open", "acks_given")):
                    cmp.wrong.append("%s: inactive in replay, yet shown or counted" % where)
                continue
            seen.add((u["unit"], kind))
            cells = acks.get((u["unit"], kind), {})
            for key in ("reports", "open", "unacknowledged", "first_ack.count", "acks_given"):
                cmp.cell(where, cells, key, get(k, key))
            for key in ("first_ack.median_ms", "first_ack.p90_ms", "ack_given.median_ms", "ack_given.p90_ms"):
                cmp.cell(where, cells, key, get(k, key), duration=True)
            cmp.cell(where + " (ack_given.count)", cells, "acks_given", k["ack_given"]["count"])
        if u["reports"] > 0 or u["drills"]["reports"] > 0:
            for lvl in ("1", "2", "3+"):
                cmp.cell(u["unit"], escal.get(u["unit"], {}), "escalated." + lvl, u["escalated"][lvl])
                cmp.cell(u["unit"], escal.get(u["unit"], {}), "drills.escalated." + lvl,
                         u["drills"]["escalated"][lvl])
    extra = set(acks) - seen
    if extra:
        cmp.wrong.append("rows the replay has not: %r" % sorted(extra))


def compare_days(cmp, rows, js):
    days = [r for r in rows if r["table"] == "t-days"]
    cmp.n += 1
    if [r["day"] for r in days] != [d["date"] for d in js["days"]]:
        cmp.wrong.append("days: page %r, replay %r" % ([r["day"] for r in days], [d["date"] for d in js["days"]]))
        return
    for r, d in zip(days, js["days"]):
        for key in ("opened", "closed", "drills.opened", "drills.closed"):
            cmp.cell(d["date"], r["cells"], key, get(d, key))


def compare_shares(cmp, what, page, want):
    """The shares online of the page (key: [data-v, text]) equal the replay's (key: share)."""
    cmp.n += 1
    if set(page) != set(want):
        cmp.wrong.append("%s: page %r, replay %r" % (what, sorted(page), sorted(want)))
        return
    for key, share in want.items():
        cmp.n += 1
        if abs(float(page[key][0]) - share) > 1e-6 or page[key][1] != "%.1f %%" % (round(share * 1000) / 10):
            cmp.wrong.append("%s %r: page %r, replay %r" % (what, key, page[key], share))


def compare_agents(cmp, rows, js):
    compare_shares(cmp, "agents online",
                   {(r["agent"], r["unit"]): r["cells"]["online_share"] for r in rows if r["table"] == "t-online"},
                   {(a["agent"], a["unit"]): a["online_share"] for a in js["agents"] if a["online_share"] is not None})
    compare_shares(cmp, "units online",
                   {r["unit"]: r["cells"]["online_share"] for r in rows if r["table"] == "t-units-online"},
                   {u["unit"]: u["online_share"] for u in js["units_online"]})


def charts(d, js):
    reporting = [u for u in js["units"] if u["reports"] > 0 or u["drills"]["reports"] > 0]
    groups = d.execute_script("return ['chart-ack', 'chart-days', 'chart-escalations', 'chart-online'].map("
                              "id => document.querySelectorAll('svg#' + id + ' g.group').length)")
    print("#   chart groups: %r" % groups)
    check(groups[0] == len(reporting) > 0, "the time-to-acknowledge chart: a group of bars per unit that reported")
    check(groups[1] == len(js["days"]) > 0, "the opened/closed chart: a group of columns per day of the period")
    check(groups[2] == 3, "the escalations chart: a group per level")
    check(groups[3] == len(js["units_online"]) == 1, "the online chart: a group per unit with agents (1)")
    labels = d.execute_script("return Array.from(document.querySelectorAll('svg#chart-ack g.group'))"
                              ".map(g => g.dataset.label)")
    check(labels == [u["unit"] for u in reporting], "  the units' names on it, in order")
    today = [i for i, day in enumerate(js["days"]) if day["opened"] > 0]
    cols = d.execute_script("return Array.from(document.querySelectorAll('svg#chart-days g.group'))"
                            ".map(g => g.querySelectorAll('rect.s0').length)")
    check([i for i, n in enumerate(cols) if n] == today, "  an 'opened' column on each day with reports, none else")
    titles = d.execute_script("return ['s0', 's2'].map(c => Array.from(document.querySelectorAll("
                              "'svg#chart-days rect.' + c)).map(r => r.textContent))")
    print("#   today's columns: %r" % titles)
    check(len(titles[0]) == 1 and titles[0][0].endswith(", Opened: 3"), "  today's real cases opened: 3")
    check(len(titles[1]) == 1 and titles[1][0].endswith(", Drills opened: 1"),
          "  the drill its own series (one column of 1), not among the real cases")
    styled = d.execute_script("return document.querySelectorAll('[style]').length + "
                              "document.querySelectorAll('script:not([src])').length")
    check(styled == 0, "no style attribute and no inline script on the page (CSP default-src 'self')")
    fill = d.execute_script("var r = document.querySelector('svg#chart-ack rect.s0');"
                            "return r ? getComputedStyle(r).fill : null")
    check(fill == "rgb(11, 61, 145)", "  the bars coloured by the stylesheet (%s)" % fill)


def expected(js):
    """The figures this history must give, so that equal is not also empty."""
    units = {u["unit"]: u for u in js["units"]}
    vid, bpl = units.get("mp/vidisha/childline"), units.get("mp/bhopal/grp")
    rpf = units.get("mp/itarsi/rpf")
    today = time.strftime("%Y-%m-%d", time.gmtime((time.time() * 1000 + IST) / 1000))
    day = [x for x in js["days"] if x["date"] == today]
    print("#   replay: vidisha %r" % vid)
    check(vid is not None and vid["reports"] == 2 and vid["unacknowledged"] == 0
          and vid["first_ack"]["count"] == 2, "replay: ChildLine Vidisha's 2 reports, both acknowledged")
    check(bpl is not None and bpl["reports"] == 1 and bpl["open"] == 0 and bpl["escalated"]["1"] == 1
          and bpl["acks_given"] == 1, "  GRP Bhopal's report closed, escalated to level 1, 1 ack given")
    check(bpl is not None and bpl["drills"]["reports"] == 1 and bpl["drills"]["escalated"]["1"] == 1
          and bpl["drills"]["acks_given"] == 1, "  the drill counted apart, escalated and acknowledged")
    check(rpf is not None and rpf["acks_given"] == 2 and rpf["reports"] == 0, "  RPF Itarsi's 2 acks")
    shares = {a["agent"]: a["online_share"] for a in js["agents"]}
    unit = [u["online_share"] for u in js["units_online"] if u["unit"] == "mp/bhopal/grp"]
    print("#   replay: agents online %r, the unit %r" % (shares, unit))
    check(shares.get("mp-bhopal-grp-1") == 1.0 and 0 < shares.get("mp-bhopal-grp-2", 0) < 1 and unit
          and shares["mp-bhopal-grp-2"] < unit[0] < 1, "  the unit's two agents, one stopped: the unit's share between")
    check(len(js["days"]) == 30 and day and day[0]["opened"] == 3 and day[0]["closed"] == 1
          and day[0]["drills"]["opened"] == 1, "  30 days, today 3 opened, 1 closed, 1 drill opened")


def compare(d):
    period = d.find_element(By.ID, "period")
    since, until = period.get_attribute("data-from-ms"), period.get_attribute("data-to-ms")
    rows = d.execute_script(ROWS)
    out = subprocess.run([REPLAY, "stats", "--db", DB, "--since", since, "--until", until, "--format", "json"],
                         capture_output=True, text=True, timeout=10)
    check(out.returncode == 0, "raksha-replay stats --since %s --until %s --format json: exit 0" % (since, until))
    js = json.loads(out.stdout)
    expected(js)
    cmp = Compare()
    compare_units(cmp, rows, js)
    compare_days(cmp, rows, js)
    compare_agents(cmp, rows, js)
    for w in cmp.wrong:
        print("#   differs: %s" % w)
    check(not cmp.wrong and cmp.n > 100, "the page's %d numbers equal raksha-replay stats'" % cmp.n)
    return js


def export(d, js):
    href = d.find_element(By.ID, "csv").get_attribute("href")
    cookie = "; ".join("%s=%s" % (c["name"], c["value"]) for c in d.get_cookies())
    with urllib.request.urlopen(urllib.request.Request(href, headers={"Cookie": cookie}), timeout=10) as r:
        body, headers = r.read(), r.headers
    check(headers.get("Content-Type", "").startswith("text/csv; charset=utf-8"), "CSV: text/csv, UTF-8")
    check(headers.get("Content-Disposition", "").startswith("attachment; filename=\"raksha-cases-"),
          "  an attachment (%s)" % headers.get("Content-Disposition"))
    check(headers.get("Cache-Control") == "no-store", "  no-store")
    check(body.startswith(b"\xef\xbb\xbf") and b"\r\n" in body, "  UTF-8's byte order mark, CRLF rows")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    check(rows[0] == COLUMNS, "  the columns named as in docs/schema.md")
    cases = [dict(zip(COLUMNS, r)) for r in rows[1:]]
    total = sum(u["reports"] + u["drills"]["reports"] for u in js["units"])
    check(len(cases) == total == 4 and all(len(r) == len(COLUMNS) for r in rows),
          "  one row per case the statistics count (%d)" % len(cases))
    by = {c["report_id"]: c for c in cases}
    a, b, c, dr = by.get(A, {}), by.get(B, {}), by.get(C, {}), by.get(D, {})
    check(a.get("child.name") == "सीमा कुमारी" and a.get("child.age") == "9" and a.get("unit") == "childline vidisha"
          and a.get("last_seen.train_number") == "12627", "  A: the Devanagari name intact, its age, unit, train")
    check(a.get("first_ack", "").endswith("+05:30") and a.get("opened", "") <= a.get("first_ack", "")
          and a.get("closed") == "", "  A: opened and first ack as IST times, not closed")
    check(b.get("child.name") == "'" + HOSTILE, "  B: the formula name written after a ' (%r)" % b.get("child.name"))
    check(c.get("status") == "closed" and c.get("closed", "").endswith("+05:30")
          and c.get("escalation_level") == "1" and c.get("state") == "mp" and c.get("region") == "bhopal"
          and c.get("agency") == "grp", "  C: closed, when, escalated to 1, its state/region/agency")
    check(dr.get("exercise") == "true" and a.get("exercise") == "false", "  D: the drill marked exercise true")


def screenshot(d):
    """The page at 360x740, screen by screen (at most 8), kept in BUILD/tests/artefacts/40-desk-stats/."""
    folder = os.path.join(os.environ["RAKSHA_BUILD_ROOT"], "tests", "artefacts", "40-desk-stats")
    os.makedirs(folder, exist_ok=True)
    height = d.execute_script("return document.documentElement.scrollHeight")
    for i, y in enumerate(range(0, min(height, 8 * 740), 740)):
        d.execute_script("window.scrollTo(0, %d)" % y)
        d.save_screenshot(os.path.join(folder, "desk-stats-360x740-%d.png" % i))
    d.execute_script("window.scrollTo(0, 0)")


def main():
    with tempfile.TemporaryDirectory() as profile:
        d = browser(profile)
        wait = WebDriverWait(d, 10)
        try:
            login(d, URL, USER, PASSWORD)
            wait.until(lambda d: d.find_elements(By.ID, "stats-link"))
            d.find_element(By.ID, "stats-link").click()
            wait.until(lambda d: d.find_elements(By.ID, "period"))
            check(fits(d), "the statistics page fits 360 px (the wide tables scroll in their boxes)")
            small = small_targets(d)
            check(not small, "  every link, button and field at least 44 px high %r" % small)
            js = compare(d)
            charts(d, js)
            screenshot(d)
            export(d, js)
            d.find_element(By.ID, "from").clear()
            d.execute_script("document.getElementById('from').value = '2026-01-01';"
                             "document.getElementById('to').value = '2026-01-31'")
            d.find_element(By.CSS_SELECTOR, "form.period button").click()
            wait.until(lambda d: "from=2026-01-01" in d.current_url)
            n = d.execute_script("return document.querySelectorAll('#t-days tbody tr').length")
            ack = d.execute_script("return document.querySelectorAll('#t-ack tbody tr').length")
            check(n == 31 and ack == 0, "the period chosen in the form: January, 31 days, no cases")
        finally:
            d.quit()


main()
