#!/bin/sh
# A throwaway CA and certificates, with the openssl CLI, for the tests and a
# first deployment's trial. Real deployments bring their own CA (see
# docs/security.md): these keys are unencrypted and live next to each other.
#
#   make-test-ca.sh DIR NAME [SAN ...]
#
# Makes DIR/ca.key and DIR/ca.crt once, then DIR/NAME.key and DIR/NAME.crt
# signed by it for the subject alternative names given (default:
# DNS:localhost IP:127.0.0.1), valid 30 days. Prints the certificate's path.
set -eu
[ $# -ge 2 ] || { echo "usage: make-test-ca.sh DIR NAME [SAN ...]" >&2; exit 64; }
dir=$1 name=$2
shift 2
[ $# -gt 0 ] || set -- DNS:localhost IP:127.0.0.1
mkdir -p "$dir"
umask 077
if [ ! -s "$dir/ca.crt" ]; then
	openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=Raksha test CA" \
		-addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
		-keyout "$dir/ca.key" -out "$dir/ca.crt" 2>/dev/null
fi
san=$(printf '%s,' "$@")
printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth,clientAuth\n' \
	"${san%,}" > "$dir/$name.ext"
openssl req -newkey rsa:2048 -nodes -subj "/CN=$name" -keyout "$dir/$name.key" \
	-out "$dir/$name.csr" 2>/dev/null
openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial \
	-days 30 -extfile "$dir/$name.ext" -out "$dir/$name.crt" 2>/dev/null
rm -f "$dir/$name.csr" "$dir/$name.ext"
chmod 0644 "$dir/ca.crt" "$dir/$name.crt"
echo "$dir/$name.crt"
