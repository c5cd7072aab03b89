#!/bin/sh
# make-seeds.sh BUILD_DIR: (re)writes the seed corpora tests/fuzz/corpus/*/
# from the project's own examples: sample envelopes of every kind
# (tests/tools/make-sample, tests/lib/sample.c), their bodies as JSON
# (tools/inspect/raksha-inspect), the example configs of broker-config/dev/ and the
# docs' ```ini blocks, docs/publishing.md's --from JSON, remote replay
# requests from tests/unit/test-history.c and docs/replay.md.
# BUILD_DIR must have make-sample, make-photo and raksha-inspect built
# (meson compile -C BUILD_DIR make-sample make-photo raksha-inspect).
set -eu
build=$(cd "$1" && pwd)
cd "$(dirname "$0")"
root=../..
out=corpus
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -rf "$out"
mkdir -p "$out/fuzz-envelope" "$out/fuzz-topic" "$out/fuzz-config" "$out/fuzz-publish-json" \
	"$out/fuzz-replay-request"

# fuzz-envelope: a topic byte (0..5: the kind's topic, 6: none), then the bytes.
i=0
for kind in report sighting update ack escalation agent; do
	"$build/tests/tools/make-sample" "$kind" "$tmp/$kind.bin" > /dev/null
	{ printf "\\$(printf %03o $i)"; cat "$tmp/$kind.bin"; } > "$out/fuzz-envelope/$kind"
	{ printf '\006'; cat "$tmp/$kind.bin"; } > "$out/fuzz-envelope/$kind-no-topic"
	i=$((i + 1))
done
# a report on a sighting topic, and nothing at all
{ printf '\001'; cat "$tmp/report.bin"; } > "$out/fuzz-envelope/report-on-sighting-topic"
printf '\000' > "$out/fuzz-envelope/empty"
# refused for a field given twice: the report's envelope twice over (every
# field twice), and the report with the ack's body (field 13) after it (two
# members of the oneof body)
{ printf '\000'; cat "$tmp/report.bin" "$tmp/report.bin"; } > "$out/fuzz-envelope/report-twice"
{ printf '\000'; cat "$tmp/report.bin"
  /usr/bin/python3 -c '
import sys
b = open(sys.argv[1], "rb").read()
i = 0
def varint():
    global i
    n = shift = 0
    while True:
        byte = b[i]
        i += 1
        n |= (byte & 0x7f) << shift
        shift += 7
        if not byte & 0x80:
            return n
while i < len(b):
    start = i
    key = varint()
    n = varint() if key & 7 == 2 else 0
    if key & 7 == 0:
        varint()
    i += n
    if key >> 3 == 13:
        sys.stdout.buffer.write(b[start:i])' "$tmp/ack.bin"
} > "$out/fuzz-envelope/report-and-ack"

# fuzz-topic: TOPIC\nFILTER
t=$out/fuzz-topic
printf 'raksha/v1/mp/bhopal/grp/report\nraksha/v1/+/+/+/report' > "$t/report"
printf 'raksha/v1/mp/bhopal/grp/sighting\nraksha/v1/mp/#' > "$t/sighting"
printf 'raksha/v1/up/lucknow/rpf/update\nraksha/v1/up/+/rpf/update' > "$t/update"
printf 'raksha/v1/mp/bhopal/grp/ack\n#' > "$t/ack"
printf 'raksha/v1/mp/bhopal/grp/escalation\nraksha/v1/mp/bhopal/grp/escalation' > "$t/escalation"
printf 'raksha/v1/mp/bhopal/grp/agent/mp-bhopal-grp-1\nraksha/v1/+/+/+/agent/+' > "$t/agent"
printf '$SYS/broker/uptime\n#' > "$t/sys"
printf 'a//b/\na/+/+/#' > "$t/empty-levels"
printf 'raksha/v1/MP/bhopal/grp/report\nraksha/v1/mp' > "$t/upper-case"
printf 'raksha/v1/mp/bhopal/grp/report/extra\nraksha/v1/mp/bhopal/grp/report/#' > "$t/too-deep"
printf 'raksha/replay/archive-1/request/01936f4e\nraksha/replay/+/request/#' > "$t/replay"

# fuzz-config: the dev agent, every ```ini block of the docs
sed -e 's|@STATE_DIR@|/var/lib/raksha|g' -e 's|@PORT@|1883|g' \
	"$root/broker-config/dev/agent.conf.in" > "$out/fuzz-config/dev-agent.conf"
for doc in agent deployment publishing replay; do
	awk -v out="$out/fuzz-config/$doc-" '
		/^```ini/ { n++; file = out n ".conf"; inblock = 1; next }
		/^```/ { inblock = 0; next }
		inblock { print > file }' "$root/docs/$doc.md"
done
printf '[agent]\nid = x\n[escalate.a]\nmatch = raksha/v1/+/+/+/report\n' > "$out/fuzz-config/rule-incomplete.conf"

# fuzz-publish-json: a command byte (0 report, 1 sighting, 2 update, 3 ack),
# then the --from document: the sample bodies, and docs/publishing.md's.
i=0
for kind in report sighting update ack; do
	"$build/tools/inspect/raksha-inspect" "$tmp/$kind.bin" > "$tmp/$kind.json"
	{ printf "\\$(printf %03o $i)"
	  /usr/bin/python3 -c 'import json,sys; e=json.load(open(sys.argv[1])); print(json.dumps(e[sys.argv[2]], ensure_ascii=False, indent=1))' \
		"$tmp/$kind.json" "$kind"
	} > "$out/fuzz-publish-json/$kind"
	i=$((i + 1))
done
{ printf '\000'; awk '/^```json/ { inblock = 1; next } /^```/ { inblock = 0 } inblock' "$root/docs/publishing.md"; } \
	> "$out/fuzz-publish-json/report-docs"
printf '\002{"report_id":"01936f4e-7c2a-7b3d-8e4f-5a6b7c8d9e0f","status":"UPDATE_STATUS_FOUND"}' \
	> "$out/fuzz-publish-json/update-minimal"
printf '\000{"child":{"name":"x","age_years":9,"age_range":{"min_years":8,"max_years":10}}}' \
	> "$out/fuzz-publish-json/report-both-ages"
printf '\003{"report_id":"01936f4e-7c2a-7b3d-8e4f-5a6b7c8d9e0f","state":3,"notes":"\\u0915"}' \
	> "$out/fuzz-publish-json/ack-minimal"

# fuzz-replay-request
r=$out/fuzz-replay-request
printf '{"topics":["raksha/v1/mp/#"],"kinds":["ack","agent"],"since_ms":5,"until_ms":9,"report":"01a225b9-c94d-702c-9bc8-24104240630c","limit":3}' > "$r/test-history"
printf '{"topics":["raksha/v1/mp/#"],"kinds":["report","ack"],"since_ms":1795926900000,\n "until_ms":1795930500000,"report":"01a225b9-c94d-702c-9bc8-24104240630c","rejected":false,"limit":100}' > "$r/docs-replay"
printf '{}' > "$r/empty"
printf '{"rejected":true,"topics":["raksha/v1/+/+/+/report","#"]}' > "$r/rejected"
printf '{"topics":["a/#/b"]}' > "$r/bad-filter"
printf '{"rejected":true,"kinds":["ack"]}' > "$r/rejected-with-kinds"
printf '{"limit":1,"limit":2}' > "$r/duplicate"
# fuzz-photo: small camera JPEGs with EXIF (tests/tools/make-photo), a PNG
# with alpha.
p=$out/fuzz-photo
mkdir -p "$p"
"$build/tests/tools/make-photo" 64 48 6 0 "$p/exif-6.jpg"
"$build/tests/tools/make-photo" 40 30 3 10 "$p/exif-3.jpg"
/usr/bin/python3 - "$p/alpha.png" <<'PY'
import struct, sys, zlib
def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
rows = b"".join(b"\0" + bytes([255, 0, 0, 128]) * 16 for _ in range(8))
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 16, 8, 8, 6, 0, 0, 0))
                              + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
PY

echo "seeds written to $(pwd)/$out"
