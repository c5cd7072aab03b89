#!/bin/sh
# 30: raksha-desk, the web desk, against a real agent on a real mosquitto,
# with reports from raksha-publish, checked by curl and by Debian's
# chromium (headless, through chromedriver and selenium: desk-browser.py).
# The configuration: [desk] beside the agent's sections (the agent takes
# the file too), -n, bad keys named with their line, plain HTTP refused
# off loopback. Accounts: user add/list/passwd/del, the file 0600 holding
# argon2id hashes only. HTTP: every response's headers (CSP, no framing,
# no-store, nosniff), the cookies' flags (Secure under HTTPS), no page or
# photo without a session, no POST without its CSRF token (403). In the
# browser: log in; the reports in the list, the critical first; a name
# written as markup shows as text and runs nothing; the case page shows
# the fields and its photo; Acknowledge publishes an Ack with the
# officer's name and badge (mosquitto_sub, protoc --decode); 360x740 without sideways scrolling, touch
# targets of 44 px, nothing loaded from elsewhere (screenshots of the list
# and a case kept in the build folder: tests/artefacts/); logout; five
# wrong passwords lock the account. Every action logged with its account.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/desk.sh"
desk_suite curl openssl
DESK=$RAKSHA_DESK
ARTEFACTS=$RAKSHA_BUILD_ROOT/tests/artefacts
mkdir -p "$ARTEFACTS"
AGENT=
DESKPID=
SUB=
cleanup() {
	[ -n "$SUB" ] && kill "$SUB" 2>/dev/null
	[ -n "$DESKPID" ] && kill "$DESKPID" 2>/dev/null && wait "$DESKPID" 2>/dev/null
	[ -n "$AGENT" ] && kill "$AGENT" 2>/dev/null && wait "$AGENT" 2>/dev/null
	broker_stop
}
trap cleanup EXIT

# The configuration.
desk_conf "listen = 127.0.0.1:8080" > "$W/ok.conf"
is "$("$DESK" --config "$W/ok.conf" -n 2>&1)" "configuration OK" "-n: configuration OK"
"$RAKSHA_AGENT" --config "$W/ok.conf" -n > /dev/null 2>&1
is "$?" 0 "the agent takes the same file, [desk] and all"
desk_conf "listen = 127.0.0.1:http" "colour = blue" > "$W/bad.conf"
out=$("$DESK" --config "$W/bad.conf" -n 2>&1); rc=$?
is "$rc" 78 "-n with bad keys: exit 78"
contains "$out" "bad.conf:16: listen: '127.0.0.1:http' is not HOST:PORT" "  the bad listen named with its line"
contains "$out" "bad.conf:17: unknown key 'colour' in [desk]" "  the unknown key too"
desk_conf "listen = 0.0.0.0:8080" > "$W/open.conf"
out=$("$DESK" --config "$W/open.conf" -n 2>&1); rc=$?
is "$rc" 78 "plain HTTP on 0.0.0.0: refused (78)"
contains "$out" "not a loopback address: it needs tls_cert and tls_key (or insecure_http = yes" "  saying what it needs"
desk_conf "listen = 0.0.0.0:8080" "insecure_http = yes" > "$W/lab.conf"
is "$("$DESK" --config "$W/lab.conf" -n 2>&1)" "configuration OK" "  unless insecure_http = yes"
XDG_CONFIG_HOME=$W/none "$DESK" > /dev/null 2> "$W/err"
is "$?" 66 "no --config nor a default one: 66"
contains "$(cat "$W/err")" "raksha-desk: no configuration: give --config FILE" "  saying so"

# Accounts.
printf 'desk-pass-1\n' | "$DESK" --config "$W/ok.conf" user add asha --full-name "Asha Verma" \
	--badge "GRP 1042" --role supervisor
is "$?" 0 "user add, the password from standard input"
printf 'desk-pass-1\n' | "$DESK" --config "$W/ok.conf" user add lock-me > /dev/null 2>&1
printf 'desk-pass-1\n' | "$DESK" --config "$W/ok.conf" user add asha > /dev/null 2> "$W/err"
is "$?" 65 "the same name again: 65"
printf 'desk-pass-1\n' | "$DESK" --config "$W/ok.conf" user add 'Bad Name' > /dev/null 2>&1
is "$?" 65 "a name with a capital and a space: 65"
printf 'short\n' | "$DESK" --config "$W/ok.conf" user add shorty > /dev/null 2> "$W/err"
contains "$(cat "$W/err")" "password: 8 to 256 bytes" "a short password: refused, saying why"
is "$(stat -c %a "$W/users")" 600 "the accounts file is 0600"
ok "  it holds argon2id hashes, not the password" sh -c "grep -q 'argon2id' '$W/users' && ! grep -q desk-pass-1 '$W/users'"
is "$("$DESK" --config "$W/ok.conf" user list | cut -f1-4 | tr '\t' ' ' | tr '\n' '|')" \
	"asha supervisor Asha Verma GRP 1042|lock-me officer  |" "user list"
printf 'to-be-deleted\n' | "$DESK" --config "$W/ok.conf" user add gone > /dev/null 2>&1
"$DESK" --config "$W/ok.conf" user del gone
is "$("$DESK" --config "$W/ok.conf" user list | cut -f1 | tr '\n' ' ')" "asha lock-me " "user del"
printf 'desk-pass-2\n' | "$DESK" --config "$W/ok.conf" user passwd asha
is "$?" 0 "user passwd"
# Two admins at once: both accounts kept (the lock around read and rename).
pids=
for n in 1 2 3; do
	printf 'desk-pass-1\n' | "$DESK" --config "$W/ok.conf" user add "par-$n" &
	pids="$pids $!"
done
for p in $pids; do wait "$p"; done
is "$("$DESK" --config "$W/ok.conf" user list | cut -f1 | grep -c '^par-')" 3 "three user adds at once: all three kept"
for n in 1 2 3; do "$DESK" --config "$W/ok.conf" user del "par-$n"; done

# The agent and the desk, on a free port.
desk_agent "$W/ok.conf"
desk_start || bail "raksha-desk did not start: $(cat "$W/desk.log")"

# The reports: a critical one with a photo, one whose name is markup.
/usr/bin/python3 - "$W/child.png" <<'PY'
import struct, sys, zlib
w = h = 16
rows = b"".join(b"\0" + bytes((200, 30, 40)) * w for _ in range(h))
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                              + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
PY
XSS='<img src=x onerror=alert(1)>'
desk_pub --state mp --region bhopal --agency grp report --name "$XSS" --age 7 --gender male \
	--clothing '<script>alert(2)</script>' --priority routine > /dev/null
# The PNG as it is, by protoc and mosquitto_pub (raksha-publish would send a
# JPEG it made): the desk serves a photo's bytes and type as received.
case_id=$(desk_pub --dry-run --state mp --region vidisha --agency childline --unit "ChildLine Vidisha" report \
	--name "सीमा कुमारी" --age 9 --gender female --station BPL --train 12627 --coach S4 \
	--clothing "red frock" --priority critical |
	/usr/bin/python3 "$RAKSHA_SOURCE_ROOT/tests/tools/publish-photos.py" "$BROKER_PORT" "$W/child.png")
wait_rows "SELECT count(*) FROM cases WHERE child_name IS NOT NULL" 2 || bail "the agent stored no reports"

# HTTP, by curl: headers, cookies, sessions, CSRF.
curl -s -D "$W/h" -o "$W/body" "$URL/login"
for want in "Content-Security-Policy: default-src 'self'" "X-Frame-Options: DENY" "Cache-Control: no-store" \
	"X-Content-Type-Options: nosniff"; do
	contains "$(tr -d '\r' < "$W/h")" "$want" "the login page's headers: $want"
done
contains "$(grep -i '^set-cookie' "$W/h")" "HttpOnly; SameSite=Strict" "  its cookie HttpOnly, SameSite=Strict"
ok "  not Secure over plain HTTP (a browser would drop it)" sh -c "! grep -qi 'secure' '$W/h'"
ok "  no inline script or style, no external URL" sh -c "! grep -Eqi '<script|style=|<style|https?://' '$W/body'"
code() { curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "$@"; }
is "$(code "$URL/cases")" "303 $URL/login" "the list without a session: to the login page"
is "$(code "$URL/case/$case_id")" "303 $URL/login" "a case without a session: to the login page"
is "$(code "$URL/case/$case_id/photo/0")" "403 " "a photo without a session: 403"
curl -s -D "$W/h" "$URL/style.css" | grep -q "box-sizing"
contains "$(tr -d '\r' < "$W/h")" "Cache-Control: no-store" "the stylesheet too gets the headers"
# login TOKEN-FORM-FIELD: logs in as asha with curl's cookie jar $W/jar.
login() {
	rm -f "$W/jar"
	token=$(curl -s -c "$W/jar" "$URL/login" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p')
	curl -s -b "$W/jar" -c "$W/jar" -D "$W/login.h" -o /dev/null --data-urlencode "csrf=$1$token" \
		--data-urlencode username=asha --data-urlencode password=desk-pass-2 "$URL/login"
}
login "x"
contains "$(head -1 "$W/login.h")" "403" "a login without the login form's own token: 403"
# A name that would forge a log line of its own: escaped in the log.
token=$(curl -s -c "$W/jar" "$URL/login" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p')
curl -s -b "$W/jar" -o /dev/null --data "csrf=$token&username=x%0A%3C2%3Eraksha-desk%3A+forged&password=p" "$URL/login"
contains "$(cat "$W/desk.log")" "failed login for 'x\\x0a<2>raksha-desk: forged' from 127.0.0.1" \
	"a failed login's name is escaped in the log (no line of its own)"
ok "  and forged nothing" sh -c "! grep -q '^<2>raksha-desk: forged' '$W/desk.log'"
login ""
contains "$(head -1 "$W/login.h")" "303" "a login with it: 303 to the list"
contains "$(grep -i '^set-cookie' "$W/login.h")" "raksha_session=" "  a session cookie"
sid=$(sed -n 's/.*raksha_session\t\([0-9a-f]*\)$/\1/p' "$W/jar")
is "${#sid}" 64 "  its id 256 bits (64 hex digits)"
is "$(code -b "$W/jar" "$URL/case/$case_id/photo/0")" "200 " "the photo with the session"
ct=$(curl -s -b "$W/jar" -o "$W/photo" -w '%{content_type}' "$URL/case/$case_id/photo/0")
is "$ct" "image/png" "  as image/png"
ok "  the very bytes published" cmp -s "$W/photo" "$W/child.png"
is "$(code -b "$W/jar" -X POST --data "csrf=$(printf '%064d' 0)" "$URL/logout")" "403 " \
	"POST /logout with a wrong CSRF token: 403"
is "$(code -b "$W/jar" -X POST "$URL/logout")" "403 " "  without one: 403"
is "$(code -b "$W/jar" "$URL/cases")" "200 " "  and the session lives on"
grep -q "POST /logout from 127.0.0.1 refused: no valid CSRF token" "$W/desk.log"
is "$?" 0 "  the refusal logged"
is "$(code -X POST "$URL/anything")" "403 " "any POST without a session: 403"

# Acknowledge without the CSRF token: refused, nothing published.
is "$(code -b "$W/jar" -X POST "$URL/case/$case_id/ack")" "403 " "POST /case/ID/ack without its CSRF token: 403"
sleep 0.5
is "$(q "SELECT count(*) FROM messages WHERE kind = 'ack'")" 0 "  no Ack reached the agent"
# An independent subscriber for the Ack the browser will publish.
mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -i "raksha30-$$" -q 1 -t raksha/v1/mp/bhopal/grp/ack -C 1 -W 60 \
	-N > "$W/ack.bin" 2>/dev/null &
SUB=$!
for _ in $(seq 50); do grep -q " as raksha30-$$ " "$W/mosquitto.log" && break; sleep 0.1; done
sleep 0.2  # its SUBSCRIBE follows the CONNECT

# The browser.
desk_browser 90 desk-browser.py "$URL" asha desk-pass-2 lock-me "$XSS" "सीमा कुमारी" "$ARTEFACTS"
is "$BROWSER_RC" 0 "the browser's part ran to its end ($BROWSER_S s)"
wait "$SUB"
ack=$(protoc --proto_path="$RAKSHA_SOURCE_ROOT/schemas" raksha/v1/raksha.proto --decode=raksha.v1.Envelope \
	< "$W/ack.bin" 2>&1)
for want in 'officer_name: "Asha Verma"' 'officer_badge: "GRP 1042"' 'unit: "GRP Bhopal"' \
	'sender_id: "mp-bhopal-grp-1"' 'state: ACK_STATE_ACTING'; do
	contains "$ack" "$want" "the Ack on the wire (mosquitto_sub, protoc --decode): $want"
done
hex=$(od -An -tx1 "$W/ack.bin" | tr -d ' \n')
contains "$hex" "$(printf '%s' "$case_id" | tr -d '-')" "  about the case acknowledged"
grep -q "'asha' acknowledged case $case_id from 127.0.0.1: ack sent" "$W/desk.log"
is "$?" 0 "  logged with the account"
ok "  the screenshots kept: $ARTEFACTS" test -s "$ARTEFACTS/desk-list-360x740.png" -a -s "$ARTEFACTS/desk-case-360x740.png"
grep -q "login 'asha' from 127.0.0.1" "$W/desk.log"
is "$?" 0 "the log names who logged in"
grep -q "failed login for 'lock-me' from 127.0.0.1; the account is locked for 15 minutes" "$W/desk.log"
is "$?" 0 "  the fifth failed login, and the lock"
grep -q "logout 'asha' from 127.0.0.1" "$W/desk.log"
is "$?" 0 "  the logout"

# HTTPS: a throwaway certificate; the cookies are Secure.
desk_stop
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=127.0.0.1 \
	-addext subjectAltName=IP:127.0.0.1 -keyout "$W/key.pem" -out "$W/cert.pem" > /dev/null 2>&1
desk_start "tls_cert = $W/cert.pem" "tls_key = $W/key.pem" || bail "raksha-desk did not start with TLS: $(cat "$W/desk.log")"
curl -s --cacert "$W/cert.pem" -D "$W/h" -o /dev/null "https://127.0.0.1:$PORT/login"
contains "$(grep -i '^set-cookie' "$W/h")" "HttpOnly; SameSite=Strict; Secure" "under HTTPS the cookie is Secure"
contains "$(cat "$W/desk.log")" "listening on https://127.0.0.1:$PORT" "  and the log says https"
desk_stop
is "$?" 0 "SIGTERM: the desk stops, exit 0"

# As a systemd service: the unit as installed passes systemd-analyze verify
# (pointed at this build's binary), and the desk says READY=1 once it
# listens and STOPPING=1 on SIGTERM.
. "$RAKSHA_SOURCE_ROOT/tests/lib/notify.sh"
sed -e "s|^ExecStartPre=[^ ]*|ExecStartPre=$DESK|" -e "s|^ExecStart=[^ ]*|ExecStart=$DESK|" \
	"$RAKSHA_BUILD_ROOT/subscriber/desk/raksha-desk.service" > "$W/raksha-desk.service"
out=$(systemd-analyze verify --man=no "$W/raksha-desk.service" 2>&1)
is "$?" 0 "systemd-analyze verify accepts raksha-desk.service"
[ -n "$out" ] && tap_comment "$out"
contains "$(cat "$W/raksha-desk.service")" "User=raksha" "  it runs as the agent's user"
notify_listen "$W/notify" "$W/said" 20 || bail "no notify socket"
LISTENER=$NOTIFY_LISTENER
export NOTIFY_SOCKET="$W/notify"
desk_start || bail "raksha-desk did not start under a notify socket"
unset NOTIFY_SOCKET
for _ in $(seq 50); do grep -q "READY=1" "$W/said" 2>/dev/null && break; sleep 0.1; done
desk_stop
wait "$LISTENER"
contains "$(cat "$W/said")" "READY=1 STATUS=listening on http://127.0.0.1:$PORT" "  READY=1 once it listens"
contains "$(cat "$W/said")" "STOPPING=1" "  STOPPING=1 on SIGTERM"
ok "  nothing on its stderr but its own lines" sh -c "! grep -v 'raksha-desk: ' '$W/desk.log' | grep -q ."
done_testing
