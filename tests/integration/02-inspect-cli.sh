#!/bin/sh
# 02: raksha-inspect, the command-line face of decode-with-validation: each
# bad input is refused with its cause and the field or byte, exit codes are
# sysexits, and misuse prints usage.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
W=$(mktemp -d "${TMPDIR:-/tmp}/raksha-02.XXXXXX")
trap 'rm -rf "$W"' EXIT
I=$RAKSHA_INSPECT

topic=$("$MAKE_SAMPLE" report "$W/report.bin")
out=$("$I" --topic "$topic" "$W/report.bin"); rc=$?
is "$rc" 0 "valid report: exit 0"
contains "$out" '"station_code":"BPL"' "valid report: printed as JSON"
out=$("$I" --pretty < "$W/report.bin")
contains "$out" '
  "message_id": "01936e2a-7b40-7123-8abc-010203040506",' "--pretty indents; reads stdin"
out=$("$I" --photo-sizes "$W/report.bin")
contains "$out" '"data":{"bytes":64}' "--photo-sizes shows photo sizes"

out=$("$I" --topic raksha/v1/mp/bhopal/grp/sighting "$W/report.bin"); rc=$?
is "$rc" 65 "report on a sighting topic: exit 65 (EX_DATAERR)"
contains "$out" "REJECT kind-mismatch: body: report body on a sighting topic" "  says kind-mismatch"
out=$("$I" --topic raksha/v1/mp/bhopal/rpf/report "$W/report.bin")
contains "$out" "REJECT origin-mismatch: origin.agency" "report on another agency's topic: origin-mismatch"
out=$("$I" --topic raksha/v1/mp/bhopal/GRP/report "$W/report.bin")
contains "$out" "REJECT bad-topic: topic 'raksha/v1/mp/bhopal/GRP/report': byte 20 (0x47) in agency" "bad topic: names the byte"
head -c 100 "$W/report.bin" > "$W/short.bin"
out=$("$I" "$W/short.bin"); rc=$?
is "$rc" 65 "truncated: exit 65"
contains "$out" "REJECT undecodable: envelope: not a raksha.v1.Envelope: byte" "truncated: undecodable, names the byte"
out=$("$I" --max-size 100 "$W/report.bin")
contains "$out" "REJECT oversize: envelope: " "over --max-size: oversize"

# Invalid UTF-8 in the child's name: patch the first byte of "सीमा" (0xe0) to 0xff.
perl -pe 's/\xe0\xa4\xb8\xe0\xa5\x80/\xff\xa4\xb8\xe0\xa5\x80/' "$W/report.bin" > "$W/utf8.bin"
out=$("$I" "$W/utf8.bin")
contains "$out" "REJECT utf8: report.child.name: invalid UTF-8 at byte 0 (0xff)" "invalid UTF-8: names field and byte"

# Age 212: the varint of field 3 in Child (0x18) for 9 becomes 212 (0xd4 0x01): re-encode via protoc.
PROTO="--proto_path=$RAKSHA_SOURCE_ROOT/schemas raksha/v1/raksha.proto"
protoc $PROTO --decode=raksha.v1.Envelope < "$W/report.bin" | sed 's/age_years: 9/age_years: 212/' |
	protoc $PROTO --encode=raksha.v1.Envelope > "$W/age.bin"
out=$("$I" "$W/age.bin")
contains "$out" "REJECT invalid: report.child.age_years: 212 out of range 0..25" "age 212: out of range"

# --lines: one verdict per line, the stream goes on past bad lines.
printf 'raksha/v1/mp/bhopal/grp/report zz\nraksha/v1/mp/bhopal/grp/report %s\n' \
	"$(od -An -v -tx1 "$W/report.bin" | tr -d ' \n')" > "$W/lines"
out=$("$I" --lines < "$W/lines"); rc=$?
is "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 2 "--lines: one line of output per input line"
contains "$out" "raksha/v1/mp/bhopal/grp/report REJECT undecodable: payload is not hex" "--lines: bad line rejected"
contains "$out" 'raksha/v1/mp/bhopal/grp/report {"message_id"' "--lines: good line after it decoded"
is "$rc" 65 "--lines: exit 65 when any line was rejected"

"$I" "$W/missing.bin" 2>"$W/err"; rc=$?
is "$rc" 66 "missing file: exit 66 (EX_NOINPUT)"
contains "$(cat "$W/err")" "missing.bin: No such file" "missing file: named"
"$I" --bogus 2>"$W/err"; rc=$?
is "$rc" 64 "unknown option: exit 64 (EX_USAGE)"
contains "$(cat "$W/err")" "usage: raksha-inspect" "unknown option: usage printed"
"$I" --max-size ten "$W/report.bin" 2>"$W/err"; rc=$?
is "$rc" 64 "bad --max-size: exit 64"
contains "$(cat "$W/err")" "--max-size: 'ten' is not a positive number" "bad --max-size: says why"
out=$("$I" --version)
contains "$out" "raksha-inspect 0." "--version"
done_testing
