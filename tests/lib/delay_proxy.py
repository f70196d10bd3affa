#!/usr/bin/env python3
"""A TCP proxy on loopback that adds a round-trip time to every exchange with the
stand-in API, for `make bench`.

Each chunk is delivered half an RTT after it arrived, in each direction. A TCP
handshake cannot be delayed from user space (the kernel answers the SYN), so the
first bytes the client sends on a new connection are held one more RTT: the
client could not have sent them before the handshake's round trip was over, so
every exchange costs what it would over a real link: a cold HTTPS request 3 RTT
(TCP, TLS 1.3, request), a request on a warm connection 1 RTT.
Standard library only; listens on 127.0.0.1, forwards to 127.0.0.1 only.
"""
import argparse
import asyncio
import os
import sys


async def pump(reader, writer, delay, first_extra):
    loop = asyncio.get_running_loop()
    queue = asyncio.Queue()

    async def receive():
        first = True
        while True:
            try:
                data = await reader.read(65536)
            except ConnectionError:
                data = b""
            await queue.put((loop.time() + delay + (first_extra if first and data else 0), data))
            first = first and not data
            if not data:
                return

    async def send():
        while True:
            due, data = await queue.get()
            await asyncio.sleep(max(0.0, due - loop.time()))
            try:
                if not data:
                    if writer.can_write_eof():
                        writer.write_eof()
                    return
                writer.write(data)
                await writer.drain()
            except OSError:  # the peer is gone: nothing left to deliver
                return

    await asyncio.gather(receive(), send())


async def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--upstream-port", type=int, required=True)
    ap.add_argument("--rtt-ms", type=float, default=60.0)
    ap.add_argument("--port-file", required=True)
    a = ap.parse_args()
    rtt = a.rtt_ms / 1000.0

    async def handle(client_r, client_w):
        try:
            up_r, up_w = await asyncio.open_connection("127.0.0.1", a.upstream_port)
        except OSError:
            client_w.close()
            return
        await asyncio.gather(pump(client_r, up_w, rtt / 2, rtt), pump(up_r, client_w, rtt / 2, 0.0))
        for w in (client_w, up_w):
            w.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    with open(a.port_file + ".tmp", "w") as f:
        f.write(f"{port}\n")
    os.rename(a.port_file + ".tmp", a.port_file)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
