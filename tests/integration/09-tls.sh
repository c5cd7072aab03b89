#!/bin/sh
# 09: the client over TLS: raksha-publish reaches a mosquitto TLS listener
# through a test CA given in its config, verifies the broker's name, and
# fails (exit 75) without the CA or against a certificate for another name.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
. "$RAKSHA_SOURCE_ROOT/scripts/dev-broker.sh"
W=$(mktemp -d "${TMPDIR:-/tmp}/raksha-09.XXXXXX")
BROKER_DIR=$W/broker
trap 'dev_broker_stop; rm -rf "$W"' EXIT
cd "$W" || bail "no work folder"

# A throwaway CA and a broker certificate for 127.0.0.1 and localhost.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Raksha test CA" \
	-keyout ca.key -out ca.crt 2>/dev/null || bail "openssl: CA"
openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout broker.key -out broker.csr 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' > san.ext
openssl x509 -req -in broker.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 \
	-extfile san.ext -out broker.crt 2>/dev/null || bail "openssl: broker certificate"
openssl req -newkey rsa:2048 -nodes -subj "/CN=elsewhere.example" -keyout other.key -out other.csr 2>/dev/null
printf 'subjectAltName=DNS:elsewhere.example\n' > other.ext
openssl x509 -req -in other.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 \
	-extfile other.ext -out other.crt 2>/dev/null || bail "openssl: other certificate"
chmod 644 ./*.key

# The embedded default, with its listener switched to TLS.
tls_conf() {  # CERT KEY
	sed -e "s|^listener @PORT@ 127.0.0.1|listener @PORT@ 127.0.0.1\ncafile $W/ca.crt\ncertfile $W/$1\nkeyfile $W/$2\ntls_version tlsv1.2|" \
		"$RAKSHA_SOURCE_ROOT/broker-config/dev/mosquitto.conf.in" > "$W/tls.conf.in"
}
tls_conf broker.crt broker.key
BROKER_TEMPLATE=$W/tls.conf.in
dev_broker_start "$BROKER_DIR" || bail "TLS broker did not start"

cat > pub.conf <<INI
[origin]
state = mp
region = bhopal
agency = grp
[broker]
url = mqtts://127.0.0.1:$BROKER_PORT
ca_file = $W/ca.crt
[publisher]
timeout = 5
INI
mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" --cafile ca.crt -q 1 -t 'raksha/v1/#' -C 1 -W 15 -F '%t' > got &
SUB=$!
sleep 0.5
"$RAKSHA_PUBLISH" --config pub.conf --outbox "$W/ob" report --name "सीमा" --age 9 > id 2> err; rc=$?
is "$rc" 0 "publish over TLS with the test CA: exit 0"
wait $SUB
is "$(cat got)" "raksha/v1/mp/bhopal/grp/report" "a TLS subscriber received it"

sed -i "s|^ca_file = .*|ca_file = /etc/ssl/certs/ca-certificates.crt|" pub.conf
"$RAKSHA_PUBLISH" --config pub.conf --outbox "$W/ob2" --timeout 3 report --name X > /dev/null 2> err; rc=$?
is "$rc" 75 "a broker certificate from an unknown CA is refused: exit 75"
"$RAKSHA_PUBLISH" --url "mqtt://127.0.0.1:$BROKER_PORT" --outbox "$W/ob3" --timeout 3 \
	--state mp --region bhopal --agency grp report --name X > /dev/null 2> err; rc=$?
is "$rc" 75 "plaintext MQTT to the TLS port fails: exit 75"

# The right CA but a certificate for another name: hostname verification refuses it.
dev_broker_stop
tls_conf other.crt other.key
dev_broker_start "$BROKER_DIR" || bail "TLS broker did not restart"
sed -i "s|^ca_file = .*|ca_file = $W/ca.crt|; s|^url = .*|url = mqtts://127.0.0.1:$BROKER_PORT|" pub.conf
"$RAKSHA_PUBLISH" --config pub.conf --outbox "$W/ob4" --timeout 3 report --name X > /dev/null 2> err; rc=$?
is "$rc" 75 "a certificate for another host name is refused: exit 75"
done_testing
