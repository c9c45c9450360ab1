#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send test traffic through a bond and report which slave carried it.

Not a test: a helper of the load-balancing VM tests (tests/vm/lb-*.sh),
written in Python so that one process does what would otherwise cost an
exec per packet in the TCG guest.

Which slave carried a packet is read from the slaves' tx_packets counters
(sysfs) right after the send: veth transmits synchronously, so the counter
of the slave that took it has moved when sendto() returns.

Commands (slaves are given as --slaves eth0,eth1,...):
  flows   send each flow of the fixed flow set (UDP/IPv4 with varying
          addresses and ports, ICMP echo ids, fragmented UDP, UDP/IPv6,
          UDP over VLAN devices) COUNT times and print "FLOW SLAVE" lines;
          SLAVE is "?" when no single slave took all of the flow's packets.
  seq N   send N packets of one UDP flow, one at a time, and print the
          slave of each, space separated.
  burst N send N packets of one UDP flow and print each slave's tx delta.
  igmp    join 239.1.2.3 on the bond's address (IGMP membership reports
          follow), wait 1.5 s and print each slave's tx delta.
"""

import argparse
import socket
import struct
import time

BOND_IP = "192.0.2.1"
BOND_IP6 = "2001:db8::1"


def counters(slaves):
    out = []
    for s in slaves:
        with open(f"/sys/class/net/{s}/statistics/tx_packets") as f:
            out.append(int(f.read()))
    return out


def who(slaves, before, after, expect):
    """The slave that carried all `expect` packets, else '?'."""
    deltas = [a - b for a, b in zip(after, before)]
    best = max(range(len(slaves)), key=lambda i: deltas[i])
    if deltas[best] >= expect and sum(deltas) - deltas[best] <= 1:
        return slaves[best]
    return "?"


def udp4(src, sport):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((src, sport))
    return s


def icmp_echo(ident, seq):
    hdr = struct.pack("!BBHHH", 8, 0, 0, ident, seq)
    data = b"rbond-flows"
    csum = 0
    msg = hdr + data
    if len(msg) % 2:
        msg += b"\0"
    for i in range(0, len(msg), 2):
        csum += (msg[i] << 8) | msg[i + 1]
    csum = (csum >> 16) + (csum & 0xFFFF)
    csum = ~(csum + (csum >> 16)) & 0xFFFF
    return struct.pack("!BBHHH", 8, 0, csum, ident, seq) + data


def flow_set():
    """(name, sender) pairs; sender() sends one packet (or one datagram)
    and returns how many frames it makes."""
    flows = []
    for i in range(16):
        dst = f"192.0.2.{10 + i % 8}"
        sport = 10000 + i * 37
        dport = 20000 + (i * 7919) % 1000

        def send(dst=dst, sport=sport, dport=dport):
            s = udp4(BOND_IP, sport)
            s.sendto(b"x" * 32, (dst, dport))
            s.close()
            return 1

        flows.append((f"udp4-{dst}-{sport}-{dport}", send))
    raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    for ident in (1, 2, 3, 77, 1000, 4242, 65535, 12345):
        def send(ident=ident):
            raw.sendto(icmp_echo(ident, 1), ("192.0.2.11", 0))
            return 1

        flows.append((f"icmp4-id{ident}", send))
    for i in range(4):
        def send(i=i):
            s = udp4(BOND_IP, 30000 + i)
            s.sendto(b"f" * 3000, (f"192.0.2.{12 + i}", 40000 + i))
            s.close()
            return 3

        flows.append((f"frag4-{i}", send))
    for i in range(8):
        dst = f"2001:db8::{16 + i % 4:x}"
        sport = 11000 + i * 101

        def send(dst=dst, sport=sport, i=i):
            s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
            s.bind((BOND_IP6, sport))
            s.sendto(b"y" * 32, (dst, 5000 + i))
            s.close()
            return 1

        flows.append((f"udp6-{dst}-{sport}", send))
    for vid in (10, 20, 30, 4000):
        def send(vid=vid):
            s = udp4(f"198.51.{vid // 256}.{vid % 256}", 7000)
            s.sendto(b"v" * 32, (f"198.51.{vid // 256}.{vid % 256 + 1}", 7001))
            s.close()
            return 1

        flows.append((f"vlan{vid}", send))
    return flows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--slaves", required=True)
    ap.add_argument("--count", type=int, default=3)
    ap.add_argument("cmd")
    ap.add_argument("n", nargs="?", type=int, default=0)
    a = ap.parse_args()
    slaves = a.slaves.split(",")
    if a.cmd == "flows":
        for name, send in flow_set():
            before = counters(slaves)
            frames = 0
            for _ in range(a.count):
                frames += send()
            print(name, who(slaves, before, counters(slaves), frames))
    elif a.cmd == "seq":
        s = udp4(BOND_IP, 9999)
        picks = []
        for _ in range(a.n):
            before = counters(slaves)
            s.sendto(b"s" * 32, ("192.0.2.10", 9999))
            picks.append(who(slaves, before, counters(slaves), 1))
        print(" ".join(picks))
    elif a.cmd == "burst":
        s = udp4(BOND_IP, 9998)
        before = counters(slaves)
        for _ in range(a.n):
            s.sendto(b"b" * 32, ("192.0.2.10", 9998))
        time.sleep(0.05)
        print(" ".join(str(x - y) for x, y in zip(counters(slaves), before)))
    elif a.cmd == "igmp":
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        before = counters(slaves)
        mreq = socket.inet_aton("239.1.2.3") + socket.inet_aton(BOND_IP)
        s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreq)
        time.sleep(1.5)
        print(" ".join(str(x - y) for x, y in zip(counters(slaves), before)))
    else:
        ap.error(f"unknown command {a.cmd}")


if __name__ == "__main__":
    main()
