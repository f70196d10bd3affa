"""A loopback API whose writes (customer-update-*) lose their reply: it answers every
read at once on a keep-alive connection, and reads a write whole, counts it, then
(by mode) resets the connection without a byte of reply, answers 404, or says nothing
until the client gives up. Standard library only; runs in the test's process."""
import http.server
import json
import socket
import ssl
import struct
import threading
import time

OK = [{"_verify": True, "customer_box_id": 811111,
       "error": {"error_description": "", "error_location": "", "system_error": False}}]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: the write goes out on the read's connection

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        write = "customer-update-" in self.path
        srv = self.server
        with srv.lock:
            srv.requests.append({"path": self.path, "write": write, "body": json.loads(body),
                                 "connection": self.client_address[1]})
        if write and srv.mode == "reset":
            # SO_LINGER 0: close sends RST, and TLS no close_notify: the reply is lost.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return
        if write and srv.mode == "stall":
            time.sleep(srv.stall_s)
            self.close_connection = True
            return
        status = 404 if write and srv.mode == "404" else 200
        data = json.dumps(OK).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def get_request(self):
        sock, addr = super().get_request()
        if self.tls is not None:
            sock = self.tls.wrap_socket(sock, server_side=True)
        return sock, addr

    def handle_error(self, request, client_address):
        pass  # the resets are on purpose


class DropApi:
    """The server on a free loopback port, in a thread; stop() ends it."""

    def __init__(self, mode, cert=None, stall_s=3):
        self.srv = Server(("127.0.0.1", 0), Handler)
        self.srv.mode = mode
        self.srv.stall_s = stall_s
        self.srv.lock = threading.Lock()
        self.srv.requests = []
        self.srv.tls = None
        if cert is not None:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(*cert)
            self.srv.tls = ctx
        self.thread = threading.Thread(target=self.srv.serve_forever, daemon=True)
        self.thread.start()
        scheme = "https" if cert is not None else "http"
        self.base_url = f"{scheme}://127.0.0.1:{self.srv.server_address[1]}/wcf-services"

    def requests(self):
        with self.srv.lock:
            return list(self.srv.requests)

    def writes(self):
        return [r for r in self.requests() if r["write"]]

    def stop(self):
        self.srv.shutdown()
        self.srv.server_close()
