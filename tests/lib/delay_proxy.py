#!/usr/bin/env python3
"""A TCP proxy on loopback that adds a round-trip time to every exchange with the
stand-in API, for `make bench`.

Each chunk is delivered half an RTT after it arrived, in each direction. A TCP
handshake cannot be delayed from user space (the kernel answers the SYN), so the
proxy models it: the client's first bytes on a new connection cannot reach the
server before the handshake's round trip is over and they have crossed, i.e. before
max(connected + RTT, sent) + RTT/2, where "connected" is when the proxy accepted the
connection (on loopback, when the client called connect()). A client that connects
and writes at once pays 1.5 RTT for its first bytes, as on a real link; one that
connects early and writes later pays less, as on a real link. So a cold HTTPS
request costs 3 RTT (TCP, TLS 1.3, request), a request on a warm connection 1 RTT.

Deliveries are timed by a thread per direction that sleeps until each chunk is due
(clock_nanosleep: a few tens of microseconds late), not by an event loop's timer,
whose millisecond rounding added about 1 ms to every delivery (8 ms to curl's three
requests on a new connection at 60 ms RTT).
Standard library only; listens on 127.0.0.1, forwards to 127.0.0.1 only.
"""
import argparse
import os
import queue
import socket
import sys
import threading
import time


def pump(src, dst, delay, first_not_before):
    """Copies src to dst, each chunk `delay` after it arrived; the first chunk not before
    `first_not_before` + `delay` (a monotonic time, or None)."""
    chunks = queue.Queue()

    def receive():
        first = True
        while True:
            try:
                data = src.recv(65536)
            except OSError:
                data = b""
            now = time.monotonic()
            if first and data and first_not_before is not None:
                now = max(now, first_not_before)
            first = first and not data
            chunks.put((now + delay, data))
            if not data:
                return

    reader = threading.Thread(target=receive, daemon=True)
    reader.start()
    while True:
        due, data = chunks.get()
        wait = due - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        try:
            if not data:
                dst.shutdown(socket.SHUT_WR)
                break
            dst.sendall(data)
        except OSError:  # the peer is gone: nothing left to deliver
            break
    reader.join()


def handle(client, upstream_port, rtt):
    accepted = time.monotonic()
    try:
        up = socket.create_connection(("127.0.0.1", upstream_port))
    except OSError:
        client.close()
        return
    for s in (client, up):
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    back = threading.Thread(target=pump, args=(up, client, rtt / 2, None), daemon=True)
    back.start()
    pump(client, up, rtt / 2, accepted + rtt)
    back.join()
    for s in (client, up):
        s.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--upstream-port", type=int, required=True)
    ap.add_argument("--rtt-ms", type=float, default=60.0)
    ap.add_argument("--port-file", required=True)
    a = ap.parse_args()
    rtt = a.rtt_ms / 1000.0

    server = socket.create_server(("127.0.0.1", 0), backlog=128)
    port = server.getsockname()[1]
    with open(a.port_file + ".tmp", "w") as f:
        f.write(f"{port}\n")
    os.rename(a.port_file + ".tmp", a.port_file)
    while True:
        client, _ = server.accept()
        threading.Thread(target=handle, args=(client, a.upstream_port, rtt), daemon=True).start()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(0)
