#!/usr/bin/env python3
# nlmon.py OUT: record the rtnetlink link messages (RTM_NEWLINK/DELLINK) the
# kernel multicasts, one line each: "NEWLINK <ifname> flags=<hex> change=<hex>",
# into OUT (flushed per line). Writes "ready" to stdout once subscribed.
# Stops on SIGTERM. Unlike `ip monitor`, it shows ifi_change, which tells
# which flags a message announces.
import signal
import socket
import struct
import sys

RTMGRP_LINK = 1
RTM_NEWLINK, RTM_DELLINK = 16, 17
IFLA_IFNAME = 3

out = open(sys.argv[1], "w")
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
s.bind((0, RTMGRP_LINK))
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
print("ready", flush=True)

while True:
    data = s.recv(1 << 16)
    off = 0
    while off + 16 <= len(data):
        mlen, mtype = struct.unpack_from("=IH", data, off)
        if mlen < 16:
            break
        if mtype in (RTM_NEWLINK, RTM_DELLINK) and mlen >= 32:
            _, _, _, _, flags, change = struct.unpack_from("=BBHiII", data, off + 16)
            name = "?"
            a = off + 32
            while a + 4 <= off + mlen:
                alen, atype = struct.unpack_from("=HH", data, a)
                if alen < 4:
                    break
                if atype == IFLA_IFNAME:
                    name = data[a + 4:a + alen].split(b"\0")[0].decode()
                a += (alen + 3) & ~3
            kind = "NEWLINK" if mtype == RTM_NEWLINK else "DELLINK"
            out.write(f"{kind} {name} flags={flags:#x} change={change:#x}\n")
            out.flush()
        off += (mlen + 3) & ~3
