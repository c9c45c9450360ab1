#!/bin/bash
# rbond: parity
# The bond as ethtool and the stack see it, as C: `ethtool -i` (driver
# bonding, firmware-version = the bonding ABI), the link speed (the sum over
# the slaves that can transmit, or the slowest in broadcast) and duplex, so
# that a bridge gives bond0 the right STP port cost and a bond of bonds
# sees its slave's speed; time stamping capabilities of the active slave
# (`ethtool -T`); and a packet the bond cannot send reports NET_XMIT_DROP
# (a UDP send with no usable slave fails with ENOBUFS, for a socket that
# asks for errors with IP_RECVERR); the IPsec offload features (on where the
# mode is active-backup when the bond is set up or changed); the bond's whole
# feature set and that of a VLAN on it, computed from the slaves and
# recomputed when a slave's change (`ethtool -K`), against C's
# (tests/vm/features.expected, recorded from the C driver); the active slave
# shown only in the modes that choose one, and where IPsec states go in
# balance-xor (its current slave) and 802.3ad (nowhere).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ab-lib.sh"

cleanup() {
	local d
	for d in br0 bond1 bond2; do [ -e /sys/class/net/$d ] && ip link del $d; done
	ab_cleanup
}
# udp_send: send one UDP datagram from a socket with IP_RECVERR (so that a
# local drop is reported); prints "sent" or the errno's name.
udp_send() {
	python3 -c '
import errno, socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_IP, getattr(socket, "IP_RECVERR", 11), 1)
try:
    s.sendto(b"x" * 32, ("192.0.2.9", 9))
    print("sent")
except OSError as e:
    print(errno.errorcode.get(e.errno, e.errno))
'
}
# sa_add: an ESP state offloaded to bond0 (its output, if any).
sa_add() {
	ip xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x100 reqid 1 mode transport \
		aead 'rfc4106(gcm(aes))' 0x0123456789abcdef0123456789abcdef01234567 128 \
		offload dev bond0 dir out 2>&1
}
udp_enobufs() { [ "$(udp_send)" = ENOBUFS ]; }
speed() { ethtool "$1" | sed -n 's/^[[:space:]]*Speed: //p'; }
duplex() { ethtool "$1" | sed -n 's/^[[:space:]]*Duplex: //p'; }
esp() { ethtool -k "$1" | sed -n 's/^esp-hw-offload: //p'; }
FEATURES=$(dirname "$0")/features.expected
# feat DEV: DEV's features as `ethtool -k` lists them (without the header).
feat() { ethtool -k "$1" | tail -n +2; }
# feat_expected NAME: block NAME of features.expected.
feat_expected() { awk -v n="== $1" '$0 == n { f = 1; next } /^== / { f = 0 } f' "$FEATURES"; }

cleanup
modprobe 8021q
make_peers
# veth reports 10000Mb/s full duplex.
require "active-backup bond" make_bond mode=1 miimon=100 primary=eth0
info=$(ethtool -i bond0)
check_match "ethtool -i: driver bonding" $'(^|\n)driver: bonding\n' "$info"
check_match "ethtool -i: firmware-version 2" $'(^|\n)firmware-version: 2\n' "$info"
check_match "ethtool -i: version is the kernel's" $'(^|\n)version: '"$(uname -r)"$'\n' "$info"
check_eq "active-backup: the active slave's speed" 10000Mb/s "$(speed bond0)"
check_eq "active-backup: duplex" Full "$(duplex bond0)"
# veth stamps in software on transmit too; a device without ethtool time
# stamping shows receive stamps only.
check_eq "ethtool -T bond0 shows the active slave's capabilities" \
	"$(ethtool -T eth0 | tail -n +2)" "$(ethtool -T bond0 | tail -n +2)"
check_eq "ethtool bond0: link detected" yes "$(ethtool bond0 | sed -n 's/^[[:space:]]*Link detected: //p')"
check_eq "active-backup from the module's mode: esp-hw-offload on" on "$(esp bond0)"
check_eq "bond0's features over two veths" "$(feat_expected ab-veth)" "$(feat bond0)"
ip link add link bond0 name bond0.10 type vlan id 10
check_eq "a VLAN's features on bond0" "$(feat_expected ab-veth-vlan)" "$(feat bond0.10)"
ip link del bond0.10
ethtool -K eth0 tx off sg off >/dev/null 2>&1
ethtool -K eth1 tx off >/dev/null 2>&1
check_eq "checksums off on both slaves, sg off on eth0: bond0's features" "$(feat_expected ab-veth-notx)" "$(feat bond0)"
ethtool -K eth1 tx on >/dev/null 2>&1
check_eq "checksums on again on eth1: bond0's features" "$(feat_expected ab-veth-eth1-tx)" "$(feat bond0)"
ethtool -K eth0 tx on sg on >/dev/null 2>&1
ip link add br0 type bridge
check "bond0 in a bridge" ip link set bond0 master br0
check_eq "STP port cost of a 10 Gbit/s port" 2 "$(</sys/class/net/bond0/brport/path_cost)"
ip link del br0
ab_cleanup

make_peers
require "balance-xor bond" sh -c "modprobe bonding mode=2 miimon=100 && ip link set eth0 master bond0 && ip link set eth1 master bond0 && ip link set bond0 up"
check "both slaves up" wait_until 10 sh -c "[ \"\$(grep -c 'MII Status: up' /proc/net/bonding/bond0)\" = 3 ]"
check_eq "balance-xor: the sum of the slaves' speeds" 20000Mb/s "$(speed bond0)"
carrier_off 1
check "eth1 down" wait_until 10 mii_is eth1 down
check_eq "balance-xor: a down slave does not count" 10000Mb/s "$(speed bond0)"
carrier_on 1
check "eth1 up again" wait_until 10 mii_is eth1 up
# A current slave only the modes that choose one show; balance-xor keeps one
# for itself (IPsec states go to it: here a slave without the offload, so
# the state falls back to software).
check_eq "balance-xor: no active slave shown (sysfs)" "" "$(<$B/active_slave)"
check_eq "balance-xor: no active slave shown (netlink)" none \
	"$(ip -d -j link show bond0 | jq -r '.[0].linkinfo.info_data.active_slave // "none"')"
check_eq "balance-xor: an SA offload to bond0 falls back to software" \
	"Warning: bonding: Slave does not support ipsec offload." "$(sa_add)"
ip xfrm state flush
check "bond1 (balance-rr) over bond0" sh -c "echo +bond1 > /sys/class/net/bonding_masters && ip link set bond0 down && ip link set bond0 master bond1 && ip link set bond1 up"
check "bond0 up in bond1" wait_until 10 test "$(</sys/class/net/bond1/bonding/slaves)" = bond0
check_eq "a bond of bonds: bond1 sees bond0's speed" 20000Mb/s "$(speed bond1)"
ip link del bond1
# The mode the bond is set up with (the module's) decides the IPsec offload
# features; a later mode change turns them on or off, and so does the mode
# given to `ip link add`.
ip link add bond2 type bond
check_eq "balance-xor from the module's mode: esp-hw-offload off" off "$(esp bond2)"
check "bond2: mode active-backup" ip link set bond2 type bond mode active-backup
check_eq "changed to active-backup: esp-hw-offload on" on "$(esp bond2)"
check_eq "esp-tx-csum-hw-offload on" on "$(ethtool -k bond2 | sed -n 's/^esp-tx-csum-hw-offload: //p')"
check "bond2: mode balance-rr" ip link set bond2 type bond mode balance-rr
check_eq "changed to balance-rr: esp-hw-offload off" off "$(esp bond2)"
ip link del bond2
ip link add bond2 type bond mode active-backup
check_eq "ip link add ... mode active-backup: esp-hw-offload on" on "$(esp bond2)"
ip link del bond2
ab_cleanup

# 802.3ad keeps no current slave: an SA offload to the bond finds no device.
make_peers
modprobe bonding mode=802.3ad miimon=100
ip link set eth0 master bond0
ip link set bond0 up
check "802.3ad: eth0 up" wait_until 10 mii_is eth0 up
check_eq "802.3ad: an SA offload to bond0 fails" "Error: Device failed to offload this state." "$(sa_add)"
ip xfrm state flush
ab_cleanup

# A bond with carrier but no slave to send on (balance-xor without a link
# monitor: the link state stays up, the usable set follows the slave's
# carrier): the send fails with ENOBUFS (NET_XMIT_DROP).
make_peers
modprobe bonding mode=balance-xor
ip link set eth0 master bond0
ip addr add 192.0.2.1/24 dev bond0
ip link set bond0 up
ip neigh replace 192.0.2.9 lladdr 02:00:00:00:01:09 dev bond0 nud permanent
check_eq "UDP send with a usable slave: sent" sent "$(udp_send)"
carrier_off 0
check "eth0 without carrier" wait_until 5 test "$(</sys/class/net/eth0/carrier)" = 0
check_eq "bond0 keeps its carrier (no monitor)" up "$(<$B/mii_status)"
check "UDP send with no usable slave: ENOBUFS" wait_until 5 udp_enobufs

cleanup
tap_done
