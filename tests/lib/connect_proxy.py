"""A small HTTP proxy on loopback, for tests: it tunnels CONNECT to loopback hosts,
answers every other request 502 without forwarding it, and records what it saw (the
request lines, and every byte a client sent through it) for the test to check.
Standard library only."""
import socket
import threading


class ConnectProxy:
    def __init__(self):
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.lock = threading.Lock()
        self.request_lines = []
        self.seen = bytearray()
        threading.Thread(target=self.serve, daemon=True).start()

    def clear(self):
        with self.lock:
            self.request_lines.clear()
            self.seen.clear()

    def saw(self, data):
        with self.lock:
            self.seen += data

    def serve(self):
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self.handle, args=(conn,), daemon=True).start()

    def handle(self, conn):
        with conn:
            head = b""
            while b"\r\n\r\n" not in head:
                data = conn.recv(65536)
                if not data:
                    self.saw(head)
                    return
                head += data
            self.saw(head)
            line = head.split(b"\r\n", 1)[0].decode("latin-1")
            with self.lock:
                self.request_lines.append(line)
            parts = line.split()
            if len(parts) == 3 and parts[0] == "CONNECT":
                host, _, port = parts[1].rpartition(":")
                if host in ("127.0.0.1", "localhost", "[::1]"):
                    return self.tunnel(conn, host.strip("[]"), int(port), head.split(b"\r\n\r\n", 1)[1])
            # Whatever else came (a plain request and its body) is recorded, never forwarded.
            conn.settimeout(1)
            try:
                while True:
                    data = conn.recv(65536)
                    if not data:
                        break
                    self.saw(data)
                    if len(data) < 65536:
                        break
            except OSError:
                pass
            conn.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")

    def tunnel(self, conn, host, port, early):
        try:
            upstream = socket.create_connection((host, port), timeout=10)
        except OSError:
            conn.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
            return
        conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        if early:
            upstream.sendall(early)

        def pump(src, dst, record):
            try:
                while True:
                    data = src.recv(65536)
                    if not data:
                        break
                    if record:
                        self.saw(data)
                    dst.sendall(data)
            except OSError:
                pass
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

        back = threading.Thread(target=pump, args=(upstream, conn, False), daemon=True)
        back.start()
        pump(conn, upstream, True)
        back.join(10)
        upstream.close()

    def stop(self):
        self.listener.close()
