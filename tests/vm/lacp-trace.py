# lacp-trace.py DEV BOND SECONDS: print every slow-protocols frame DEV sends
# or receives for SECONDS, one line each: "MS tx|rx HEX", HEX the bytes
# after the Ethernet header, DEV's carrier changes as "MS ev down|up", and
# BOND going up (its IFF_UP notification, sent once its open is done) as
# "MS ev bond-up". MS is
# the wall clock in milliseconds (as bash's EPOCHREALTIME, so the caller's
# own event lines sort in). Used by scripts/record-lacp-trace (the host
# tests' recording of C's 802.3ad).
import select
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4
RTMGRP_LINK, RTM_NEWLINK, IFF_UP, IFF_LOWER_UP = 1, 16, 0x1, 0x10000

dev, bond, secs = sys.argv[1], sys.argv[2], float(sys.argv[3])
ifindex = socket.if_nametoindex(dev)
bond_index = socket.if_nametoindex(bond)
bond_up = False
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
s.bind((dev, 0))
nl = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
nl.bind((0, RTMGRP_LINK))
with open(f"/sys/class/net/{dev}/carrier") as f:
    carrier = f.read().strip() == "1"
end = time.time() + secs
print("ready", flush=True)
while (left := end - time.time()) > 0:
    r, _, _ = select.select([s, nl], [], [], left)
    now = int(time.time() * 1000)
    if s in r:
        frame, addr = s.recvfrom(2048)
        # A bond slave's LACPDUs reach only ETH_P_ALL taps (outgoing, and
        # incoming before the bond's rx handler consumes them).
        if frame[12:14] == b"\x88\x09":
            d = "tx" if addr[2] == PACKET_OUTGOING else "rx"
            print(f"{now} {d} {frame[14:14 + 110].hex()}", flush=True)
    if nl in r:
        data = nl.recv(65536)
        off = 0
        while off + 32 <= len(data):
            ln, ty = struct.unpack_from("IH", data, off)
            if ln < 16:
                break
            if ty == RTM_NEWLINK:
                _, _, _, idx, flags, _ = struct.unpack_from("BBHiII", data, off + 16)
                up = bool(flags & IFF_LOWER_UP)
                if idx == bond_index and flags & IFF_UP and not bond_up:
                    bond_up = True
                    print(f"{now} ev bond-up", flush=True)
                if idx == ifindex and up != carrier:
                    carrier = up
                    print(f"{now} ev {'up' if up else 'down'}", flush=True)
            off += (ln + 3) & ~3
