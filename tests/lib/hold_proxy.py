#!/usr/bin/env python3
"""A loopback TCP proxy to the stand-in API whose new connections, from the N-th on, are
held S seconds before any byte goes through: the client's TLS handshake waits, as over a
slow connect. Standard library only; listens on 127.0.0.1, forwards to 127.0.0.1 only.

    hold_proxy.py --upstream-port P --port-file F [--hold-from N] [--hold-s S]
"""
import argparse
import os
import socket
import threading
import time


def pipe(src, dst):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    for s in (src, dst):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--upstream-port", type=int, required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--hold-from", type=int, default=1, help="the first connection held (0-based)")
    ap.add_argument("--hold-s", type=float, default=5.0)
    a = ap.parse_args()
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    with open(a.port_file + ".tmp", "w") as f:
        f.write(f"{srv.getsockname()[1]}\n")
    os.rename(a.port_file + ".tmp", a.port_file)
    count = 0
    while True:
        client, _ = srv.accept()
        hold = a.hold_s if count >= a.hold_from else 0.0
        count += 1

        def serve(client=client, hold=hold):
            time.sleep(hold)
            try:
                up = socket.create_connection(("127.0.0.1", a.upstream_port))
            except OSError:
                client.close()
                return
            threading.Thread(target=pipe, args=(up, client), daemon=True).start()
            pipe(client, up)

        threading.Thread(target=serve, daemon=True).start()


if __name__ == "__main__":
    main()
