#!/bin/sh
# 20: signed envelopes. `raksha-publish keygen` makes a unit's key; the
# publisher signs; an agent with the roster as its trust store and
# `require_signatures = yes` stores what its units signed and rejects, with
# the reason, what is unsigned, signed by a stranger, forged, altered after
# signing, stripped of its signature or signed by another unit than the one
# it names (what a bridge or a compromised broker could inject: here
# mosquitto_pub plays it). PyNaCl checks our signatures independently.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/broker.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/agent.sh"
PY=/usr/bin/python3
broker_start
W=$BROKER_DIR
DB=$W/agent.db
URL="mqtt://127.0.0.1:$BROKER_PORT"
pub() { "$RAKSHA_PUBLISH" --url "$URL" --outbox "$W/outbox" --state mp --region bhopal --agency grp "$@"; }

# Keys: two posts of GRP Bhopal, the agent, and a stranger nobody listed.
for id in mp-bhopal-grp-post1 mp-bhopal-grp-post2 mp-bhopal-grp-stranger; do
	pub keygen --id "$id" --out "$W/$id.key" > "$W/$id.pub" 2> "$W/keygen.err" || bail "keygen $id"
done
pub keygen --id mp-bhopal-grp-1 --role agent --out "$W/mp-bhopal-grp-1.key" > "$W/mp-bhopal-grp-1.pub" \
	2> "$W/keygen.err" || bail "keygen mp-bhopal-grp-1"
is "$(stat -c %a "$W/mp-bhopal-grp-post1.key")" 600 "keygen: the secret key file is mode 0600"
pk1=$(sed -n 's/^public key: //p' "$W/mp-bhopal-grp-post1.pub")
is "${#pk1}" 44 "keygen prints the public key (44 characters of base64)"
contains "$(cat "$W/mp-bhopal-grp-post1.pub")" "roster line: mp-bhopal-grp-post1,mp,bhopal,grp,unit,$pk1" \
	"keygen prints the unit's roster line"
before=$(cat "$W/mp-bhopal-grp-post1.key")
pub keygen --id mp-bhopal-grp-post1 --out "$W/mp-bhopal-grp-post1.key" > /dev/null 2> "$W/err"; rc=$?
ok "keygen never replaces a key (exit $rc)" test "$rc" -ne 0
is "$(cat "$W/mp-bhopal-grp-post1.key")" "$before" "  the existing key is unchanged"
contains "$(cat "$W/err")" "exists" "  and says the file exists"
pub keygen --id Bad_Id --out "$W/bad.key" 2> /dev/null; is "$?" 64 "keygen with a bad id: exit 64"
# --role: the roster line is the role's; a role the roster has not is
# refused before any key is made.
pk_agent=$(sed -n 's/^public key: //p' "$W/mp-bhopal-grp-1.pub")
contains "$(cat "$W/mp-bhopal-grp-1.pub")" "roster line: mp-bhopal-grp-1,mp,bhopal,grp,agent,$pk_agent" \
	"keygen --role agent prints the agent's roster line"
pub keygen --id mp-bhopal-grp-boss --role chief --out "$W/boss.key" > "$W/out" 2> "$W/err"; rc=$?
is "$rc" 64 "keygen --role chief: exit 64"
is "$(cat "$W/err")" "raksha-publish: keygen: --role: role 'chief' is not unit, agent, control, supervisor, archive or admin" \
	"  names the role and the roles there are"
ok "  and makes no key" test ! -e "$W/boss.key"

key_of() { sed -n 's/^public key: //p' "$W/$1.pub"; }
{
	echo "id,state,region,agency,role,public_key"
	echo "mp-bhopal-grp-post1,mp,bhopal,grp,unit,$(key_of mp-bhopal-grp-post1)"
	echo "mp-bhopal-grp-post2,mp,bhopal,grp,unit,$(key_of mp-bhopal-grp-post2)"
	echo "mp-indore-grp-post1,mp,indore,grp,unit"
	sed -n 's/^roster line: //p' "$W/mp-bhopal-grp-1.pub"  # keygen's own line, as the admin pastes it
} > "$W/units.csv"
ROSTER=$RAKSHA_BUILD_ROOT/tools/roster/raksha-roster
is "$("$ROSTER" -n --roster "$W/units.csv")" "roster OK (4 units, 3 with a signing key)" \
	"raksha-roster reads the public key column"
sed 's/^\(mp-bhopal-grp-post2,.*,\)[^,]*$/\1not-a-key/' "$W/units.csv" > "$W/badkeys.csv"
"$ROSTER" -n --roster "$W/badkeys.csv" > /dev/null 2> "$W/err"; rc=$?
is "$rc" 65 "raksha-roster: a bad public key is a bad line (exit 65)"
contains "$(cat "$W/err")" "badkeys.csv:3: public key 'not-a-key' is not 44 characters of base64" \
	"  named by its line"

# The agent's configuration: -n vouches for the key and the trust store.
agent_conf mp-bhopal-grp-1 "raksha/v1/mp/#" "durability = crash" "outbox = $W/local" \
	"signing_key = $W/mp-bhopal-grp-1.key" "trusted_keys = $W/units.csv" \
	"require_signatures = yes" > "$W/agent.conf"
printf '[escalate.first]\nmatch = raksha/v1/mp/+/+/report\nafter = 1s\npublish = raksha/v1/mp/bhopal/grp/escalation\n' \
	>> "$W/agent.conf"
is "$("$RAKSHA_AGENT" -n --config "$W/agent.conf")" "configuration OK" "-n with signatures: configuration OK"
check_conf() {  # check_conf DESCRIPTION WANT CONFIG-LINE...
	d=$1 want=$2; shift 2
	agent_conf mp-bhopal-grp-1 "raksha/v1/mp/#" "$@" > "$W/c.conf"
	"$RAKSHA_AGENT" -n --config "$W/c.conf" > /dev/null 2> "$W/err"; rc=$?
	is "$rc" 78 "-n: $d: exit 78"
	contains "$(cat "$W/err")" "$want" "  says: $want"
}
check_conf "trust store with a bad key" "trusted_keys: $W/badkeys.csv:3: public key 'not-a-key'" \
	"trusted_keys = $W/badkeys.csv"
cp "$W/mp-bhopal-grp-1.key" "$W/open.key"; chmod 644 "$W/open.key"
check_conf "a key others can read" "mode 644 lets others read the secret key; chmod 600 it" \
	"signing_key = $W/open.key"
check_conf "another unit's key" "the key is mp-bhopal-grp-post1's, not this agent's (mp-bhopal-grp-1)" \
	"signing_key = $W/mp-bhopal-grp-post1.key"
check_conf "required without a trust store" "require_signatures = yes needs trusted_keys" \
	"require_signatures = yes"
check_conf "require_signatures not yes/no" "require_signatures: 'maybe' is not 'yes' or 'no'" \
	"require_signatures = maybe"
# A signing agent's escalation on another unit's topic would be refused as
# wrong-signer everywhere: -n says so before it happens.
agent_conf mp-bhopal-grp-1 "raksha/v1/mp/#" "signing_key = $W/mp-bhopal-grp-1.key" > "$W/c.conf"
printf '[escalate.up]\nmatch = raksha/v1/mp/+/+/report\nafter = 1m\npublish = raksha/v1/mp/state/control/escalation\n' \
	>> "$W/c.conf"
"$RAKSHA_AGENT" -n --config "$W/c.conf" > /dev/null 2> "$W/err"
is "$?" 78 "-n: a signing agent's rule publishing under another unit: exit 78"
contains "$(cat "$W/err")" "[escalate.up] publish: raksha/v1/mp/state/control/escalation is outside this agent's own tree raksha/v1/mp/bhopal/grp/: the broker's ACL drops every escalation published there, and its signature would be refused" \
	"  says its signature would be refused"

"$RAKSHA_AGENT" --config "$W/agent.conf" --foreground > "$W/fg.out" 2> "$W/fg.err" &
AGENT=$!
trap 'kill $AGENT 2>/dev/null; wait $AGENT 2>/dev/null; broker_stop' EXIT
wait_rows "SELECT count(*) FROM messages WHERE kind = 'agent'" 1 || bail "agent did not come up"
contains "$(cat "$W/fg.err")" "checking signatures against 3 key(s) from $W/units.csv; unsigned envelopes are rejected" \
	"the agent says it checks signatures"
is "$(q "SELECT count(*) FROM rejected")" 0 "the agent's own signed presence passes its own check"

# A signed report is stored; its signature is PyNaCl-checkable.
P1="--signing-key $W/mp-bhopal-grp-post1.key"
mosquitto_sub -p "$BROKER_PORT" -h 127.0.0.1 -q 1 -C 1 -W 20 -t raksha/v1/mp/bhopal/grp/report \
	-F '%x' > "$W/signed.hex" &
SUB=$!
sleep 0.5
id1=$(pub $P1 report --name "सीमा" --age 9 --gender female --station BPL)
ok "a signed report is published" test -n "$id1"
wait_rows "SELECT count(*) FROM cases" 1
is "$(q "SELECT count(*) FROM cases WHERE report_id = x'$(echo "$id1" | tr -d -)'")" 1 \
	"the agent stores the signed report"
wait "$SUB"
$PY - "$W/signed.hex" "$W/mp-bhopal-grp-post1.pub" > "$W/py.out" 2>&1 <<'PY'
import sys, nacl.signing, base64
data = bytes.fromhex(open(sys.argv[1]).read().strip())
pk = [l.split(": ", 1)[1].strip() for l in open(sys.argv[2]) if l.startswith("public key: ")][0]
# Walk the top-level fields; drop 30 (signature) and 31 (signer).
def varint(b, i):
    v = s = 0
    while True:
        c = b[i]; i += 1; v |= (c & 0x7f) << s; s += 7
        if not c & 0x80: return v, i
i, body, sig, signer = 0, b"", None, None
while i < len(data):
    start = i
    tag, i = varint(data, i)
    wt = tag & 7
    if wt == 0: _, i = varint(data, i)
    elif wt == 2:
        n, i = varint(data, i); val = data[i:i+n]; i += n
    elif wt == 1: i += 8
    elif wt == 5: i += 4
    if tag >> 3 == 30: sig = val
    elif tag >> 3 == 31: signer = val.decode()
    else: body += data[start:i]
nacl.signing.VerifyKey(base64.b64decode(pk)).verify(body, sig)
print("verified", signer, len(sig))
PY
is "$(cat "$W/py.out")" "verified mp-bhopal-grp-post1 64" "PyNaCl verifies the signature over the bytes without fields 30/31"
$PY -c "import sys; open(sys.argv[2], 'wb').write(bytes.fromhex(open(sys.argv[1]).read().strip()))" \
	"$W/signed.hex" "$W/signed.bin"
protoc --decode raksha.v1.Envelope --proto_path="$RAKSHA_SOURCE_ROOT/schemas" raksha/v1/raksha.proto \
	< "$W/signed.bin" > "$W/decoded.txt"
contains "$(cat "$W/decoded.txt")" 'signer: "mp-bhopal-grp-post1"' "protoc --decode shows the signer"
contains "$(cat "$W/decoded.txt")" 'sender_id: "mp-bhopal-grp-post1"' "  and the sender id the key gave"

# Each rejection, with its reason: injected as a compromised broker would.
inject() { mosquitto_pub -p "$BROKER_PORT" -h 127.0.0.1 -q 1 -t "$1" -f "$2"; }
rejected() {  # rejected N CAUSE TEXT DESCRIPTION
	wait_rows "SELECT count(*) FROM rejected" "$1"
	is "$(q "SELECT cause FROM rejected ORDER BY seq DESC LIMIT 1")" "$2" "$4: rejected as $2"
	contains "$(q "SELECT reason FROM rejected ORDER BY seq DESC LIMIT 1")" "$3" "  with the reason: $3"
}
pub report --name Unsigned --age 7 > /dev/null
rejected 1 unsigned "signature: missing, and signatures are required" "an unsigned report"
pub --signing-key "$W/mp-bhopal-grp-stranger.key" report --name Stranger --age 7 > /dev/null
rejected 2 unknown-signer "signer: 'mp-bhopal-grp-stranger' has no key in the trust store" \
	"a report signed by a key the roster does not list"
# Altered after signing: the child's name, same length, in the signed bytes.
$PY - "$W/signed.bin" "$W/altered.bin" "$W/stripped.bin" <<'PY'
import sys
d = open(sys.argv[1], "rb").read()
name = "सीमा".encode()
assert name in d
open(sys.argv[2], "wb").write(d.replace(name, "रीमा".encode()))
# Stripped: the signed bytes without the tail the signer appended (30, 31).
cut = d.rfind(b"\xf2\x01\x40")
open(sys.argv[3], "wb").write(d[:cut])
PY
inject raksha/v1/mp/bhopal/grp/report "$W/altered.bin"
rejected 3 bad-signature "signature: does not match 'mp-bhopal-grp-post1''s key" "a signed report altered in transit"
inject raksha/v1/mp/bhopal/grp/report "$W/stripped.bin"
wait_rows "SELECT count(*) FROM rejected" 4
is "$(q "SELECT cause FROM rejected ORDER BY seq DESC LIMIT 1")" unsigned "a signature stripped off: rejected as unsigned"
# A valid signature moved onto another unit's report: sign as post1 with
# post2's sender id is refused by the publisher, so take post2's signed
# report and give it post1's signature and signer.
mosquitto_sub -p "$BROKER_PORT" -h 127.0.0.1 -q 1 -C 1 -W 20 -t raksha/v1/mp/bhopal/grp/report \
	-F '%x' > "$W/post2.hex" &
SUB=$!
sleep 0.5
pub --signing-key "$W/mp-bhopal-grp-post2.key" report --name "Post Two" --age 6 > /dev/null
wait "$SUB"
wait_rows "SELECT count(*) FROM cases" 2
is "$(q "SELECT count(*) FROM cases")" 2 "a report signed by the second post is stored"
$PY - "$W/post2.hex" "$W/signed.bin" "$W/moved.bin" <<'PY'
import sys
p2 = bytes.fromhex(open(sys.argv[1]).read().strip())
p1 = open(sys.argv[2], "rb").read()
tail = p1[p1.rfind(b"\xf2\x01\x40"):]
open(sys.argv[3], "wb").write(p2[:p2.rfind(b"\xf2\x01\x40")] + tail)
PY
inject raksha/v1/mp/bhopal/grp/report "$W/moved.bin"
rejected 5 bad-signature "does not match" "post1's signature moved onto post2's report"
# Signed by a listed unit, but for another unit's tree: post1 says it is in Indore.
"$RAKSHA_PUBLISH" --url "$URL" --outbox "$W/outbox" --state mp --region indore --agency grp \
	--signing-key "$W/mp-bhopal-grp-post1.key" report --name Elsewhere --age 8 > /dev/null 2>&1
rejected 6 wrong-signer "signer: 'mp-bhopal-grp-post1' is mp/bhopal/grp in the roster, but the origin is mp/indore/grp" \
	"a listed unit signing for another unit's region"
"$RAKSHA_PUBLISH" --url "$URL" --outbox "$W/outbox" --state mp --region bhopal --agency grp \
	--signing-key "$W/mp-bhopal-grp-post1.key" --sender-id mp-bhopal-grp-post2 report --name X --age 3 \
	> /dev/null 2> "$W/err"; rc=$?
is "$rc" 78 "the publisher refuses a sender id that is not its key's (exit 78)"
contains "$(cat "$W/err")" "sender_id 'mp-bhopal-grp-post2' is not the signing key's unit 'mp-bhopal-grp-post1'" \
	"  and says why"
# So craft it: post2's report, signed with post1's secret by PyNaCl.
$PY - "$W/post2.hex" "$W/mp-bhopal-grp-post1.key" "$W/crafted.bin" <<'PY'
import sys, base64, nacl.signing
p2 = bytes.fromhex(open(sys.argv[1]).read().strip())
body = p2[:p2.rfind(b"\xf2\x01\x40")]
seed = [l.split("=", 1)[1].strip() for l in open(sys.argv[2]) if l.startswith("secret")][0]
sig = nacl.signing.SigningKey(base64.b64decode(seed)).sign(body).signature
signer = b"mp-bhopal-grp-post1"
open(sys.argv[3], "wb").write(body + b"\xf2\x01\x40" + sig + b"\xfa\x01" + bytes([len(signer)]) + signer)
PY
inject raksha/v1/mp/bhopal/grp/report "$W/crafted.bin"
rejected 7 wrong-signer "signer: 'mp-bhopal-grp-post1' signed an envelope whose origin.sender_id is 'mp-bhopal-grp-post2'" \
	"a valid signature of one post over another post's report"
is "$(q "SELECT count(*) FROM cases")" 2 "nothing rejected reached the case view"
contains "$(cat "$W/fg.err")" "rejected bad-signature on raksha/v1/mp/bhopal/grp/report" "the agent's log names the rejection"

# A unit added to the roster is trusted after SIGHUP, without a restart.
pub --signing-key "$W/mp-bhopal-grp-stranger.key" report --name Stranger2 --age 7 > /dev/null
rejected 8 unknown-signer "has no key" "before the roster lists it, the stranger is refused"
echo "mp-bhopal-grp-stranger,mp,bhopal,grp,unit,$(key_of mp-bhopal-grp-stranger)" >> "$W/units.csv"
kill -HUP "$AGENT"
for _ in $(seq 50); do grep -q "reload: 4 trusted key(s)" "$W/fg.err" && break; sleep 0.1; done
contains "$(cat "$W/fg.err")" "reload: 4 trusted key(s) from $W/units.csv" "SIGHUP reads the roster again"
pub --signing-key "$W/mp-bhopal-grp-stranger.key" report --name Welcome --age 7 > /dev/null
wait_rows "SELECT count(*) FROM cases" 3
is "$(q "SELECT count(*) FROM cases WHERE child_name = 'Welcome'")" 1 "  then its signed report is stored"
# Revocation works on every reload, however many (the replaced trust stores
# were once kept, 64 at most): 70 reloads, then the stranger taken off.
reloads() { grep -c "reload: [0-9]* trusted key(s)" "$W/fg.err"; }
n=$(reloads)
for i in $(seq 70); do
	kill -HUP "$AGENT"
	for _ in $(seq 200); do [ "$(reloads)" -gt "$n" ] && break; sleep 0.01; done
	n=$(reloads)
done
is "$n" 71 "71 reloads of the trust store in all"
grep -v '^mp-bhopal-grp-stranger,' "$W/units.csv" > "$W/units.new" && mv "$W/units.new" "$W/units.csv"
kill -HUP "$AGENT"
for _ in $(seq 200); do grep -q "reload: 3 trusted key(s)" "$W/fg.err" && break; sleep 0.01; done
contains "$(cat "$W/fg.err")" "reload: 3 trusted key(s) from $W/units.csv" "the stranger taken off the roster"
pub --signing-key "$W/mp-bhopal-grp-stranger.key" report --name Revoked --age 7 > /dev/null
rejected 9 unknown-signer "has no key" "  after 71 reloads its next report is refused"
# The agent signs its escalations; their copies from the broker pass its check.
wait_rows "SELECT count(*) FROM cases WHERE escalation_level > 0" 3
sleep 1
kill "$AGENT"; wait "$AGENT"
is "$(q "SELECT count(*) FROM messages WHERE kind = 'escalation'")" 3 "three escalations (one per case) stored"
is "$(q "SELECT count(*) FROM rejected")" 9 "nine rejections in all, nothing else refused"

# require_signatures = no: unsigned passes, a forgery still does not.
rm -f "$DB"
agent_conf mp-bhopal-grp-1 "raksha/v1/mp/#" "durability = crash" "outbox = $W/local" \
	"trusted_keys = $W/units.csv" > "$W/agent2.conf"
"$RAKSHA_AGENT" --config "$W/agent2.conf" --foreground > /dev/null 2> "$W/fg2.err" &
AGENT=$!
wait_rows "SELECT count(*) FROM messages WHERE kind = 'agent'" 1 || bail "second agent did not come up"
pub report --name Unsigned2 --age 4 > /dev/null
inject raksha/v1/mp/bhopal/grp/report "$W/altered.bin"
wait_rows "SELECT count(*) FROM rejected" 1
wait_rows "SELECT count(*) FROM cases" 1
is "$(q "SELECT child_name FROM cases")" Unsigned2 "require_signatures = no: an unsigned report is stored"
is "$(q "SELECT cause FROM rejected")" bad-signature "  but an altered signed one is still rejected"
done_testing
