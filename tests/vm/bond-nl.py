# bond-nl.py DEV ATTR VALUE [LEN]: set one bonding netlink attribute of DEV
# with RTM_NEWLINK, as `ip link set DEV type bond ATTR VALUE` (or `type
# bond_slave`) does, for what Debian 12's iproute2 6.1 does not know. ATTR
# is a bond attribute (coupled_control, broadcast_neighbor, lacp_strict: DEV
# is the bond) or a slave one (queue_id, prio, actor_port_prio: DEV is the
# slave); LEN overrides the payload length (bytes of VALUE, little-endian)
# to send a malformed attribute. Prints "ok", or "error ERRNO[: EXTACK]"
# for the kernel's answer.
# bond-nl.py get DEV ATTR: print the bond attribute ATTR of bond DEV as
# RTM_GETLINK reports it (a number), or "absent".
import socket
import struct
import sys

RTM_NEWLINK, RTM_GETLINK, NLM_F_REQUEST, NLM_F_ACK, NLMSG_ERROR = 16, 18, 1, 4, 2
IFLA_LINKINFO, IFLA_INFO_KIND, IFLA_INFO_DATA, IFLA_INFO_SLAVE_DATA = 18, 1, 2, 5
NLA_F_NESTED = 0x8000
NETLINK_EXT_ACK, NLM_F_ACK_TLVS, NLMSGERR_ATTR_MSG = 11, 0x200, 1
SLAVE = {"queue_id": (5, 2), "prio": (9, 4), "actor_port_prio": (10, 2)}
BOND = {"coupled_control": (32, 1), "broadcast_neighbor": (33, 1), "lacp_strict": (34, 1)}


def attr(ty, payload):
    a = struct.pack("HH", 4 + len(payload), ty) + payload
    return a + b"\0" * (-len(a) % 4)


def attrs(b):
    i = 0
    while i + 4 <= len(b):
        ln, ty = struct.unpack_from("HH", b, i)
        if ln < 4:
            break
        yield ty & 0x3FFF, b[i + 4:i + ln]
        i += (ln + 3) & ~3


def request(mtype, flags, body):
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)
    s.setsockopt(270, NETLINK_EXT_ACK, 1)  # SOL_NETLINK
    hdr = struct.pack("IHHII", 16 + len(body), mtype, NLM_F_REQUEST | flags, 1, 0)
    s.send(hdr + body)
    return s.recv(65536)


def ifinfo(dev):
    return struct.pack("BBHiII", 0, 0, 0, socket.if_nametoindex(dev), 0, 0)


def get(dev, name):
    data = request(RTM_GETLINK, 0, ifinfo(dev))
    ln = struct.unpack_from("I", data, 0)[0]
    for t, v in attrs(data[32:ln]):
        if t != IFLA_LINKINFO:
            continue
        for t2, v2 in attrs(v):
            if t2 != IFLA_INFO_DATA:
                continue
            for t3, v3 in attrs(v2):
                if t3 == BOND[name][0]:
                    print(int.from_bytes(v3, "little"))
                    return 0
    print("absent")
    return 0


def main():
    if sys.argv[1] == "get":
        return get(sys.argv[2], sys.argv[3])
    dev, name, value = sys.argv[1], sys.argv[2], int(sys.argv[3], 0)
    if name in BOND:
        (ty, size), nest = BOND[name], IFLA_INFO_DATA
    else:
        (ty, size), nest = SLAVE[name], IFLA_INFO_SLAVE_DATA
    if len(sys.argv) > 4:
        size = int(sys.argv[4])
    payload = (value & ((1 << (8 * size)) - 1)).to_bytes(size, "little") if size else b""
    info = attr(IFLA_INFO_KIND, b"bond\0") if nest == IFLA_INFO_DATA else b""
    info += attr(nest | NLA_F_NESTED, attr(ty, payload))
    data = request(RTM_NEWLINK, NLM_F_ACK, ifinfo(dev) + attr(IFLA_LINKINFO | NLA_F_NESTED, info))
    ln, mty, flags = struct.unpack_from("IHH", data, 0)
    if mty != NLMSG_ERROR:
        print("unexpected", mty)
        return 1
    err = -struct.unpack_from("i", data, 16)[0]
    if err == 0:
        print("ok")
        return 0
    msg = ""
    if flags & NLM_F_ACK_TLVS:
        # The echoed request follows the error code unless capped.
        off = 16 + 4 + (16 if flags & 0x100 else struct.unpack_from("I", data, 20)[0])
        for t, v in attrs(data[off:ln]):
            if t == NLMSGERR_ATTR_MSG:
                msg = ": " + v.rstrip(b"\0").decode()
    print(f"error {err}{msg}")
    return 2


sys.exit(main())
