#!/bin/sh
# 36: the desk in operation, against a real mosquitto, agent and
# raksha-publish, in Debian's headless chromium (desk-ops.py): reports
# published steadily while the desk is SIGKILLed and restarted three times
# all reach the agent's database once and the desk's list, the agent never
# notices (its pid, no warning in its log, integrity_check ok, a checkpoint
# not held back by the desk's reads), an Ack posted just before a SIGKILL
# reaches the broker once (the outbox); the browser stays logged in
# across each restart (the sessions file: 0600, no cookie value in it),
# a password changed or an account deleted while the desk is down ends its
# sessions; the agent SIGTERMed (its offline presence) and SIGKILLed
# (nothing has its database open) makes the page as served and its live
# banner say so, the pages still answer, restarted clears it; the list of
# 55 open cases (5 with photos) weighs under 100 KB with its CSS, JS and
# thumbnails; over HTTPS (a throwaway certificate chromium trusts by its
# SPKI hash) the login works, the cookie is Secure and the page loads its
# CSS and live.js from the desk alone.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/desk.sh"
desk_suite curl openssl mosquitto_sub sqlite3
AGENT=
DESKPID=
SUB=
TLSPID=
cleanup() {
	[ -n "$SUB" ] && kill "$SUB" 2>/dev/null
	[ -n "$TLSPID" ] && kill "$TLSPID" 2>/dev/null
	desk_cleanup
}
trap cleanup EXIT

desk_conf > "$W/agent.conf"
for u in asha ravi mira kiran; do desk_user "$u"; done
desk_agent
desk_start || bail "raksha-desk did not start: $(cat "$W/desk.log")"
mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -t 'raksha/v1/+/+/+/ack' -F '%x' > "$W/acks" 2>/dev/null &
SUB=$!

# 55 open cases: 5 critical ones with a 60 KB photo of noise (the list
# loads their thumbnails), 50 without. xargs -I {}: a letter would also
# be replaced inside $W, whose name is random.
/usr/bin/python3 - "$W/photo.png" <<'PY'
import os, struct, sys, zlib
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
rows = b"".join(b"\0" + os.urandom(450) for _ in range(130))
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 150, 130, 8, 2, 0, 0, 0))
                              + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
PY
seq 5 | xargs -P 3 -I {} "$RAKSHA_PUBLISH" --url "mqtt://127.0.0.1:$BROKER_PORT" --outbox "$W/pub" --state mp \
	--region vidisha --agency childline report --name "Photo {}" --age 7 --gender female --station BPL \
	--train 12627 --coach S2 --clothing "red frock" --priority critical \
	--photo "$W/photo.png" > /dev/null
seq 50 | xargs -P 3 -I {} "$RAKSHA_PUBLISH" --url "mqtt://127.0.0.1:$BROKER_PORT" --outbox "$W/pub" --state mp \
	--region vidisha --agency childline report --name "बच्चा {} Kumar" --age 8 --gender male --station ET \
	--train 12002 --coach S4 --clothing "blue shirt" --priority high > /dev/null
wait_rows "SELECT count(*) FROM cases WHERE child_name IS NOT NULL" 55 || bail "the agent stored $(q 'SELECT count(*) FROM cases') of 55 reports"

# A throwaway certificate for the HTTPS desk, and its SPKI hash for chromium.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=127.0.0.1 \
	-addext subjectAltName=IP:127.0.0.1 -keyout "$W/key.pem" -out "$W/cert.pem" > /dev/null 2>&1 ||
	bail "openssl made no certificate"
SPKI=$(openssl x509 -in "$W/cert.pem" -pubkey -noout | openssl pkey -pubin -outform der |
	openssl dgst -sha256 -binary | base64)
PLAIN_URL=$URL PLAIN_PID=$DESKPID
DESK_NAME=tls desk_start "tls_cert = $W/cert.pem" "tls_key = $W/key.pem" "sessions = $W/tls-sessions" ||
	bail "the HTTPS desk did not start: $(cat "$W/tls.log")"
TLS_URL=$URL TLSPID=$DESKPID
URL=$PLAIN_URL DESKPID=$PLAIN_PID

AGENT_PID=$AGENT
export W DB BROKER_PORT TLS_URL SPKI AGENT_PID
desk_browser 90 desk-ops.py "$URL" asha desk-pass-1
is "$BROWSER_RC" 0 "the browser's part ran to its end ($BROWSER_S s)"
ok "nothing on the desks' stderr but their own lines (no sanitizer report)" \
	sh -c "! cat '$W/desk.log' '$W/tls.log' | grep -v 'raksha-desk: ' | grep -q ."
done_testing
