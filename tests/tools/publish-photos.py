"""publish-photos.py PORT PHOTO...: the report `raksha-publish --dry-run`
printed (its JSON on stdin) published with PHOTO... as its child's photos,
byte for byte, by other tools: protoc --encode and mosquitto_pub on
127.0.0.1:PORT, on the report's own topic. Prints the report's id.

raksha-publish sends only photos it has made itself (upright, at most
1024 px, no metadata: raksha_photo_normalise()). The receivers' suites need
photos it would never send: stand-in bytes, a header claiming 50,000 x
50,000 pixels, 900 KB of noise, a PNG as it was. Any unit on the bus may
send those, so they come here as another program would send them."""
import base64
import hashlib
import json
import os
import re
import subprocess
import sys

# Fields of type bytes as raksha-inspect and --dry-run write them: ids as
# UUIDs, the rest base64.
UUIDS = {"message_id", "report_id", "sighting_id", "found_id"}
BASE64 = {"data", "sha256", "signature"}
ENUM = re.compile(r"^(CASE_STATUS|PRIORITY|GENDER|PERSON_ROLE|UPDATE_STATUS|ACK_STATE)_[A-Z_]+$")


def quoted(raw):
    """Bytes in protobuf text format: every byte an octal escape."""
    return '"' + "".join("\\%03o" % b for b in raw) + '"'


def scalar(key, value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if key in UUIDS:
        return quoted(bytes.fromhex(value.replace("-", "")))
    if key in BASE64:
        return quoted(base64.b64decode(value))
    if ENUM.match(value):
        return value
    return quoted(value.encode())


def text(obj, out):
    """@obj (a JSON object of the Envelope) as protobuf text format."""
    for key, value in obj.items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict):
                out.append("%s {" % key)
                text(item, out)
                out.append("}")
            else:
                out.append("%s: %s" % (key, scalar(key, item)))


def photo(path):
    raw = open(path, "rb").read()
    kind = "image/png" if raw.startswith(b"\x89PNG") else "image/jpeg"
    return {"media_type": kind, "data": base64.b64encode(raw).decode(),
            "sha256": base64.b64encode(hashlib.sha256(raw).digest()).decode()}


def main():
    port, paths = sys.argv[1], sys.argv[2:]
    env = json.load(sys.stdin)
    env["report"]["child"]["photos"] = [photo(p) for p in paths]
    lines = []
    text(env, lines)
    root = os.environ["RAKSHA_SOURCE_ROOT"] + "/schemas"
    wire = subprocess.run(["protoc", "--proto_path=" + root, "raksha/v1/raksha.proto",
                           "--encode=raksha.v1.Envelope"], input="\n".join(lines).encode(),
                          stdout=subprocess.PIPE, check=True, timeout=30).stdout
    o = env["origin"]
    topic = "raksha/v1/%s/%s/%s/report" % (o["state"], o["region"], o["agency"])
    subprocess.run(["mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-q", "1", "-t", topic, "-s"],
                   input=wire, check=True, timeout=30)
    print(env["report"]["report_id"])


main()
