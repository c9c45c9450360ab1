# xstats.py DEV bond|slave: print DEV's 802.3ad counters ("name value" lines)
# from RTM_GETSTATS (IFLA_STATS_LINK_XSTATS for a bond, _SLAVE for a slave),
# as `ip link xstats type bond` would (Debian 12's iproute2 6.1 crashes on
# this kernel's stats: "stack smashing detected").
import socket
import struct
import sys

RTM_GETSTATS, NLM_F_REQUEST, NLMSG_ERROR = 94, 1, 2
NAMES = ["lacpdu_rx", "lacpdu_tx", "lacpdu_unknown_rx", "lacpdu_illegal_rx", "marker_rx",
         "marker_tx", "marker_resp_rx", "marker_resp_tx", "marker_unknown_rx"]


def attrs(b):
    i = 0
    while i + 4 <= len(b):
        ln, ty = struct.unpack_from("HH", b, i)
        if ln < 4:
            break
        yield ty & 0x3FFF, b[i + 4:i + ln]
        i += (ln + 3) & ~3


def main():
    dev, kind = sys.argv[1], sys.argv[2]
    attr = 2 if kind == "bond" else 3
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)
    body = struct.pack("BBHII", 0, 0, 0, socket.if_nametoindex(dev), 1 << (attr - 1))
    s.send(struct.pack("IHHII", 16 + len(body), RTM_GETSTATS, NLM_F_REQUEST, 1, 0) + body)
    data = s.recv(65536)
    ln, ty = struct.unpack_from("IH", data, 0)
    if ty == NLMSG_ERROR:
        print("error", -struct.unpack_from("i", data, 16)[0])
        return 1
    found = False
    for t, v in attrs(data[16 + 12:ln]):
        if t != attr:
            continue
        for t2, v2 in attrs(v):  # LINK_XSTATS_TYPE_BOND (2)
            if t2 != 2:
                continue
            print("bond_nest")
            for t3, v3 in attrs(v2):  # BOND_XSTATS_3AD
                if t3 != 1:
                    continue
                for t4, v4 in attrs(v3):
                    if t4 < len(NAMES) and len(v4) == 8:
                        print(NAMES[t4], struct.unpack("Q", v4)[0])
                        found = True
    return 0 if found else 3


sys.exit(main())
