#!/usr/bin/python3
"""38-desk-hindi's browser half: Debian's chromium, headless, asking for
Hindi (Accept-Language hi-IN, hi), against a running raksha-desk.

usage: desk-hindi.py   (URL, R: the report's id, W from the environment)
       desk-hindi.py english FILE   the English words of the desk's own in FILE
                                    (the board's screen), one line; exit 1 if any

A page's words: its visible text, its title and the attributes a person
reads (placeholder, alt, title, aria-label), but the schema's field names
an error names its field by (last_seen.station_code, as raksha-publish
says it) and, on a poster, the English half of each label given in both
languages (a <span lang="en"> right after its Hindi; a label the catalog
lacks is English alone, and counts). An English word of the desk's
own is a word of a message in po/raksha.pot (the catalog's msgids) that is
neither in a value this suite published nor in a Hindi translation itself
(which keeps JPEG, GET, BPL as they are). Prints "1 DESCRIPTION" or
"0 DESCRIPTION" per check; "#" lines are diagnostics. Every wait is bounded."""
import os
import re
import sys
import tempfile

from selenium.webdriver.common.by import By

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from deskbrowser import browser, check, js, login, until, wait_for  # noqa: E402

URL, R = os.environ.get("URL", ""), os.environ["R"]
ROOT = os.environ["RAKSHA_SOURCE_ROOT"]
WORD = re.compile(r"[A-Za-z]{2,}")
# a field's name in the schema (child.name, last_seen.station_code): a name, as a value is
FIELD_NAME = re.compile(r"\b[a-z0-9]+(?:[._][a-z0-9]+)+\b")
# What this suite published, and the account: data, never translated.
DATA = ("सीमा कुमारी लाल फ्रॉक शर्मीली BPL 12627 S4 mp vidisha childline ChildLine Vidisha Asha Verma "
        "GRP Bhopal bhopal grp mp-bhopal-grp-1 desk agent board " + R)
MONTHS_HI = "जन॰|फ़र॰|मार्च|अप्रैल|मई|जून|जुल॰|अग॰|सित॰|अक्टू॰|नव॰|दिस॰"
DATE_HI = re.compile(r"\b\d\d (%s) \d{4}, \d{1,2}:\d\d (पूर्वाह्न|अपराह्न)" % MONTHS_HI)
DATE_EN = re.compile(r"\b\d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}, \d{1,2}:\d\d (am|pm)\b")


def po_strings(path, key):
    """The strings of each @key ("msgid", "msgstr") entry of a .po/.pot, joined."""
    out, cur = [], None
    for line in open(path, encoding="utf-8"):
        m = re.match(r'(msgid|msgid_plural|msgstr(?:\[\d\])?|msgctxt) "(.*)"$', line)
        if m:
            cur = m.group(2) if m.group(1).startswith(key) else None
            if cur is not None:
                out.append(cur)
        elif line.startswith('"') and cur is not None:
            out[-1] += line.strip()[1:-1]
    return out


def words(strings):
    return {w for s in strings for w in WORD.findall(re.sub(r"%[-+ #0-9.]*[a-z]+", " ", s))}


ENGLISH = words(po_strings(ROOT + "/po/raksha.pot", "msgid")) - words(po_strings(ROOT + "/po/hi.po", "msgstr")) \
    - words([DATA])


def page_words(d):
    return d.execute_script(
        "var t = [document.body.innerText, document.title];"
        "document.querySelectorAll('[placeholder],[alt],[title],[aria-label]').forEach(function (e) {"
        "  ['placeholder', 'alt', 'title', 'aria-label'].forEach(function (a) {"
        "    if (e.getAttribute(a)) t.push(e.getAttribute(a)); }); });"
        "return t.join('\\n');")


def poster_words(d):
    """page_words() without the English half of each label a poster gives in both languages."""
    return d.execute_script(
        "var b = document.body.cloneNode(true);"
        "b.querySelectorAll('span[lang=\"en\"]').forEach(function (e) {"
        "  var h = e.previousElementSibling;"
        "  if (h && h.tagName === 'SPAN' && h.lang && h.lang !== 'en') e.remove(); });"
        "return [b.textContent, document.title].join('\\n');")


def hindi_page(d, path, name, words_of=page_words):
    d.get(URL + path)
    return hindi_here(d, name, words_of)


def hindi_here(d, name, words_of=page_words):
    """The page now shown: in Hindi, no English word of the desk's own."""
    text = FIELD_NAME.sub(" ", words_of(d))
    # the language buttons name each language in itself: "English" is right there
    buttons = " ".join(e.text for e in d.find_elements(By.CSS_SELECTOR, "form.lang button"))
    english = sorted((set(WORD.findall(text)) - set(WORD.findall(buttons))) & ENGLISH)
    lang = d.find_element(By.TAG_NAME, "html").get_attribute("lang")
    check(lang == "hi", "%s: <html lang=\"hi\"> (%s)" % (name, lang))
    if not check(not english, "%s: no English word of the desk's own (%s)" % (name, " ".join(english))):
        print("#   " + text.replace("\n", "\n#   ")[:1500])
    return text


def report_form(d):
    """The new report's form sent with a station code that is not one: back with its error, in Hindi."""
    d.get(URL + "/report/new")
    for name, value in (("child.name", "सीमा"), ("last_seen.station_code", "bpl1")):
        e = d.find_element(By.NAME, name)
        e.clear()
        e.send_keys(value)
    d.find_element(By.ID, "send").click()
    check(wait_for(d, lambda x: x.find_elements(By.ID, "form-error"), 15), "the report form, a bad station code: back")
    text = hindi_here(d, "the report form with its errors")
    err = js(d, "var e = document.getElementsByName('last_seen.station_code')[0];"
                "var p = e && document.getElementById(e.getAttribute('aria-describedby'));"
                "return p ? p.textContent : null") or ""
    check("होना चाहिए" in err and "सूचना" in text, "  the station's error beside it in Hindi (%s)" % err)


def english_in(path):
    found = sorted(set(WORD.findall(open(path, encoding="utf-8").read())) & ENGLISH)
    print(" ".join(found))
    return 1 if found else 0


def main():
    print("# %d English words of the desk's own to look for" % len(ENGLISH))
    check(len(ENGLISH) > 150, "the catalog gives the English words to look for (%d)" % len(ENGLISH))
    d = browser(tempfile.mkdtemp(prefix="desk-hindi-"), "--lang=hi", "--accept-lang=hi-IN,hi")
    try:
        login_page = hindi_page(d, "/login", "the login page before an account is known")
        check("लॉग इन करें" in login_page, "  it says लॉग इन करें")
        login(d, URL, "asha", "desk-pass-1")
        wait_for(d, lambda x: x.current_url.endswith("/cases"))
        listed = hindi_page(d, "/cases", "the list")
        check("सीमा कुमारी" in listed and "खुले मामले" in listed, "  it shows the case under खुले मामले")
        said = d.execute_script("var e = document.getElementById('live'); return e ? [e.dataset.lost, "
                                "e.dataset.offline, e.dataset.months] : []") or []
        check(len(said) == 3 and not (set(WORD.findall(" ".join(said))) & ENGLISH) and "दिस॰" in said[2],
              "  what live.js may say (stream lost, agent offline, its months) is in Hindi too: %s" % said[:1])
        case = hindi_page(d, "/case/" + R, "the case page")
        check("लंबाई" in case and "121 सेमी" in case, "  its fields in Hindi, the values as published (121 सेमी)")
        when = DATE_HI.search(case)
        check(when is not None, "  a date as DD Mon YYYY, 12-hour, in Hindi (%s)" % (when.group(0) if when else None))
        d.find_element(By.ID, "ack-received").click()
        said = until(lambda: js(d, "var e = document.getElementById('notice'); return e && e.textContent"), 10) or ""
        check(said == "पावती: भेजा गया", "an Acknowledge from the Hindi desk: the page says so in Hindi (%s)" % said)
        hindi_page(d, "/presence", "the units' page")
        report_form(d)
        poster = hindi_page(d, "/case/%s/poster" % R, "the case's poster (an mp unit's: Hindi beside English)",
                            poster_words)
        check("लापता बच्चा" in poster and "आयु (वर्ष)" in poster, "  its heading and labels in Hindi")
        stats = hindi_page(d, "/stats", "the statistics page (a supervisor's)")
        day = re.search(r"\b\d\d (%s) \d{4}\b" % MONTHS_HI, js(d, "var t = document.getElementById('t-days');"
                                                                "return t ? t.innerText : ''") or "")
        check("आँकड़े" in stats and day is not None,
              "  आँकड़े, its days as DD Mon YYYY in Hindi (%s)" % (day.group(0) if day else None))
        d.get(URL + "/case/" + R)
        d.find_element(By.ID, "lang-en").click()
        # the page between two loads answers nothing (js() says None), never a stale element
        until(lambda: js(d, "return document.readyState === 'complete' && document.documentElement.lang") == "en", 10)
        check(d.current_url.endswith("/case/" + R), "the English button brings the same page back")
        english = page_words(d)
        check(d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en" and "Height" in english
              and "Log out" in english, "  in English, <html lang=\"en\">, although the browser asks for Hindi")
        when = DATE_EN.search(english)
        check(when is not None, "  a date as DD Mon YYYY, 12-hour (%s)" % (when.group(0) if when else None))
        d.get(URL + "/cases")
        check("Open cases" in page_words(d), "  and the account keeps English on the next page")
        check(len(d.find_elements(By.ID, "lang-hi")) == 1, "  with a button back to हिन्दी")
    finally:
        d.quit()


if len(sys.argv) == 3 and sys.argv[1] == "english":
    sys.exit(english_in(sys.argv[2]))
main()
