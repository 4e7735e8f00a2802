#!/usr/bin/env python3
"""Measurements for scripts/bench-delivery.sh and scripts/bench-imap.sh (docs/benchmarks.md).

A deliberately small IMAP client over TLS on loopback (no certificate check: both servers use self-signed
certificates) that sends one command and reads until its tagged answer, so that the client costs the same
whichever server answers. Every timing is wall-clock on the client side, in milliseconds.

  mailbench.py deliver PORT IMAPS USER PASSWORD COUNT SIZE SESSIONS   smtp-source, then wait until IMAP sees all
  mailbench.py count IMAPS USER PASSWORD                              messages in INBOX
  mailbench.py envelopes IMAPS USER PASSWORD RUNS                     SELECT + UID FETCH 1:* (FLAGS ENVELOPE)
  mailbench.py bodies IMAPS USER PASSWORD RUNS                        UID FETCH of 100 random bodies
  mailbench.py first-select IMAPS USER PASSWORD                       SELECT (clears \\Recent)
  mailbench.py expunge IMAPS USER PASSWORD COUNT                      \\Deleted on the first COUNT, time EXPUNGE
Results go to stdout as "name value" lines.
"""
import random
import re
import socket
import ssl
import subprocess
import sys
import time


def last_line_start(data):
    previous = data.rfind(b"\r\n", 0, len(data) - 2)
    return 0 if previous < 0 else previous + 2


class Imap:
    def __init__(self, port, user, password):
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        raw = socket.create_connection(("127.0.0.1", int(port)), timeout=600)
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock = context.wrap_socket(raw)
        self.counter = 0
        self.buffer = bytearray()
        self._read_until(b"* ")
        self.command('LOGIN "%s" "%s"' % (user, password))

    def _read_until(self, start_of_last_line):
        while True:
            end = len(self.buffer)
            if end >= 2 and self.buffer.endswith(b"\r\n"):
                if self.buffer.startswith(start_of_last_line, last_line_start(self.buffer)):
                    data = bytes(self.buffer)
                    self.buffer.clear()
                    return data
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                raise ConnectionError("connection closed: " + bytes(self.buffer[-300:]).decode(errors="replace"))
            self.buffer += chunk

    def command(self, text):
        self.counter += 1
        tag = b"T%d" % self.counter
        self.sock.sendall(tag + b" " + text.encode() + b"\r\n")
        data = self._read_until(tag + b" ")
        last = data[last_line_start(data):]
        if not last.startswith(tag + b" OK"):
            raise RuntimeError("%s -> %s" % (text, last.decode(errors="replace").strip()))
        return data

    def timed(self, text):
        begin = time.perf_counter()
        data = self.command(text)
        return (time.perf_counter() - begin) * 1000, data

    def count(self, folder="INBOX"):
        data = self.command("STATUS %s (MESSAGES)" % folder)
        return int(re.search(rb"MESSAGES (\d+)", data).group(1))

    def uids(self):
        data = self.command("UID SEARCH ALL")
        line = re.search(rb"\* SEARCH([ 0-9]*)\r\n", data).group(1)
        return [int(x) for x in line.split()]

    def close(self):
        try:
            self.command("LOGOUT")
        except Exception:
            pass
        self.sock.close()


def deliver(smtp_port, imaps, user, password, count, size, sessions):
    """smtp-source to the server; delivered = the last message visible over IMAP (STATUS polled every 20 ms)."""
    imap = Imap(imaps, user, password)
    before = imap.count()
    begin = time.perf_counter()
    source = subprocess.run(["smtp-source", "-s", str(sessions), "-l", str(size), "-m", str(count),
                             "-f", "sender@example.org", "-t", user, "127.0.0.1:%s" % smtp_port],
                            capture_output=True, text=True)
    accepted = time.perf_counter() - begin
    if source.returncode != 0:
        print("smtp-source failed: %s" % (source.stderr or source.stdout).strip()[-500:], file=sys.stderr)
    target = before + count
    seen = imap.count()
    deadline = time.perf_counter() + 600
    while seen < target and time.perf_counter() < deadline:
        time.sleep(0.02)
        seen = imap.count()
    delivered = time.perf_counter() - begin
    imap.close()
    print("accepted_per_s %.1f" % (count / accepted))
    print("delivered_per_s %.1f" % ((seen - before) / delivered))
    print("delivered %d of %d" % (seen - before, count))


def envelopes(imaps, user, password, runs):
    imap = Imap(imaps, user, password)
    for _ in range(int(runs)):
        select_ms, _ = imap.timed("EXAMINE INBOX")
        fetch_ms, data = imap.timed("UID FETCH 1:* (FLAGS ENVELOPE)")
        print("select_fetch_envelope_ms %.1f  (examine %.1f, fetch %.1f, %d messages)"
              % (select_ms + fetch_ms, select_ms, fetch_ms, data.count(b" FETCH (")))
    imap.close()


def bodies(imaps, user, password, runs):
    imap = Imap(imaps, user, password)
    imap.command("EXAMINE INBOX")
    uids = imap.uids()
    rng = random.Random(15)
    for _ in range(int(runs)):
        chosen = rng.sample(uids, min(100, len(uids)))
        ms, data = imap.timed("UID FETCH %s (BODY.PEEK[])" % ",".join(map(str, chosen)))
        print("fetch_100_bodies_ms %.1f  (%d KB)" % (ms, len(data) // 1024))
    imap.close()


def first_select(imaps, user, password):
    imap = Imap(imaps, user, password)
    ms, data = imap.timed("SELECT INBOX")
    recent = re.search(rb"\* (\d+) RECENT", data)
    print("first_select_ms %.1f  (%s recent)" % (ms, recent.group(1).decode() if recent else "?"))
    ms, data = imap.timed("SELECT INBOX")
    recent = re.search(rb"\* (\d+) RECENT", data)
    print("second_select_ms %.1f  (%s recent)" % (ms, recent.group(1).decode() if recent else "?"))
    imap.close()


def expunge(imaps, user, password, count):
    imap = Imap(imaps, user, password)
    imap.command("SELECT INBOX")
    uids = imap.uids()[:int(count)]
    store_ms, _ = imap.timed("UID STORE %d:%d +FLAGS.SILENT (\\Deleted)" % (uids[0], uids[-1]))
    ms, data = imap.timed("EXPUNGE")
    print("expunge_ms %.1f  (%d expunged; the STORE before it %.1f ms)" % (ms, data.count(b" EXPUNGE\r\n"), store_ms))
    imap.close()


def main(argv):
    commands = {
        "deliver": lambda a: deliver(a[0], a[1], a[2], a[3], int(a[4]), int(a[5]), int(a[6])),
        "count": lambda a: print("messages %d" % Imap(a[0], a[1], a[2]).count()),
        "envelopes": lambda a: envelopes(*a),
        "bodies": lambda a: bodies(*a),
        "first-select": lambda a: first_select(*a),
        "expunge": lambda a: expunge(*a),
    }
    if len(argv) < 2 or argv[1] not in commands:
        print(__doc__, file=sys.stderr)
        return 2
    commands[argv[1]](argv[2:])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
