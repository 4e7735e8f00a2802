#!/usr/bin/env python3
"""A DNS server for the benchmarks that answers every question at once with NXDOMAIN (no such name).

Essaim checks SPF, DMARC and DNS blocklists for every arriving message; the Postfix+Dovecot baseline checks
nothing. Against the machine's own resolver, some questions (a few per cent here) get no answer, and each of
those holds the SMTP session for dnsjava's 3 s timeout: the delivery figures then measured DNS losses, not the
mail store. With this server Essaim's checks still run (every look-up is made and answered), as they would with a
warm local caching resolver (docs/operations.md recommends unbound).

    quiet-dns.py PORTFILE      binds 127.0.0.1 on a free UDP and TCP port, writes the port to PORTFILE, serves
"""
import socket
import socketserver
import struct
import sys
import threading


def answer(query):
    if len(query) < 12:
        return None
    ident, flags = struct.unpack(">HH", query[:4])
    opcode = (flags >> 11) & 0xF
    # QR=1, the query's opcode and RD, RA=1, RCODE=3 (NXDOMAIN); the question is echoed, nothing else
    reply_flags = 0x8000 | (opcode << 11) | (flags & 0x0100) | 0x0080 | 3
    end = 12
    while end < len(query) and query[end] != 0:
        end += query[end] + 1
    end += 5  # the root label, QTYPE and QCLASS
    return struct.pack(">HHHHHH", ident, reply_flags, 1, 0, 0, 0) + query[12:end]


class Udp(socketserver.BaseRequestHandler):
    def handle(self):
        data, sock = self.request
        reply = answer(data)
        if reply:
            sock.sendto(reply, self.client_address)


class Tcp(socketserver.BaseRequestHandler):
    def handle(self):
        head = self.request.recv(2)
        if len(head) == 2:
            reply = answer(self.request.recv(struct.unpack(">H", head)[0]))
            if reply:
                self.request.sendall(struct.pack(">H", len(reply)) + reply)


def main():
    udp = socketserver.ThreadingUDPServer(("127.0.0.1", 0), Udp)
    port = udp.server_address[1]
    tcp = socketserver.ThreadingTCPServer(("127.0.0.1", port), Tcp)
    threading.Thread(target=tcp.serve_forever, daemon=True).start()
    with open(sys.argv[1], "w") as f:
        f.write(str(port))
    udp.serve_forever()


if __name__ == "__main__":
    main()
