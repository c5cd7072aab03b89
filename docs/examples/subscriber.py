#!/usr/bin/python3
"""A Raksha subscriber: prints a line per message on FILTER as subscriber.c
does, exits after COUNT. Needs paho-mqtt (Debian 12's python3-paho-mqtt 1.6, or
2.x) and python3-protobuf:
    protoc --python_out=gen --proto_path=/usr/local/share/raksha/schemas raksha/v1/raksha.proto
    PYTHONPATH=gen /usr/bin/python3 subscriber.py mqtt://127.0.0.1:1883 'raksha/v1/mp/#' 10
It only parses payloads: libraksha and raksha-inspect also check each field
rule (docs/schema.md) and the topic. Use them where that matters."""
import sys
import threading
import uuid
from urllib.parse import urlsplit

import paho.mqtt.client as mqtt
from google.protobuf.message import DecodeError
from raksha.v1 import raksha_pb2


def describe(topic, env):
    kind = env.WhichOneof("body") or "none"
    if kind != "report":
        return f"{kind} {topic}"
    r, at = env.report, env.report.last_seen  # an unset last_seen reads as empty
    age = str(r.child.age_years) if r.child.WhichOneof("age") == "age_years" else "?"
    return (f'report {topic} name="{r.child.name}" age={age} station={at.station_code} '
            f"train={at.train_number} coach={at.coach} id={uuid.UUID(bytes=r.report_id)}")


def new_client(**options):
    """paho-mqtt 2.x takes the version of the callbacks' signatures first
    (VERSION2: on_connect and on_subscribe get reason codes and MQTT 5
    properties); 1.6, Debian 12's, has no such argument. The callbacks below
    take both signatures."""
    if hasattr(mqtt, "CallbackAPIVersion"):
        return mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, **options)
    return mqtt.Client(**options)


def main():
    if len(sys.argv) != 4 or not sys.argv[1].startswith("mqtt://") or not sys.argv[3].isdigit():
        sys.stderr.write("usage: subscriber.py mqtt://HOST:PORT FILTER COUNT\n")
        sys.exit(64)  # EX_USAGE
    url, filter_, count = urlsplit(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    sys.stdout.reconfigure(encoding="utf-8", line_buffering=True)  # names in any script
    seen, done = [0], threading.Event()

    # 1.6 passes rc as an int; 2.x a ReasonCode, which compares with ints,
    # and the CONNACK's properties.
    def on_connect(client, userdata, flags, rc, properties=None):
        if rc == 0:  # on every (re)connection, should the broker have lost our session
            client.subscribe(filter_, qos=1)

    def on_subscribe(client, userdata, mid, granted_qos, properties=None):
        print(f"subscribed to {filter_} on {sys.argv[1]}", file=sys.stderr, flush=True)

    def on_message(client, userdata, msg):
        try:
            print(describe(msg.topic, raksha_pb2.Envelope.FromString(msg.payload)))
        except DecodeError as e:
            print(f"REJECTED undecodable: {e}")
        except ValueError as e:  # a report_id that is not 16 bytes
            print(f"REJECTED invalid: {e}")
        seen[0] += 1
        if seen[0] == count:
            done.set()

    # A persistent session (clean_session=False) keeps our subscription and
    # queues our messages at the broker while we are away: keep the id stable.
    client = new_client(client_id="raksha-example-py", clean_session=False)
    client.on_connect, client.on_subscribe, client.on_message = on_connect, on_subscribe, on_message
    client.connect_async(url.hostname, url.port or 1883)
    client.loop_start()  # connects, and reconnects, on its own thread
    done.wait()
    # paho acknowledges a message after on_message returns, so disconnecting
    # there would send DISCONNECT before the last PUBACK. Stopping the thread
    # first leaves that PUBACK queued, and disconnect() sends both in order.
    client.loop_stop()
    client.disconnect()


main()
