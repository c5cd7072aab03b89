#!/bin/sh
# 38: the desk in Hindi (issue 17), in Debian's chromium (headless,
# selenium: desk-hindi.py) against a real agent on a real mosquitto, with
# the catalogs this build made from po/ (RAKSHA_LOCALEDIR): a browser
# asking for Hindi (Accept-Language hi) gets the login page, the list, a
# case page and the units' page in Hindi, <html lang="hi">, with no English
# word of the desk's own (the catalog's msgids; the values this suite
# published excepted) and dates as DD Mon YYYY, 12-hour, in Hindi; the
# account switched to English (the header's button, POST /language with
# its CSRF token) gets English from then on although its browser still asks
# for Hindi, and keeps it after the desk restarts (the prefs file, 0600).
# In Hindi too: the new report's form sent back with an error, the case's
# poster (beside English), the statistics (a supervisor's), and an Ack
# queued with the broker away (the log keeping the agent's English).
# The board, under a pty (tmux) with LANGUAGE=hi on a C.UTF-8 locale (no
# hi_IN generated): its list, help and case in Hindi with no English word
# of the catalog's, its columns lined up by Devanagari's display width, a
# date as DD Mon YYYY, 12-hour, in Hindi.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/desk.sh"
export LC_ALL=C.UTF-8
export RAKSHA_LOCALEDIR="$RAKSHA_BUILD_ROOT/po"
[ -s "$RAKSHA_LOCALEDIR/hi/LC_MESSAGES/raksha.mo" ] || bail "no Hindi catalog built in $RAKSHA_LOCALEDIR"
desk_suite tmux
AGENT=
DESKPID=
TM="tmux -L raksha-38-$$ -f /dev/null"
trap '$TM kill-server 2>/dev/null; desk_cleanup' EXIT

desk_conf > "$W/agent.conf"
desk_user asha --full-name "Asha Verma" --badge "GRP 1042" --role supervisor
desk_agent
desk_start || bail "raksha-desk did not start: $(cat "$W/desk.log")"

R=$(desk_pub --state mp --region vidisha --agency childline --unit "ChildLine Vidisha" report \
	--name "सीमा कुमारी" --age-range 8-10 --gender female --height-cm 121 --clothing "लाल फ्रॉक" \
	--station BPL --train 12627 --coach S4 --priority urgent --notes "शर्मीली")
[ -n "$R" ] || bail "the report was not published"
wait_rows "SELECT count(*) FROM cases" 1 || bail "the report was not stored"

export URL R W DESK_CONF="$W/desk.conf" RAKSHA_DESK PORT
desk_browser 40 desk-hindi.py
ok "the browser half ran whole (exit $BROWSER_RC, ${BROWSER_S}s)" test "$BROWSER_RC" -eq 0
ok "the account's language is kept in the prefs file beside the accounts" grep -q "^asha	en$" "$W/users.lang"
is "$(stat -c %a "$W/users.lang" 2>/dev/null)" 600 "  mode 0600"
ok "the change is logged with the account" grep -q "'asha' chose the language en" "$W/desk.log"

# The board in Hindi, from the locale: LANGUAGE as gettext reads it.
screen() { $TM capture-pane -p -t board 2>/dev/null; }
wait_screen() { for _ in $(seq 100); do screen | grep -qF -- "$1" && return 0; sleep 0.1; done; return 1; }
column_of() { screen | /usr/bin/python3 -c 'import sys, unicodedata
def width(s):
    return sum(0 if unicodedata.category(c) in ("Mn", "Me", "Cf") else 1 for c in s)
for line in sys.stdin:
    if sys.argv[1] in line:
        print(width(line[:line.index(sys.argv[1])]))
        break
else:
    print(-1)' "$1"; }
no_english() {  # no_english WHAT: the screen has no English word of the catalog's
	screen > "$W/screen"
	found=$(/usr/bin/python3 "$RAKSHA_SOURCE_ROOT/tests/integration/desk-hindi.py" english "$W/screen")
	ok "$1: no English word of the board's own ($found)" test -z "$found"
	[ -z "$found" ] || sed 's/^/#   | /' "$W/screen"
}
$TM new-session -d -s board -x 100 -y 30 "TERM=tmux-256color LANGUAGE=hi LANG=C.UTF-8 \
	RAKSHA_LOCALEDIR='$RAKSHA_LOCALEDIR' '$RAKSHA_AGENT' board --config '$W/agent.conf' 2> '$W/board.err'" ||
	bail "tmux cannot start a session"
ok "the board with LANGUAGE=hi: its columns' heads in Hindi" wait_screen "प्राथ"
ok "  the case listed, the title bar in Hindi" wait_screen "खुले 1"
no_english "the board's list"
is "$(column_of "BPL 12627")" "$(column_of "अंतिम बार दिखा")" \
	"  LAST SEEN's head and value line up after the Devanagari heads and name (display widths)"
$TM send-keys -t board '?'
ok "? shows the help in Hindi" wait_screen "रक्षा बोर्ड: कुंजियाँ"
no_english "the board's help"
$TM send-keys -t board x
sleep 0.3
$TM send-keys -t board Enter
ok "Enter shows the case in Hindi" wait_screen "आयु, लिंग"
no_english "the board's case"
hindi_date() { screen | grep -qE '[0-9]{2} (जन॰|फ़र॰|मार्च|अप्रैल|मई|जून|जुल॰|अग॰|सित॰|अक्टू॰|नव॰|दिस॰) [0-9]{4}, [0-9]{1,2}:[0-9]{2} (पूर्वाह्न|अपराह्न)'; }
ok "  a date as DD Mon YYYY, 12-hour, in Hindi" hindi_date
$TM kill-server 2>/dev/null

# After a restart the account still gets English, its browser asking for Hindi.
desk_stop
desk_start || bail "raksha-desk did not start again: $(cat "$W/desk.log")"
jar=$W/jar
token=$(curl -s -c "$jar" "$URL/login" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -1)
curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "csrf=$token" --data-urlencode username=asha \
	--data-urlencode password=desk-pass-1 "$URL/login"
page=$(curl -s -b "$jar" -H 'Accept-Language: hi-IN,hi;q=0.9' "$URL/cases")
contains "$page" '<html lang="en">' "after a restart the account's English is kept (the prefs file read)"
csrf=$(printf '%s' "$page" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -1)
post_lang() { curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -b "$jar" "$@" "$URL/language"; }
is "$(post_lang --data-urlencode lang=hi)" "403 " "POST /language without the CSRF token: refused"
is "$(post_lang --data-urlencode "csrf=$csrf" --data-urlencode lang=xx)" "400 " \
	"  a language there is no catalog for: refused"
is "$(post_lang --data-urlencode "csrf=$csrf" --data-urlencode lang=hi --data-urlencode back=//evil.example/x)" \
	"303 $URL/cases" "  back to another site: to /cases instead"
contains "$(curl -s -b "$jar" "$URL/cases")" '<html lang="hi">' "  and the language was set: Hindi again"

# The broker away for 3 s: the agent's outbox says "queued" and why; the
# Hindi account reads it in Hindi, the log keeps unit_pub's English.
sh "$RAKSHA_SOURCE_ROOT/tests/lib/restart-broker.sh" "$W" 3 &
restarter=$!
sleep 0.5
is "$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" --data-urlencode "csrf=$csrf" \
	--data-urlencode state=received "$URL/case/$R/ack")" 303 "an Ack with the broker away: 303 to the case"
contains "$(curl -s -b "$jar" "$URL/case/$R")" "पावती: कतार में, ब्रोकर तक पहुँच नहीं; संपर्क लौटने पर एजेंट इसे भेजेगा" \
	"  the page says queued, and why, in Hindi"
contains "$(cat "$W/desk.log")" "'asha' acknowledged case $R from 127.0.0.1: ack queued: broker unreachable" \
	"  the log in the agent's English"
wait "$restarter"
contains "$(curl -s -H 'Accept-Language: en-IN,hi;q=0.5' "$URL/login")" '<html lang="en">' \
	"en-IN before hi: the login page in English"
contains "$(curl -s -H 'Accept-Language: en;q=0.4, hi;q=0.8' "$URL/login")" 'लॉग इन करें' \
	"  hi with the higher q-value: in Hindi"
done_testing
