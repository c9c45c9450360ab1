#!/bin/bash
# rbond: parity
# Per-slave queue_id: set through bonding/queue_id ("eth1:1") and netlink
# (IFLA_BOND_SLAVE_QUEUE_ID), shown in bonding/queue_id, bonding_slave/,
# /proc and `ip -d link`; refused (EPERM, value unchanged) for malformed
# writes, ids above the bond's queue count, ids another slave has, and
# devices that are not slaves; forgotten when the slave is released.
# Not covered here: the transmit override (a packet mapped to a slave's
# queue id leaves on it). The test kernel has no tc skbedit action and the
# guest one CPU, so nothing can give a packet a nonzero queue mapping.
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

lb_cleanup
tap_done
