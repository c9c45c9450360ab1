#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Ping from (and look into) several network namespaces in one process.

Not a test: a helper of tests/vm/alb.sh, written in Python so that one
process does what would otherwise cost two execs per host (ip netns exec +
ping) in the TCG guest. Sockets are opened inside a namespace by entering
it (setns) and stay there when the process returns to its own.

Commands (NS is a name in /run/netns, or "-" for the namespace of the
caller):
  ping [--serial] [--timeout S] NS:ADDR...
        ICMP (or ICMPv6) echo from NS to ADDR, one request every 0.2 s
        until one is answered or S seconds (default 10) have passed; all at
        once, or with --serial one after the other in the order given (the
        order in which the hosts ARP for the bond matters to balance-alb).
        Prints "NS:ADDR ok" or "NS:ADDR fail" per argument; exit status 1
        if any failed.
  arp ADDR NS...
        prints "NS=MAC" per namespace: the MAC that NS's ARP table holds for
        ADDR (/proc/net/arp), or "none".
  forget ADDR NS...
        deletes NS's neighbour entry for the IPv4 ADDR (RTM_DELNEIGH), on
        every device.
"""

import ctypes
import os
import select
import socket
import struct
import sys
import time

CLONE_NEWNET = 0x40000000
libc = ctypes.CDLL(None, use_errno=True)
HOME = os.open("/proc/self/ns/net", os.O_RDONLY)


def enter(ns):
    fd = HOME if ns == "-" else os.open(f"/run/netns/{ns}", os.O_RDONLY)
    if libc.setns(fd, CLONE_NEWNET) != 0:
        raise OSError(ctypes.get_errno(), f"setns {ns}")
    if fd != HOME:
        os.close(fd)


def in_ns(ns, fn, *args):
    enter(ns)
    try:
        return fn(*args)
    finally:
        enter("-")


def csum(msg):
    if len(msg) % 2:
        msg += b"\0"
    s = sum(struct.unpack(f"!{len(msg) // 2}H", msg))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


class Pinger:
    def __init__(self, spec, ident):
        self.spec = spec
        self.ns, self.addr = spec.split(":", 1)
        self.v6 = ":" in self.addr
        self.ident = ident
        self.seq = 0
        self.done = False
        if self.v6:
            self.sock = in_ns(self.ns, socket.socket, socket.AF_INET6, socket.SOCK_RAW,
                              socket.IPPROTO_ICMPV6)
        else:
            self.sock = in_ns(self.ns, socket.socket, socket.AF_INET, socket.SOCK_RAW,
                              socket.IPPROTO_ICMP)

    def send(self):
        self.seq += 1
        data = b"rbond-alb"
        if self.v6:
            # The kernel fills in the ICMPv6 checksum.
            msg = struct.pack("!BBHHH", 128, 0, 0, self.ident, self.seq) + data
        else:
            hdr = struct.pack("!BBHHH", 8, 0, 0, self.ident, self.seq) + data
            msg = struct.pack("!BBHHH", 8, 0, csum(hdr), self.ident, self.seq) + data
        try:
            self.sock.sendto(msg, (self.addr, 0))
        except OSError:
            pass  # no route or neighbour yet: try again later

    def recv(self):
        pkt, src = self.sock.recvfrom(2048)
        if src[0] != self.addr:
            return
        if not self.v6:
            pkt = pkt[(pkt[0] & 0xF) * 4:]
        if len(pkt) < 8:
            return
        typ, _, _, ident, _ = struct.unpack("!BBHHH", pkt[:8])
        if typ == (129 if self.v6 else 0) and ident == self.ident:
            self.done = True


def ping(pingers, timeout):
    end = time.monotonic() + timeout
    nxt = 0.0
    live = [p for p in pingers if not p.done]
    while live and time.monotonic() < end:
        now = time.monotonic()
        if now >= nxt:
            for p in live:
                p.send()
            nxt = now + 0.2
        r, _, _ = select.select([p.sock for p in live], [], [], max(0.0, min(nxt, end) - now))
        for p in live:
            if p.sock in r:
                p.recv()
        live = [p for p in live if not p.done]


def cmd_ping(args):
    serial = False
    timeout = 10.0
    specs = []
    while args:
        a = args.pop(0)
        if a == "--serial":
            serial = True
        elif a == "--timeout":
            timeout = float(args.pop(0))
        else:
            specs.append(a)
    pingers = [Pinger(s, 0x4200 + i) for i, s in enumerate(specs)]
    if serial:
        for p in pingers:
            ping([p], timeout)
    else:
        ping(pingers, timeout)
    for p in pingers:
        print(p.spec, "ok" if p.done else "fail")
    return 0 if all(p.done for p in pingers) else 1


def arp_of(addr):
    with open("/proc/self/net/arp") as f:
        for line in f.read().splitlines()[1:]:
            cols = line.split()
            # IP address, HW type, Flags, HW address, Mask, Device
            if cols[0] == addr and int(cols[2], 16) != 0:
                return cols[3]
    return "none"


def delneigh(addr):
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)  # NETLINK_ROUTE
    s.bind((0, 0))
    for _, name in socket.if_nameindex():
        ifindex = socket.if_nametoindex(name)
        dst = socket.inet_aton(addr)
        # ndmsg: family, pad, pad, ifindex, state, flags, type
        nd = struct.pack("=BBHiHBB", socket.AF_INET, 0, 0, ifindex, 0, 0, 0)
        attr = struct.pack("=HH", 4 + len(dst), 1) + dst  # NDA_DST
        body = nd + attr
        # RTM_DELNEIGH = 29, NLM_F_REQUEST | NLM_F_ACK
        msg = struct.pack("=IHHII", 16 + len(body), 29, 0x1 | 0x4, 1, 0) + body
        s.send(msg)
        s.recv(4096)  # the ack (or ENOENT): either is fine
    s.close()


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "ping":
        sys.exit(cmd_ping(args))
    elif cmd == "arp":
        addr = args[0]
        print(" ".join(f"{ns}={in_ns(ns, arp_of, addr)}" for ns in args[1:]))
    elif cmd == "forget":
        addr = args[0]
        for ns in args[1:]:
            in_ns(ns, delneigh, addr)
    else:
        sys.exit(f"unknown command {cmd}")


if __name__ == "__main__":
    main()
