#!/usr/bin/python3
"""Posts a report form as multipart/form-data in two writes, split 3 bytes
into the value of the child.name part, with a pause between: libmicrohttpd
holds back bytes that may begin the boundary, so it sees the part before
any of its bytes are sure: it then
calls the desk once with 0 bytes at offset 0 and again with the bytes at
offset 0. Prints the desk's answer (the form comes back, missing fields
named, child.name's value kept if it was read as one value); its age
is no number, so that nothing is sent.
Usage: desk-split-post.py URL COOKIE-JAR CSRF NAME"""
import socket
import sys
import time
import urllib.parse

url, jar, csrf, name = sys.argv[1:5]
cookie = ""
for line in open(jar):
    f = line.rstrip("\n").split("\t")
    if len(f) == 7 and not line.startswith("# "):
        cookie += "%s=%s; " % (f[5], f[6])
u = urllib.parse.urlsplit(url)
b = "----raksha-split"
head = ("--%s\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n"
        "--%s\r\nContent-Disposition: form-data; name=\"child.name\"\r\n\r\n" % (b, csrf, b)).encode()
# An age that is no number: the form comes back (nothing sent), its values kept.
tail = ("%s\r\n--%s\r\nContent-Disposition: form-data; name=\"child.age_years\"\r\n\r\nabc\r\n"
        "--%s--\r\n" % (name, b, b)).encode()
req = ("POST /report/new HTTP/1.1\r\nHost: %s\r\nCookie: %s\r\nConnection: close\r\n"
       "Content-Type: multipart/form-data; boundary=%s\r\nContent-Length: %d\r\n\r\n"
       % (u.netloc, cookie.rstrip("; "), b, len(head) + len(tail))).encode()
s = socket.create_connection((u.hostname, u.port), timeout=10)
s.sendall(req + head + tail[:3])  # 3 bytes could be a boundary's start: held back
time.sleep(0.5)
s.sendall(tail[3:])
out = b""
while True:
    d = s.recv(65536)
    if not d:
        break
    out += d
sys.stdout.write(out.decode("utf-8", "replace"))
