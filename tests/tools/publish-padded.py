#!/usr/bin/python3
"""publish-padded.py PORT N STYLE SIZE [TOPIC]: publishes N valid reports at
QoS 1 to the broker on 127.0.0.1:PORT, each padded to about SIZE bytes with
fields that raksha.v1 does not know (legal protobuf: a newer schema's
fields, for a reader of this one). STYLE says how:
  none   no padding (a normal report of about 200 bytes)
  one    one unknown field of SIZE bytes (Envelope field 1000, bytes)
  many   unknown two-byte varint fields (Envelope field 4 = 0), SIZE/2 of them
  deep   as many, inside the report (Report field 1000 = 0, three bytes each)
Written by Python's protobuf from schemas/ (protoc --python_out into
$PADDED_PY, which must exist), sent by python3-paho-mqtt: nothing of
libraksha. Each report is a new case (a new message_id and report_id), sent
now. Prints "sent N bytes B" (B: one payload's size) and exits 0 once the
broker has acknowledged all N."""
import os
import sys
import time
import uuid

sys.path.insert(0, os.environ["PADDED_PY"])
from raksha.v1 import raksha_pb2  # noqa: E402
import paho.mqtt.client as mqtt  # noqa: E402


def varint(v):
    out = bytearray()
    while True:
        b = v & 0x7F
        v >>= 7
        if v:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def unknown_len(num, data):
    return varint(num << 3 | 2) + varint(len(data)) + data


def report(i, style, size):
    env = raksha_pb2.Envelope()
    env.message_id = uuid.uuid4().bytes
    env.sent_at_ms = int(time.time() * 1000)
    env.origin.state = "mp"
    env.origin.region = "bhopal"
    env.origin.agency = "grp"
    env.origin.unit = "GRP Post Bhopal Jn"
    r = env.report
    r.report_id = uuid.uuid4().bytes
    r.revision = 1
    r.status = raksha_pb2.CASE_STATUS_OPEN
    r.child.name = "Padded %d" % i
    r.child.age_years = 7
    head = env.SerializeToString()
    if style == "none":
        return head
    if style == "one":
        return head + unknown_len(1000, b"\xaa" * max(0, size - len(head) - 8))
    if style == "many":
        return head + b"\x20\x00" * max(0, (size - len(head)) // 2)
    if style == "deep":
        body = r.SerializeToString() + b"\xc0\x3e\x00" * max(0, (size - len(head)) // 3)
        env.ClearField("report")
        return env.SerializeToString() + unknown_len(10, body)
    sys.exit("publish-padded: style %r is not none, one, many or deep" % style)


def main():
    if len(sys.argv) not in (5, 6):
        sys.exit(__doc__)
    port, n, style, size = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    topic = sys.argv[5] if len(sys.argv) == 6 else "raksha/v1/mp/bhopal/grp/report"
    c = mqtt.Client(client_id="publish-padded-%d" % os.getpid(), protocol=mqtt.MQTTv311)
    c.max_inflight_messages_set(4)
    c.connect("127.0.0.1", port, keepalive=60)
    c.loop_start()
    infos = []
    payload = b""
    for i in range(n):
        payload = report(i, style, size)
        infos.append(c.publish(topic, payload, qos=1))
    deadline = time.monotonic() + 60 + n
    for info in infos:
        while not info.is_published():
            if time.monotonic() > deadline:
                sys.exit("publish-padded: not all acknowledged in time")
            time.sleep(0.01)
    c.disconnect()
    c.loop_stop()
    print("sent %d bytes %d" % (n, len(payload)))


main()
