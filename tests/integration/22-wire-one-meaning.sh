#!/bin/sh
# 22: one meaning for every decoder. An envelope whose report comes twice is
# valid protobuf, but decoders read it differently: Python's protobuf (as
# C++'s and protoc) merges the two copies, protobuf-c keeps the last. Shown
# with Python as the independent decoder; raksha-inspect (libraksha) refuses
# such bytes, naming the field and the byte; a normal envelope is read the
# same by both; a priority of -1, which Python keeps, is refused.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
W=$(mktemp -d "${TMPDIR:-/tmp}/raksha-22.XXXXXX")
trap 'rm -rf "$W"' EXIT
PROTO="--proto_path=$RAKSHA_SOURCE_ROOT/schemas raksha/v1/raksha.proto"
mkdir "$W/py"
protoc --python_out="$W/py" $PROTO || bail "protoc --python_out failed"

# The report's priority, exercise flag and notes as Python's protobuf reads
# them, as one line.
py_read() {
	PYTHONPATH=$W/py /usr/bin/python3 -c '
import sys
from raksha.v1 import raksha_pb2
e = raksha_pb2.Envelope.FromString(open(sys.argv[1], "rb").read())
r = e.report
print("%s exercise=%s notes=%s" % (raksha_pb2.Priority.Name(r.priority), r.exercise, r.notes))
' "$1"
}
# The same line from raksha-inspect's JSON (unset fields are left out).
inspect_read() {
	"$RAKSHA_INSPECT" --topic raksha/v1/mp/bhopal/grp/report "$1" | /usr/bin/python3 -c '
import json, sys
r = json.load(sys.stdin)["report"]
print("%s exercise=%s notes=%s" % (r.get("priority", "PRIORITY_UNSPECIFIED"), r.get("exercise", False),
                                   r.get("notes", "")))
'
}

# A critical drill, written by protoc from text (knowing nothing of libraksha).
now_ms=$(($(date +%s) * 1000))
report_fields='report_id: "\x01\x93\x6e\x2a\x7b\x40\x71\x23\x8a\xbc\xde\xad\xbe\xef\x00\x22"
  revision: 1
  status: CASE_STATUS_OPEN
  child { name: "Ravi" age_years: 7 }'
cat > "$W/drill.txt" <<TXT
message_id: "\x01\x93\x6e\x2a\x7b\x40\x71\x23\x8a\xbc\xde\xad\xbe\xef\x00\x21"
sent_at_ms: $now_ms
origin { state: "mp" region: "bhopal" agency: "grp" unit: "GRP Post Bhopal Jn" }
report {
  $report_fields
  priority: PRIORITY_CRITICAL
  exercise: true
  notes: "drill"
}
TXT
# A second copy of the report: the same case, but a real one, its priority
# not given ("treated as high"), other notes. proto3 writes no default
# values, so this copy has no priority and no exercise on the wire.
cat > "$W/real.txt" <<TXT
report {
  $report_fields
  notes: "real"
}
TXT
protoc $PROTO --encode=raksha.v1.Envelope < "$W/drill.txt" > "$W/drill.bin" || bail "protoc --encode failed"
protoc $PROTO --encode=raksha.v1.Envelope < "$W/real.txt" > "$W/real.bin" || bail "protoc --encode failed"
# Envelope fields may come in any order and protobuf concatenates: the
# drill's envelope, then field 10 (report) once more.
cat "$W/drill.bin" "$W/real.bin" > "$W/twice.bin"
second=$(wc -c < "$W/drill.bin" | tr -d ' ')

# --- a normal envelope: one meaning -------------------------------------------
is "$(py_read "$W/drill.bin")" "PRIORITY_CRITICAL exercise=True notes=drill" \
	"normal envelope: Python reads a critical drill"
is "$(inspect_read "$W/drill.bin")" "$(py_read "$W/drill.bin")" \
	"normal envelope: raksha-inspect reads the same as Python"

# --- the report twice: two meanings ----------------------------------------------
ok "report twice: valid protobuf (protoc --decode reads it)" \
	sh -c "protoc $PROTO --decode=raksha.v1.Envelope < '$W/twice.bin' > '$W/twice.txt'"
merged=$(py_read "$W/twice.bin")
# protobuf-c's rule for a oneof's member given twice: the last copy alone.
last=$(py_read "$W/real.bin")
is "$merged" "PRIORITY_CRITICAL exercise=True notes=real" \
	"report twice: Python merges the copies: a critical drill (with the second copy's notes)"
is "$last" "PRIORITY_UNSPECIFIED exercise=False notes=real" \
	"report twice: protobuf-c's last copy is a real case of unspecified priority"
ok "report twice: the two readings differ" test "$merged" != "$last"
contains "$(cat "$W/twice.txt")" "exercise: true" "report twice: protoc (C++) merges too: the drill flag stays"

out=$("$RAKSHA_INSPECT" --topic raksha/v1/mp/bhopal/grp/report "$W/twice.bin"); rc=$?
is "$rc" 65 "report twice: raksha-inspect refuses it (exit 65)"
is "$out" "REJECT invalid: report: appears twice (again at byte $second)" \
	"report twice: names the field and the byte of the second copy"
out=$("$RAKSHA_INSPECT" "$W/twice.bin")
contains "$out" "REJECT invalid: report: appears twice" "report twice: refused without a topic too"

# --- a field inside the report twice, and two members of the body ---------------------
# The drill's report, then its priority (field 4) once more: the report's
# length grows by the two bytes. Built with Python, byte by byte.
/usr/bin/python3 - "$W/drill.bin" "$W/priority.bin" "$W/both.bin" "$W/offsets" <<'PY'
import sys

def varint(n):
    out = b""
    while n >= 0x80:
        out += bytes([n & 0x7f | 0x80])
        n >>= 7
    return out + bytes([n])

def read_varint(b, i):
    n = shift = 0
    while True:
        n |= (b[i] & 0x7f) << shift
        shift += 7
        i += 1
        if not b[i - 1] & 0x80:
            return n, i

env = open(sys.argv[1], "rb").read()
# Split the envelope into its top-level fields (all length-delimited or varint).
i, fields = 0, []
while i < len(env):
    start = i
    key, i = read_varint(env, i)
    if key & 7 == 2:
        n, i = read_varint(env, i)
        fields.append((key >> 3, env[start:i], env[i:i + n]))
        i += n
    else:
        _, i = read_varint(env, i)
        fields.append((key >> 3, env[start:i], b""))
out, at = b"", 0
for number, head, value in fields:
    if number == 10:
        value += bytes([4 << 3, 1])                # priority: PRIORITY_ROUTINE
        head = varint(10 << 3 | 2) + varint(len(value))
        at = len(out) + len(head) + len(value) - 2
    out += head + value
open(sys.argv[2], "wb").write(out)
# The drill, then an ack (field 13) as well: two members of the oneof body.
ack = bytes([1 << 3 | 2, 16]) + bytes(range(1, 17)) + bytes([2 << 3, 1])
open(sys.argv[3], "wb").write(env + varint(13 << 3 | 2) + varint(len(ack)) + ack)
open(sys.argv[4], "w").write("%d %d\n" % (at, len(env)))
PY
read -r prio_at both_at < "$W/offsets"
is "$(py_read "$W/priority.bin")" "PRIORITY_ROUTINE exercise=True notes=drill" \
	"priority twice: Python takes the last value"
out=$("$RAKSHA_INSPECT" --topic raksha/v1/mp/bhopal/grp/report "$W/priority.bin")
is "$out" "REJECT invalid: report.priority: appears twice (again at byte $prio_at)" \
	"priority twice: raksha-inspect names report.priority and its byte"
both=$(PYTHONPATH=$W/py /usr/bin/python3 -c '
import sys
from raksha.v1 import raksha_pb2
print(raksha_pb2.Envelope.FromString(open(sys.argv[1], "rb").read()).WhichOneof("body"))' "$W/both.bin")
is "$both" "ack" "a report and an ack: Python keeps the last member of the oneof"
out=$("$RAKSHA_INSPECT" "$W/both.bin")
is "$out" "REJECT invalid: report and ack: two members of one oneof (the second at byte $both_at)" \
	"a report and an ack: raksha-inspect names both and the byte"
# --- An enum number the schema does not name ------------------------------------
# protoc writes priority -1 (a ten-byte varint) and Python keeps it as -1,
# which no name of Priority means: raksha-inspect refuses it, naming it.
sed 's/priority: PRIORITY_CRITICAL/priority: -1/' "$W/drill.txt" > "$W/minus.txt"
protoc $PROTO --encode=raksha.v1.Envelope < "$W/minus.txt" > "$W/minus.bin" || bail "protoc --encode failed"
is "$(PYTHONPATH=$W/py /usr/bin/python3 -c '
import sys
from raksha.v1 import raksha_pb2
print(raksha_pb2.Envelope.FromString(open(sys.argv[1], "rb").read()).report.priority)' "$W/minus.bin")" -1 \
	"priority -1: Python keeps the number"
out=$("$RAKSHA_INSPECT" --topic raksha/v1/mp/bhopal/grp/report "$W/minus.bin"); rc=$?
is "$rc:$out" "65:REJECT invalid: report.priority: -1 is not a value of raksha.v1.Priority" \
	"priority -1: raksha-inspect refuses it (exit 65), naming the field and the number"
done_testing
