"""What the desk's browser scripts (tests/integration/desk-*.py, each the
browser half of a suite 30-36) share: Debian's chromium, headless, driven
through chromedriver by selenium (python3-selenium, under /usr/bin/python3).

A script imports it from its own location, writing no bytecode into the
source tree:

    sys.dont_write_bytecode = True
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
    from deskbrowser import check, browser, ...

  check(ok, description)      prints "1 DESCRIPTION" or "0 DESCRIPTION", the line
                              tests/lib/desk.sh desk_tap makes a TAP check of; ok
  browser(profile, *flags, phone=True)
                              chromium with its own profile folder and the flags that
                              keep it quiet and off the network; at a phone's 360x740
                              unless phone=False
  login(d, url, user, password)
                              the desk's login form at url filled in and sent (no wait:
                              a wrong password leaves the page where it is)
  wait_for(d, what, seconds=10)
                              what(d) until it is true (selenium's wait, every 0.1 s);
                              its value, or False
  until(fn, seconds)          fn() until it is true, without a browser; its last value
  js(d, script)               the script's value, or None (and a "#" line) when the page
                              was between two loads
  page_width(d), fits(d)      [scrollWidth, innerWidth]; no sideways scrolling at 360 px
  small_targets(d, targets, label)
                              the targets (CSS) under 44 px high, as "label: height"
  banner(d)                   the live banner's text (desk_live.c), "" when none
  listening(url)              something accepts connections on url's host and port
  gone(pid)                   the process has ended (no /proc entry, or a zombie)
  start(cmd, pidfile, log)    cmd in the background, its pid in pidfile for the shell's
                              clean-up, its stderr appended to log
  publish(*args)              raksha-publish on the suite's broker (W, BROKER_PORT,
                              RAKSHA_PUBLISH from the environment), as ChildLine Vidisha;
                              what it printed (the message's id)

Every wait is bounded."""
import os
import socket
import subprocess
import time

from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

QUIET = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
         "--disable-extensions", "--disable-background-networking", "--disable-sync",
         "--disable-component-update", "--disable-default-apps")


def check(ok, description):
    print("%d %s" % (1 if ok else 0, description), flush=True)
    return ok


def start_browser(profile, flags, phone):
    o = webdriver.ChromeOptions()
    for a in QUIET + ("--user-data-dir=" + profile,) + flags:
        o.add_argument(a)
    o.binary_location = "/usr/bin/chromium"
    d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=o)
    try:
        d.set_page_load_timeout(10)
        d.set_script_timeout(5)
        if phone:
            # A phone: 360 x 740 CSS pixels, as the page lays itself out (headless
            # chromium's window is at least 500 px wide).
            d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                              {"width": 360, "height": 740, "deviceScaleFactor": 1, "mobile": True})
    except Exception:
        d.quit()
        raise
    return d


def browser(profile, *flags, phone=True):
    """A headless chromium; started a second time if its renderer did not
    answer the first (seen once in CI on a loaded machine: "Timed out
    receiving message from renderer"), before any page of the test."""
    try:
        return start_browser(profile, flags, phone)
    except TimeoutException as e:
        print("# chromium did not start, once: %s" % str(e).splitlines()[0], flush=True)
    return start_browser(profile, flags, phone)


def login(d, url, user, password):
    d.get(url + "/login")
    d.find_element(By.NAME, "username").send_keys(user)
    d.find_element(By.NAME, "password").send_keys(password)
    d.find_element(By.CSS_SELECTOR, "form.login button").click()


def wait_for(d, what, seconds=10):
    try:
        return WebDriverWait(d, seconds, poll_frequency=0.1).until(what)
    except TimeoutException:
        return False


def until(fn, seconds):
    """fn() until it is true, at most @seconds; its last value."""
    end = time.monotonic() + seconds
    v = fn()
    while not v and time.monotonic() < end:
        time.sleep(0.05)
        v = fn()
    return v


def js(d, script):
    try:
        return d.execute_script(script)
    except Exception as e:  # a page between two loads
        print("#   script: %s" % str(e).splitlines()[0])
        return None


def page_width(d):
    return d.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")


def fits(d):
    """No sideways scrolling: the document is no wider than the 360 px viewport."""
    w = page_width(d)
    print("#   scrollWidth %d, innerWidth %d" % tuple(w))
    return w[0] <= w[1] and w[1] == 360


def small_targets(d, targets="a, button, input", label="e.textContent || e.name"):
    """The elements @targets (a CSS selector) smaller than 44 px high, as 'label: height'
    (@label a JavaScript expression of the element e)."""
    return d.execute_script(
        "return Array.from(document.querySelectorAll('%s'))"
        ".filter(e => e.type !== 'hidden' && e.getBoundingClientRect().height < 44)"
        ".map(e => (%s) + ': ' + e.getBoundingClientRect().height)" % (targets, label))


def banner(d):
    return js(d, "var e = document.getElementById('live'); return e ? e.textContent : null") or ""


def listening(url):
    host, port = url.split("//")[1].split(":")
    try:
        socket.create_connection((host, int(port)), timeout=0.2).close()
        return True
    except OSError:
        return False


def gone(pid):
    """The process has exited: no /proc entry, or a zombie. Its entry can go
    between the look and the read (ESRCH, or ENOENT): gone too."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().split()[2] == "Z"
    except (FileNotFoundError, ProcessLookupError):
        return True


def start(cmd, pidfile, log):
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=open(log, "a"))
    with open(pidfile, "w") as f:
        f.write("%d\n" % p.pid)
    return p


def publish(*args):
    return subprocess.run([os.environ["RAKSHA_PUBLISH"], "--url", "mqtt://127.0.0.1:" + os.environ["BROKER_PORT"],
                           "--outbox", os.environ["W"] + "/pub", "--state", "mp", "--region", "vidisha",
                           "--agency", "childline"] + list(args),
                          capture_output=True, text=True, timeout=10).stdout.strip()
