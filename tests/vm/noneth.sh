#!/bin/bash
# rbond: parity
# Non-Ethernet slaves: the first slave gives the bond its link-layer type
# (nlmon: "netlink", GRE: "gre", with the GRE tunnel's 4-byte address and
# header ops that build the tunnel's header), kept after the slave leaves
# until an Ethernet slave makes the bond Ethernet again (its flags kept);
# refused with C's errors when the types differ, in 802.3ad, and (setting
# the MAC fails) in balance-rr, where the bond stays Ethernet.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ab-lib.sh"

EINVAL="Invalid argument"
ne_cleanup() {
	local d
	for d in nl0 nl1 gre9 dumab0 eth0 eth1; do
		[ -e /sys/class/net/$d ] && ip link del $d
	done
	ab_cleanup
}
ltype() { ip -j link show dev "$1" | jq -r '.[0].link_type'; }
laddr() { ip -j link show dev "$1" | jq -r '.[0].address'; }
lflags() { ip -j link show dev "$1" | jq -r '.[0].flags | join(",")'; }
ip_err() { ip "$@" 2>&1 >/dev/null | sed 's/^Error: //; s/^RTNETLINK answers: //'; }

ne_cleanup
ip link add nl0 type nlmon
ip link add nl1 type nlmon
ip link add eth0 type veth peer name eth1

require "bonding loads" modprobe bonding mode=active-backup miimon=100
log_mark
check "active-backup: enslave nlmon" ip link set nl0 master bond0
check_log "no MAC setting" "bond0: (slave nl0): The slave device specified does not support setting the MAC address"
check_log_again "fail_over_mac to active" "bond0: (slave nl0): Setting fail_over_mac to active for active-backup mode"
check_eq "bond0 is of nlmon's type" "netlink" "$(ltype bond0)"
check_eq "fail_over_mac active" "active 1" "$(rd $B/fail_over_mac)"
check_eq "a second, Ethernet slave: refused" "Device type is different from other slaves." "$(ip_err link set eth0 master bond0)"
check_eq "nl1 (same type) joins" "" "$(ip_err link set nl1 master bond0)"
check_eq "two slaves" "nl0 nl1" "$(rd $B/slaves)"
check_eq "perm_hwaddr of nlmon: empty" "" "$(rd /sys/class/net/nl0/bonding_slave/perm_hwaddr)"
check "release both" sh -c "ip link set nl0 nomaster && ip link set nl1 nomaster"
check_eq "bond0 keeps the type without slaves" "netlink" "$(ltype bond0)"
check "an Ethernet slave" ip link set eth0 master bond0
check_eq "bond0 is Ethernet again" "ether" "$(ltype bond0)"
check_match "MASTER flag kept" "(^|,)MASTER(,|$)" "$(lflags bond0)"
check_eq "bond0 took eth0's address" "$(laddr eth0)" "$(laddr bond0)"
check "release eth0" ip link set eth0 nomaster

# 802.3ad and balance-rr.
check "bond1 in 802.3ad" ip link add bond1 type bond mode 802.3ad
check_eq "802.3ad: nlmon refused" "8023AD mode requires Ethernet devices." "$(ip_err link set nl0 master bond1)"
check_eq "bond1 stays Ethernet" "ether" "$(ltype bond1)"
check "bond2 in balance-rr" ip link add bond2 type bond mode balance-rr
log_mark
check_eq "balance-rr: nlmon refused (no MAC setting)" "Operation not supported" "$(ip_err link set nl0 master bond2)"
check_log "C's message" "bond2: (slave nl0): Error -95 calling set_mac_address"
check_eq "bond2 is Ethernet again" "ether" "$(ltype bond2)"
check "bond2 up" ip link set bond2 up
check_eq "balance-rr, bond2 up: nlmon refused" "Operation not supported" "$(ip_err link set nl0 master bond2)"
check_eq "bond2 is Ethernet again" "ether" "$(ltype bond2)"
check_eq "and left down, as C" "" "$(ip link show bond2 up)"
check_fails "nl0 is no slave" is_slave nl0

# GRE: the tunnel's address and header ops.
ip link add dumab0 type dummy
ip addr add 10.0.0.1/24 dev dumab0
ip link set dumab0 up
ip link add gre9 type gre local 10.0.0.1
check "active-backup bond3 of a GRE tunnel" sh -c "ip link add bond3 type bond mode active-backup miimon 100 && ip link set gre9 master bond3"
check_eq "bond3 is of GRE's type" "gre" "$(ltype bond3)"
check_eq "bond3 has the tunnel's address" "10.0.0.1" "$(laddr bond3)"
ip addr add 192.168.50.1/24 dev bond3
ip link set bond3 up
bond3_active() { [ -n "$(rd /sys/class/net/bond3/bonding/active_slave)" ]; }
check "bond3 has an active slave" wait_until 10 bond3_active
check_eq "perm_hwaddr: the tunnel's 4 bytes" "0a:00:00:01" "$(rd /sys/class/net/gre9/bonding_slave/perm_hwaddr)"
check_eq "/proc: the tunnel's 4 bytes" "Permanent HW addr: 0a:00:00:01" "$(grep 'Permanent HW addr' /proc/net/bonding/bond3)"
ip neigh replace 192.168.50.2 lladdr 10.0.0.2 dev bond3 nud permanent
ip neigh replace 10.0.0.2 lladdr 02:00:00:00:0a:02 dev dumab0 nud permanent
before=$(rd /sys/class/net/gre9/statistics/tx_packets) dbefore=$(rd /sys/class/net/dumab0/statistics/tx_packets)
ping -c 2 -i 0.2 -W 1 192.168.50.2 >/dev/null 2>&1
after=$(rd /sys/class/net/gre9/statistics/tx_packets) dafter=$(rd /sys/class/net/dumab0/statistics/tx_packets)
check "pings leave through the GRE tunnel ($before -> $after)" test "$after" -ge $((before + 2))
check "and out of dumab0 to the tunnel's remote 10.0.0.2 ($dbefore -> $dafter)" test "$dafter" -ge $((dbefore + 2))
check "delete bond3" ip link del bond3
check_eq "gre9 keeps its type" "gre" "$(ltype gre9)"

ip link del bond1
ip link del bond2
ne_cleanup
tap_done
