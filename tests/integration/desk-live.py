#!/usr/bin/python3
"""32-desk-live's browser half: Debian's chromium, headless, through
chromedriver and selenium, against a running raksha-desk and agent, which
it stops and starts itself (their pids in $W/agent.pid and $W/desk.pid for
the shell's clean-up).

usage: W=... DB=... BROKER_PORT=... desk-live.py URL USER PASSWORD

Prints "1 DESCRIPTION" or "0 DESCRIPTION" per check, "#" diagnostics.
Every wait is bounded."""
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from deskbrowser import banner, browser, check, gone, js, listening, login, publish, start, until  # noqa: E402

URL, USER, PASSWORD = sys.argv[1:4]
W, DB, BROKER_PORT = os.environ["W"], os.environ["DB"], os.environ["BROKER_PORT"]
LIVE_BOUND_S = 3.0  # the brief's second, with room for a loaded CI machine


def live_browser(profile):
    """Chromium that plays the alarm unasked and may raise Notifications (at its own window's size)."""
    d = browser(profile, "--autoplay-policy=no-user-gesture-required", phone=False)
    d.execute_cdp_cmd("Browser.grantPermissions", {"origin": URL, "permissions": ["notifications"]})
    return d


def committed_ms(name):
    """The agent's commit of the report naming @name: messages.received_at_ms."""
    db = sqlite3.connect("file:%s?mode=ro" % DB, uri=True, timeout=2)
    try:
        row = db.execute("SELECT m.received_at_ms FROM cases c JOIN messages m ON m.seq = c.report_seq"
                         " WHERE c.child_name = ?", (name,)).fetchone()
        return row[0] if row else None
    finally:
        db.close()


WATCH = """
window.rakshaNoReload = true;
window.rakshaSeen = {};
new MutationObserver(function () {
  document.querySelectorAll('a.case .name').forEach(function (n) {
    if (!window.rakshaSeen[n.textContent]) window.rakshaSeen[n.textContent] = Date.now();
  });
}).observe(document.querySelector('main'), {childList: true, subtree: true});
"""


def appears(d, name, what):
    """Publishes nothing; waits for @name in the list; the time from commit."""
    seen = until(lambda: js(d, "return window.rakshaSeen && window.rakshaSeen[%r]" % name), LIVE_BOUND_S + 2)
    at = committed_ms(name)
    if seen and at:
        print("# commit-to-browser (%s): %d ms" % (what, seen - at), flush=True)
    check(bool(seen) and at is not None and seen - at <= LIVE_BOUND_S * 1000,
          "%s: in the open list within %.0f s of the agent's commit" % (what, LIVE_BOUND_S))
    check(js(d, "return window.rakshaNoReload === true") is True, "  without a reload")


def title(d):
    return d.title


def main():
    profile = tempfile.mkdtemp(prefix="raksha-desk-live-")
    d = live_browser(profile)
    try:
        run(d)
    finally:
        d.quit()


def run(d):
    login(d, URL, USER, PASSWORD)
    check(until(lambda: js(d, "return document.body.dataset.live") == "open", 5), "the page opens its event stream")
    time.sleep(0.5)  # room for a fetch the first event would start
    fetched = js(d, "return performance.getEntriesByType('resource')"
                    ".filter(e => e.initiatorType === 'fetch').map(e => e.name)")
    check(fetched == [], "  and fetches the list again only for something newer than the page: %s" % fetched)
    check(until(lambda: title(d).startswith("(1) ") and title(d).endswith(" - Raksha desk"), 2),
          "the title counts the one case nobody acknowledged: " + title(d))
    hdr = d.execute_async_script(
        "var done = arguments[0], c = new AbortController();"
        "fetch('/events', {signal: c.signal}).then(function (r) {"
        "  done([r.status, r.headers.get('content-type'), r.headers.get('cache-control')]); c.abort();"
        "}).catch(function (e) { done(String(e)); });")
    check(hdr == [200, "text/event-stream; charset=utf-8", "no-store"],
          "/events with the session: 200, text/event-stream, no-store: %s" % hdr)
    js(d, WATCH)

    publish("report", "--name", "Live Routine", "--age", "6", "--priority", "routine")
    appears(d, "Live Routine", "a routine report")
    check(until(lambda: title(d).startswith("(2) "), 2), "  the title counts it: " + title(d))
    check(js(d, "return document.body.dataset.alerts") is None, "  a routine case sounds no alarm")

    urgent = publish("report", "--name", "Live Urgent", "--age", "5", "--priority", "urgent")
    appears(d, "Live Urgent", "an urgent report")
    check(until(lambda: js(d, "return document.body.dataset.alerts") == "1", 2),
          "  it sounds the alarm (sound, vibration) once")
    check(js(d, "return document.body.dataset.notified") == "1", "  and raises a Notification (permission granted)")
    check(until(lambda: title(d).startswith("(3) "), 2), "  the title: " + title(d))

    subprocess.run([os.environ["RAKSHA_PUBLISH"], "--url", "mqtt://127.0.0.1:" + BROKER_PORT, "--outbox",
                    W + "/pub", "--state", "mp", "--region", "raisen", "--agency", "grp", "ack",
                    "--report", urgent, "--state", "acting"], capture_output=True, timeout=10)
    row = "return Array.from(document.querySelectorAll('a.case')).filter(a => a.href.endsWith('%s'))" \
          ".map(a => a.querySelector('.acks').textContent).join()" % urgent
    check(until(lambda: js(d, row) == "acks 1", LIVE_BOUND_S), "an Ack by raksha-publish updates its row: acks 1")
    check(until(lambda: title(d).startswith("(2) "), 2), "  and the title's count: " + title(d))
    check(js(d, "return window.rakshaNoReload === true") is True, "  still without a reload")

    agent_stop_start(d)
    desk_kill_restart(d)


def agent_stop_start(d):
    pid = int(open(W + "/agent.pid").read())
    os.kill(pid, signal.SIGTERM)
    check(until(lambda: "The agent is offline" in banner(d), 5),
          "the agent stopped (SIGTERM): the banner says so: " + banner(d))
    served = d.execute_async_script(
        "var done = arguments[0]; fetch('/cases').then(function (r) { return r.text(); })"
        ".then(done).catch(function (e) { done(String(e)); });")
    check('id="live"' in served and "The agent is offline since" in served,
          "  the page as served says it too (without JavaScript)")
    cmd = [os.environ["RAKSHA_AGENT"], "--config", W + "/agent.conf", "--foreground"]
    until(lambda: gone(pid), 5)
    start(cmd, W + "/agent.pid", W + "/agent.err")
    check(until(lambda: banner(d) == "", 10), "the agent restarted: the banner clears")


def desk_kill_restart(d):
    pid = int(open(W + "/desk.pid").read())
    os.kill(pid, signal.SIGKILL)
    check(until(lambda: "Live updates lost" in banner(d), 5),
          "the desk killed: the page says its live updates are lost: " + banner(d))
    until(lambda: gone(pid), 5)
    until(lambda: not listening(URL), 5)  # its threads may still be ending, its socket open, after its main thread is a zombie
    desk = start([os.environ["RAKSHA_DESK"], "--config", W + "/desk.conf"], W + "/desk.pid", W + "/desk.log")
    check(until(lambda: banner(d) == "", 8) and d.current_url.endswith("/cases"),
          "the desk restarted: the page reconnects by itself, still logged in (its sessions file)")
    desk.send_signal(signal.SIGTERM)
    try:
        rc = desk.wait(timeout=5)
    except subprocess.TimeoutExpired:
        rc = None
    check(rc == 0, "SIGTERM with the page's stream open: the desk ends it and stops, exit 0 (%s)" % rc)


main()
