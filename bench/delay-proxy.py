#!/usr/bin/python3
"""delay-proxy.py UPSTREAM-PORT DELAY-MS: a TCP proxy on a free 127.0.0.1
port to 127.0.0.1:UPSTREAM-PORT that holds every chunk it reads, either
way, for DELAY-MS before it writes it on (in order), so that a connection
through it has a round trip of twice DELAY-MS: the delay of a poor link,
for bench/slowlink.sh (the bandwidth is the tc qdisc's, on the proxy's
port). Prints its port on the first line of stdout; SIGTERM ends it at
once (Python's default: no handler, so that open connections cannot keep
it waiting)."""
import asyncio
import socket
import sys


async def pump(reader, writer, delay):
    """Copies reader to writer, each chunk DELAY seconds after it came."""
    loop = asyncio.get_running_loop()
    queue = asyncio.Queue()

    async def write_out():
        while True:
            due, data = await queue.get()
            wait = due - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            if not data:
                break
            writer.write(data)
            await writer.drain()
        if writer.can_write_eof():
            writer.write_eof()

    out = asyncio.ensure_future(write_out())
    try:
        while True:
            data = await reader.read(16384)
            queue.put_nowait((loop.time() + delay, data))
            if not data:
                break
        await out
    except (ConnectionError, OSError):
        out.cancel()
    finally:
        writer.close()


async def main():
    upstream, delay = int(sys.argv[1]), int(sys.argv[2]) / 1000.0

    async def serve(creader, cwriter):
        try:
            ureader, uwriter = await asyncio.open_connection("127.0.0.1", upstream)
        except OSError:
            cwriter.close()
            return
        for w in (cwriter, uwriter):
            w.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        await asyncio.gather(pump(creader, uwriter, delay), pump(ureader, cwriter, delay),
                             return_exceptions=True)

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
