#!/bin/bash
# rbond: parity
# Per-slave queue_id: set through bonding/queue_id ("eth1:1") and netlink
# (IFLA_BOND_SLAVE_QUEUE_ID), shown in bonding/queue_id, bonding_slave/,
# /proc and `ip -d link`; refused (EPERM, value unchanged) for malformed
# writes, ids above the bond's queue count, ids another slave has, and
# devices that are not slaves; forgotten when the slave is released. The
# transmit override in active-backup and balance-rr: a packet that a tc rule
# on bond0 (skbedit queue_mapping) maps to a slave's queue id leaves on that
# slave, a backup one included; other packets, packets mapped to an id no
# slave has, and packets for a slave that is down keep to the mode's choice.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ab-lib.sh"
. "$(dirname "$0")/lb-lib.sh"

EPERM="Operation not permitted"
Q=$B/queue_id

# bond_up MODE [PARAMS]: a bond of eth0 and eth1 in MODE, no addresses.
bond_up() {
	modprobe bonding mode="$1" miimon=100 "${@:2}" || return 1
	ip -b - <<-EOF || return 1
	link set eth0 master bond0
	link set eth1 master bond0
	link set bond0 up
	EOF
	wait_until 10 mii_is eth0 up && wait_until 10 mii_is eth1 up
}

lb_peers 2
require "active-backup bond up" bond_up active-backup
wait_until 10 active_is eth0
check_eq "queue_id lists both slaves at 0" "eth0:0 eth1:0" "$(<$Q)"
check "sysfs: eth1:1" sh -c "echo eth1:1 > $Q"
check_eq "queue_id reads eth1:1" "eth0:0 eth1:1" "$(<$Q)"
check_eq "bonding_slave/queue_id of eth1" "1" "$(slave_attr eth1 queue_id)"
check_eq "/proc: each slave's queue id" "Slave queue ID: 0
Slave queue ID: 1" "$(grep 'Slave queue ID' /proc/net/bonding/bond0)"
check "netlink: eth0 queue_id 2" ip link set eth0 type bond_slave queue_id 2
nl_snap eth0
check_eq "ip -d link shows queue_id 2" "2" "${NL[queue_id]}"
check_eq "queue_id reads eth0:2 eth1:1" "eth0:2 eth1:1" "$(<$Q)"

# Refusals: EPERM, nothing changes.
check_opt_err "an id eth1 has" $Q eth0:1 "$EPERM"
check_opt_err "no colon" $Q eth0 "$EPERM"
check_opt_err "no id" $Q eth0: "$EPERM"
check_opt_err "a sign" $Q eth0:+3 "$EPERM"
check_opt_err "not a number" $Q eth0:x "$EPERM"
check_opt_err "above the 16 queues" $Q eth0:17 "$EPERM"
check_opt_err "negative (65535)" $Q eth0:-1 "$EPERM"
check_opt_err "unknown device" $Q nosuch:3 "$EPERM"
check_opt_err "not a slave" $Q lo:3 "$EPERM"
check_opt_err "invalid name" $Q "a/b:3" "$EPERM"
check_fails "netlink: an id eth1 has" ip link set eth0 type bond_slave queue_id 1
check_eq "queue_id unchanged" "eth0:2 eth1:1" "$(<$Q)"
# As C: the id may equal the queue count; digits end at the first non-digit
# and the value keeps 16 bits.
check "eth0:16 (the queue count)" sh -c "echo eth0:16 > $Q"
check "eth0:3abc" sh -c "echo eth0:3abc > $Q"
check_eq "eth0 reads 3" "3" "$(slave_attr eth0 queue_id)"
check "eth0:65540 keeps 16 bits (4)" sh -c "echo eth0:65540 > $Q"
check_eq "eth0 reads 4" "4" "$(slave_attr eth0 queue_id)"
check "two slaves may share 0" sh -c "echo eth0:0 > $Q"

# A released slave forgets its id.
check "eth1:5" sh -c "echo eth1:5 > $Q"
check "release eth1" ip link set eth1 nomaster
check "enslave eth1 again" ip link set eth1 master bond0
check_eq "eth1 back at 0" "eth0:0 eth1:0" "$(<$Q)"

# The range follows the bond's queue count (tx_queues).
unload
require "tx_queues=4 bond up" bond_up active-backup tx_queues=4
check_opt_err "above the 4 queues" $Q eth0:5 "$EPERM"
check "eth0:4" sh -c "echo eth0:4 > $Q"
check_eq "eth0 reads 4" "4" "$(slave_attr eth0 queue_id)"

# The transmit override.
txp() { cat /sys/class/net/"$1"/statistics/tx_packets; }
# sent_on DST: send 5 pings to DST; print the packets eth0 and eth1 sent.
sent_on() {
	local a0 a1
	a0=$(txp eth0) a1=$(txp eth1)
	# No neighbour answers: wait for none.
	ping -q -n -c 5 -i 0.01 -W 0.01 "$1" >/dev/null 2>&1
	echo "eth0+$(($(txp eth0) - a0)) eth1+$(($(txp eth1) - a1))"
}
# mapped_setup: bond0 at 192.0.2.1 with two silent neighbours, a tc rule
# giving packets to 192.0.2.9 queue mapping 2, and eth1 at queue id 2.
mapped_setup() {
	sysctl -qw net.ipv6.conf.bond0.disable_ipv6=1 &&
	ip addr add 192.0.2.1/24 dev bond0 &&
	ip neigh replace 192.0.2.9 lladdr 02:00:00:00:01:09 dev bond0 nud permanent &&
	ip neigh replace 192.0.2.8 lladdr 02:00:00:00:01:08 dev bond0 nud permanent &&
	tc qdisc add dev bond0 clsact &&
	tc filter add dev bond0 egress protocol ip flower dst_ip 192.0.2.9 \
		action skbedit queue_mapping 2 &&
	echo eth1:2 > $Q
}
unload
# No IPv6 chatter on the slaves: the counts below are exact.
sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1 net.ipv6.conf.eth1.disable_ipv6=1
require "active-backup bond up" bond_up active-backup
wait_until 10 active_is eth0
require "a tc rule maps 192.0.2.9 to queue 2, eth1 has queue id 2" mapped_setup
check_eq "active-backup: mapped packets leave on the backup eth1" "eth0+0 eth1+5" "$(sent_on 192.0.2.9)"
check_eq "active-backup: other packets on the active eth0" "eth0+5 eth1+0" "$(sent_on 192.0.2.8)"
check "eth1 back at queue id 0" sh -c "echo eth1:0 > $Q"
check_eq "no slave at the mapped id: the active eth0" "eth0+5 eth1+0" "$(sent_on 192.0.2.9)"
check "eth0 at queue id 2" sh -c "echo eth0:2 > $Q"
check_eq "the active eth0 at the mapped id" "eth0+5 eth1+0" "$(sent_on 192.0.2.9)"
unload
require "balance-rr bond up" bond_up balance-rr
require "the same rule and queue id" mapped_setup
check_eq "balance-rr: mapped packets all on eth1" "eth0+0 eth1+5" "$(sent_on 192.0.2.9)"
check_eq "balance-rr: other packets on both" "eth0+3 eth1+2" "$(sent_on 192.0.2.8 | sed 's/eth0+2 eth1+3/eth0+3 eth1+2/')"
carrier_off 1
check "eth1 down" wait_until 10 mii_is eth1 down
check_eq "the mapped slave down: the mode's choice" "eth0+5 eth1+0" "$(sent_on 192.0.2.9)"
carrier_on 1
check "eth1 up again" wait_until 10 mii_is eth1 up
unload
require "balance-xor bond up" bond_up balance-xor
require "the same rule and queue id" mapped_setup
# The flow to 192.0.2.9 hashes to one slave whichever slave has the
# mapped id.
r1=$(sent_on 192.0.2.9)
check_match "balance-xor: the flow on one slave" "^(eth0\+5 eth1\+0|eth0\+0 eth1\+5)$" "$r1"
check "eth0 at queue id 2, eth1 at 0" sh -c "echo eth1:0 > $Q && echo eth0:2 > $Q"
check_eq "balance-xor: no override (the same slave)" "$r1" "$(sent_on 192.0.2.9)"

lb_cleanup
tap_done
