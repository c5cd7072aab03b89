# A systemd notify socket for the suites that run raksha-agent as a service
# (11, 27). Source after tap.sh.

# notify_listen SOCKET OUT SECONDS: in the background, binds a notify socket
# at SOCKET and appends each datagram to OUT as one line (its newlines made
# spaces), until STOPPING=1 or SECONDS pass; waits until the socket exists.
# Sets NOTIFY_LISTENER to its process id.
notify_listen() {
	/usr/bin/python3 - "$1" "$2" "$3" <<'PY' &
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(0.5)
with open(sys.argv[2], "a") as out:
    end = time.time() + float(sys.argv[3])
    while time.time() < end:
        try:
            msg = s.recv(4096).decode()
        except socket.timeout:
            continue
        out.write(msg.replace("\n", " ") + "\n")
        out.flush()
        if "STOPPING=1" in msg:
            break
PY
	NOTIFY_LISTENER=$!
	for _ in $(seq 50); do [ -S "$1" ] && return 0; sleep 0.1; done
	return 1
}
