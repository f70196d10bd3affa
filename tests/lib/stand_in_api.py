#!/usr/bin/env python3
"""A stand-in for the SkyPostal box API, for tests and `make demo`.

Serves POST {prefix}/service-customer.svc/customer/customer-login (and the same
login at {prefix}/v2/customer-login, for the test that login_path is used), the account
calls and the changes (stand_in_account.py, stateful per process) over
HTTPS (or plain HTTP with --plain) on loopback. The account's email picks the behaviour;
every account's password is pass12345 (any other password is rejected). Each
request is appended to --request-log as one JSON line, with the password
replaced by its length and the app key by a marker, so tests can assert what was
sent. Standard library only.
"""
import argparse
import http.server
import json
import os
import socket
import ssl
import struct
import sys
import threading
import time

import stand_in_account

LOGIN_PATH = "/wcf-services/service-customer.svc/customer/customer-login"
# A base URL of {prefix}/slow-warm-up serves the same API, but its warm-up HEAD takes
# SLOW_WARM_UP_S: a client's login then waits behind it, on demand.
SLOW_WARM_UP = "/slow-warm-up"
SLOW_WARM_UP_S = 3
ALT_LOGIN_PATH = "/wcf-services/v2/customer-login"
PASSWORD = "pass12345"
DOC_KEY = "YpbCNpzqxYqVWv+tzg4e4Ex6ALiT+DfKSYA3NY2dZcw="
MAX_BOX_ID = 2 ** 53 - 1
# Secrets that replies carry beyond the first customer_key; the --log tests look for them.
LOG_SECRETS = ["SecondCustomerKey-2", "NestedCustomerKey-3", "NestedAppKey-4", "NestedPassword-5",
               "ArrayCustomerKey-6"]


def record(**over):
    """The documented example reply's record, with some fields changed."""
    rec = {
        "_verify": True,
        "activation_date": "/Date(1550761010000-0500)/",
        "customer_box_id": 811111,
        "customer_first_name": "John",
        "customer_key": DOC_KEY,
        "customer_last_name": "Doe",
        "enrolment_date": "/Date(1550761008000-0500)/",
        "error": {"error_description": "", "error_location": "", "system_error": False},
        "is_active": True,
        "is_business": False,
        "is_enable": True,
        "is_vip": False,
    }
    for k, v in over.items():
        if v is None:
            rec.pop(k, None)
        else:
            rec[k] = v
    return rec


def json_reply(obj):
    return 200, "application/json; charset=utf-8", json.dumps(obj).encode()


# The documented reply, byte for byte as the API docs print it.
DOC_REPLY = b"""[
    {
        "_verify": true,
        "activation_date": "\\/Date(1550761010000-0500)\\/",
        "customer_box_id": 811111,
        "customer_first_name": "John",
        "customer_key": "YpbCNpzqxYqVWv+tzg4e4Ex6ALiT+DfKSYA3NY2dZcw=",
        "customer_last_name": "Doe",
        "enrolment_date": "\\/Date(1550761008000-0500)\\/",
        "error": {
            "error_description": "",
            "error_location": "",
            "system_error": false
        },
        "is_active": true,
        "is_business": false,
        "is_enable": true,
        "is_vip": false
    }
]"""

WRONG_PASSWORD = [record(_verify=False, customer_key="", customer_box_id=0,
                         customer_first_name="", customer_last_name="",
                         error={"error_description": "The password is incorrect",
                                "error_location": "customer-login", "system_error": False})]

# email -> (description, reply maker). A maker returns (status, content type, body)
# or a string naming a connection-level behaviour.
ACCOUNTS = {
    "johndoe@email.com": ("the documented example", lambda: (200, "application/json", DOC_REPLY)),
    "disabled@example.com": ("a disabled, inactive account",
                             lambda: json_reply([record(customer_first_name="Dora", customer_last_name="Disabled",
                                                        customer_box_id=811200, is_enable=False, is_active=False)])),
    "inactive@example.com": ("an inactive VIP business account",
                             lambda: json_reply([record(customer_first_name="Ivan", customer_last_name="Inactive",
                                                        customer_box_id=811201, is_active=0, is_vip=1, is_business=1)])),
    "noflags@example.com": ("flags missing or oddly typed",
                            lambda: json_reply([record(customer_first_name="Nora", customer_last_name="Noflags",
                                                       customer_box_id=811202, is_active=None, is_vip="true",
                                                       is_business=None, is_enable=2, activation_date=None,
                                                       enrolment_date="garbage")])),
    "stringbox@example.com": ("box ID as a string", lambda: json_reply([record(customer_box_id="811203")])),
    "utf8@example.com": ("a UTF-8 name", lambda: json_reply([record(customer_first_name="José Ñúñez",
                                                                   customer_last_name="山田", customer_box_id=811204)])),
    "escape@example.com": ("a name carrying terminal escape sequences",
                           lambda: json_reply([record(customer_first_name="Eve\x1b[2J\x1b[H\x1b]0;pwned\x07",
                                                      customer_last_name="Escape\x1b]52;c;cHduZWQ=\x07\r\nX\x7f\u009b31m",
                                                      customer_box_id=811205)])),
    "hostile@example.com": ("a 10 000-character name with invalid UTF-8, NUL, C1 and bidi controls",
                            lambda: (200, "application/json",
                                     b'[{"_verify":true,"customer_key":"key","customer_box_id":811207,'
                                     b'"customer_first_name":"Mal\xff\xfeory\\u202e\\u2066\\u200fRTL'
                                     b'\\u0000hidden","customer_last_name":"' + b"L" * 10000 +
                                     b'\xc2\x9b2J\\u009d0;t\\u0007end",'
                                     b'"enrolment_date":"\\/Date(1550761008000-0500)\\/","is_active":true}]')),
    "bigid@example.com": ("the largest box ID (2^53 - 1), as a number",
                          lambda: json_reply([record(customer_box_id=MAX_BOX_ID)])),
    "bigidstr@example.com": ("the largest box ID (2^53 - 1), as a string",
                             lambda: json_reply([record(customer_box_id=str(MAX_BOX_ID))])),
    "dupkey@example.com": ("a second customer_key member in the record",
                           lambda: (200, "application/json",
                                    json.dumps([record()])[:-2].encode() +
                                    b', "customer_key": "' + LOG_SECRETS[0].encode() + b'"}]')),
    "nestedkey@example.com": ("secrets in a nested object",
                              lambda: json_reply([record(extra={"customer_key": LOG_SECRETS[1],
                                                                "app_key": LOG_SECRETS[2],
                                                                "deeper": [{"customer_password": LOG_SECRETS[3]}]})])),
    "arraykey@example.com": ("a second record with its own customer_key",
                             lambda: json_reply([record(), record(customer_key=LOG_SECRETS[4])])),
    "c1key@example.com": ("a customer key with a C1 control", lambda: json_reply([record(customer_key="ab\u009bcd")])),
    "bidikey@example.com": ("a customer key with a bidi override",
                            lambda: json_reply([record(customer_key="ab\u202ecd")])),
    "spacekey@example.com": ("a customer key with a space", lambda: json_reply([record(customer_key="ab cd")])),
    "longkey@example.com": ("a customer key of 513 characters", lambda: json_reply([record(customer_key="k" * 513)])),
    "fakestatus@example.com": ("a first name padded to fake a status line",
                               lambda: json_reply([record(customer_first_name="John" + " " * 300 +
                                                          "Status       ACTIVE  VIP  BUSINESS\u3000\u3000" + "x" * 100,
                                                          customer_box_id=811208)])),
    "object@example.com": ("a top-level object instead of an array",
                           lambda: json_reply(record(customer_box_id=811206))),
    "negdate@example.com": ("dates before 1970, without offset",
                            lambda: json_reply([record(enrolment_date="/Date(-86400001)/",
                                                       activation_date="/Date(0+0530)/")])),
    "syserror@example.com": ("a server-side system error",
                             lambda: json_reply([record(_verify=False, error={"error_description": "Database timeout",
                                                                              "error_location": "CustomerLogin.Validate",
                                                                              "system_error": True})])),
    "rejected@example.com": ("rejected without a description",
                             lambda: json_reply([record(_verify=False)])),
    "nokey@example.com": ("a session without a customer key", lambda: json_reply([record(customer_key="")])),
    "badbox@example.com": ("a box ID that is not a positive integer",
                           lambda: json_reply([record(customer_box_id=-5)])),
    "bignum@example.com": ("a box ID beyond 2^53",
                           lambda: (200, "application/json", b'[{"_verify":true,"customer_key":"k","customer_box_id":1e400}]')),
    "http500@example.com": ("HTTP 500 with an HTML page",
                            lambda: (500, "text/html", b"<html><body><h1>Internal Server Error</h1></body></html>")),
    "notjson@example.com": ("a body that is not JSON", lambda: (200, "text/plain", b"Service temporarily unavailable")),
    "empty@example.com": ("an empty array", lambda: (200, "application/json", b"[]")),
    "notobject@example.com": ("an array of a number", lambda: (200, "application/json", b"[42]")),
    "deep@example.com": ("100 000 levels of nesting",
                         lambda: (200, "application/json", b"[" * 100000 + b"]" * 100000)),
    "huge@example.com": ("a 20 MiB body", lambda: "huge"),
    "stall@example.com": ("no answer for 30 s", lambda: "stall"),
    "reset@example.com": ("the connection reset", lambda: "reset"),
    "redirect@example.com": ("a redirect elsewhere",
                             lambda: (302, "text/html", b"moved")),
}


for _email, (_what, _rec) in stand_in_account.LOGINS.items():
    ACCOUNTS[_email] = (_what, lambda rec=_rec: json_reply([rec]))


def login_records():
    """Each account's login record (a dict), or None when its login is no plain record."""
    records = {}
    for email, (_, maker) in ACCOUNTS.items():
        rec = None
        try:
            reply = maker()
            if isinstance(reply, tuple) and reply[0] == 200:
                body = json.loads(reply[2])
                rec = body[0] if isinstance(body, list) and body else body
        except (ValueError, RecursionError):
            pass
        records[email] = rec if isinstance(rec, dict) and rec.get("_verify") is True else None
    return records


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "StandInSkyPostal/1.0"

    def log_message(self, fmt, *args):
        if self.server.verbose:
            sys.stderr.write("stand-in: " + fmt % args + "\n")

    def log_request_line(self, body):
        entry = {
            "time": time.time(),
            "method": self.command,
            "path": self.path,
            "content_type": self.headers.get("Content-Type"),
            "user_agent": self.headers.get("User-Agent"),
            "connection": "%s:%d" % self.client_address[:2],
        }
        try:
            req = json.loads(body) if body else None
        except ValueError:
            req = "not json"
        if isinstance(req, dict):
            for secret in ("customer_password", "customer_new_password"):
                if isinstance(req.get(secret), str):
                    req[secret] = len(req[secret])
            for holder in (req, req.get("user_info") if isinstance(req.get("user_info"), dict) else {}):
                if isinstance(holder.get("app_key"), str):
                    holder["app_key"] = "app_key:" + holder["app_key"][:4]
        entry["body"] = req
        if self.server.request_log:
            with self.server.log_lock, open(self.server.request_log, "a") as f:
                f.write(json.dumps(entry) + "\n")
        return req

    def send(self, status, ctype, body, close=False):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        if status == 302:
            self.send_header("Location", "https://example.com/elsewhere")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def api_path(self):
        """The request path below the prefix, with the slow-warm-up segment taken off."""
        path = self.path
        if not path.startswith(self.server.prefix):
            return None
        path = path[len(self.server.prefix):]
        return path[len(SLOW_WARM_UP):] if path.startswith(SLOW_WARM_UP) else path

    def do_HEAD(self):
        self.log_request_line(None)
        if self.path.startswith(self.server.prefix + SLOW_WARM_UP):
            time.sleep(SLOW_WARM_UP_S)
        self.send(200 if self.api_path() in ("", "/") else 404, "text/plain", b"")

    def do_GET(self):
        self.log_request_line(None)
        self.send(404, "text/plain", b"not found\n")

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if 0 < n < 1 << 20 else b""
        req = self.log_request_line(raw.decode("utf-8", "replace"))
        # The log holds passwords as their lengths; the calls need them as sent.
        try:
            full = json.loads(raw) if isinstance(req, dict) else req
        except ValueError:
            full = req
        account_reply = stand_in_account.reply(self.api_path(), full, self.server.records)
        if account_reply == "huge-shipments":
            return self.send_huge(33 << 20)
        if account_reply == "stall-half":
            return self.send_half_then_stall()
        if account_reply == "reset":
            return self.reset()
        if isinstance(account_reply, tuple) and account_reply[0] == "close":
            return self.send(*account_reply[1], close=True)
        if isinstance(account_reply, tuple) and account_reply[0] == "delay":
            time.sleep(account_reply[1])
            return self.send(*account_reply[2])
        if account_reply is not None:
            return self.send(*account_reply)
        if self.api_path() not in [p.split("/wcf-services", 1)[1] for p in (LOGIN_PATH, ALT_LOGIN_PATH)]:
            return self.send(404, "text/html", b"<html>Endpoint not found.</html>")
        if not isinstance(req, dict):
            return self.send(400, "text/plain", b"bad request\n")
        email = str(req.get("customer_email", "")).strip().lower()
        if email in stand_in_account.MOVED or email in stand_in_account.CHANGED:
            # A changed account logs in as the changes left it.
            rec = self.server.records.get(email)
            if rec is None:
                return self.send(*json_reply([record(_verify=False, error={
                    "error_description": "The email is not registered", "error_location": "",
                    "system_error": False})]))
            if full.get("customer_password") != stand_in_account.password_of(email, PASSWORD):
                return self.send(*json_reply(WRONG_PASSWORD))
            return self.send(*json_reply([rec]))
        if email not in ACCOUNTS:
            return self.send(*json_reply([record(_verify=False, error={
                "error_description": "The email is not registered", "error_location": "", "system_error": False})]))
        reply = ACCOUNTS[email][1]()
        if reply == "stall":
            time.sleep(30)
            return
        if reply == "reset":
            return self.reset()
        if reply == "huge":
            return self.send_huge()
        if not self.password_ok(raw):
            return self.send(*json_reply(WRONG_PASSWORD))
        self.send(*reply)

    def reset(self):
        """Resets the connection: no reply at all."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()

    def password_ok(self, raw):
        try:
            return json.loads(raw).get("customer_password") == PASSWORD
        except ValueError:
            return False

    def send_half_then_stall(self):
        """Headers and half the body, then nothing for 30 s."""
        body = b'[{"_verify": true, "trck_nmr_fol": 1, "merchant": "' + b"x" * 1000
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(2 * len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()
        time.sleep(30)
        self.close_connection = True

    def send_huge(self, total=20 << 20):
        chunk = b" " * 65536
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        sent = 0
        try:
            while sent < total:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sent += len(chunk)
            self.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            pass
        with self.server.log_lock:
            self.server.huge_sent.append(sent)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def get_request(self):
        sock, addr = super().get_request()
        # A reply's headers and body leave in two writes: without this, the body waits
        # for the client's delayed ACK (40 ms) on a kept connection.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self.tls is not None:
            sock.settimeout(10)
            try:
                sock = self.tls.wrap_socket(sock, server_side=True)
            except (ssl.SSLError, OSError):
                sock.close()
                raise OSError("TLS handshake failed")
            sock.settimeout(None)
        return sock, addr

    def handle_error(self, request, client_address):
        if self.verbose:
            super().handle_error(request, client_address)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0, help="0 picks a free port")
    ap.add_argument("--cert", help="server certificate chain (PEM)")
    ap.add_argument("--key", help="server private key (PEM)")
    ap.add_argument("--plain", action="store_true", help="serve plain HTTP instead of HTTPS")
    ap.add_argument("--prefix", default="/wcf-services", help="base path of the API")
    ap.add_argument("--request-log", help="append one JSON line per request here")
    ap.add_argument("--port-file", help="write the port here once listening")
    ap.add_argument("--list-accounts", action="store_true", help="print the test accounts and exit")
    ap.add_argument("--verbose", action="store_true")
    a = ap.parse_args()
    if a.list_accounts:
        for email, (what, _) in ACCOUNTS.items():
            print("  %-24s %s" % (email, what))
        return
    if a.host not in ("127.0.0.1", "::1", "localhost"):
        sys.exit("stand-in: serves loopback only")
    srv = Server((a.host, a.port), Handler)
    srv.verbose = a.verbose
    srv.prefix = a.prefix
    srv.request_log = a.request_log
    srv.log_lock = threading.Lock()
    srv.huge_sent = []
    srv.records = login_records()
    srv.tls = None
    if not a.plain:
        if not (a.cert and a.key):
            sys.exit("stand-in: --cert and --key are needed for HTTPS (or --plain)")
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(a.cert, a.key)
        srv.tls = ctx
    port = srv.server_address[1]
    if a.port_file:
        tmp = a.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % port)
        os.rename(tmp, a.port_file)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
