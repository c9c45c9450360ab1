#!/bin/bash
# rbond: parity
# netpoll through the bond (netconsole over bond0), on dummy slaves (they
# count what netpoll hands them): messages leave on the active slave and
# follow a failover in active-backup, and leave in balance-rr and
# balance-alb; slaves enslaved and released while netconsole is attached;
# a slave that cannot do netpoll (veth) is refused with EBUSY and C's
# message; netconsole refuses an enslaved device, stops when its device
# joins a bond (NETDEV_JOIN), and the bond can be deleted under it. The
# upstream netcons_over_bonding runs the receiving side (on the kernel
# without debug checkers: its listener waits only 3 s); this test runs on
# the checked kernel, so lockdep and the RCU checks see netpoll's context.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ab-lib.sh"

EBUSY="Device or resource busy"
NC=/sys/kernel/config/netconsole/rbond

np_cleanup() {
	[ -d $NC ] && { echo 0 > $NC/enabled; rmdir $NC; } 2>/dev/null
	local d
	for d in dumab0 dumab1 dumab2 eth9 eth9p; do
		[ -e /sys/class/net/$d ] && ip link del $d
	done
	ab_cleanup
	modprobe -r netconsole 2>/dev/null
	true
}

# nc_on DEV: netconsole's target "rbond" sends through DEV.
nc_on() {
	[ -d $NC ] || mkdir $NC || return 1
	echo 0 > $NC/enabled
	echo "$1" > $NC/dev_name && echo 192.0.2.1 > $NC/local_ip &&
		echo 192.0.2.2 > $NC/remote_ip && echo 1 > $NC/enabled
}
nc_off() { echo 0 > $NC/enabled; }
nc_enabled() { rd $NC/enabled; }
tx() { rd /sys/class/net/$1/statistics/tx_packets; }
# say N: log N emergency messages (they pass the console log level, so
# netconsole sends each as one UDP packet).
say() {
	local i
	for ((i = 1; i <= $1; i++)); do echo "<0>rbond netpoll test $i" > /dev/kmsg; done
}
# sent_on N DEV... : after `say N`, the dummies DEV... together took N more
# packets (polled: netconsole may send from its own thread).
declare -A TX0
mark_tx() { local d; for d in dumab0 dumab1 dumab2; do [ -e /sys/class/net/$d ] && TX0[$d]=$(tx $d); done; true; }
delta() { echo $(($(tx "$1") - ${TX0[$1]})); }
sum_delta() { local d n=0; for d in "$@"; do n=$((n + $(delta $d))); done; echo $n; }
sent_on() { local n=$1; shift; [ "$(sum_delta "$@")" -ge "$n" ]; }

# bond_dummies MODE: bond0 in MODE over dumab0 and dumab1 (no address:
# nothing but netconsole transmits on it).
bond_dummies() {
	local i
	modprobe bonding mode="$1" miimon=100 || return 1
	sysctl -qw net.ipv6.conf.bond0.disable_ipv6=1 || return 1
	for i in 0 1; do
		ip link add dumab$i type dummy || return 1
		ip link set dumab$i master bond0 || return 1
	done
	ip link set bond0 up && wait_until 10 mii_is dumab0 up && wait_until 10 mii_is dumab1 up
}

np_cleanup
modprobe netconsole || { echo "1..0 # SKIP no netconsole"; exit 0; }
mountpoint -q /sys/kernel/config || mount -t configfs none /sys/kernel/config

# active-backup: the active slave carries the messages, then the new one.
require "active-backup bond over dummies" bond_dummies active-backup
check "active slave dumab0" wait_until 10 active_is dumab0
log_mark
check "netconsole on bond0" nc_on bond0
check_eq "netconsole enabled" "1" "$(nc_enabled)"
mark_tx
say 3
check "3 messages on dumab0" wait_until 10 sent_on 3 dumab0
check_eq "none on the backup dumab1" "0" "$(delta dumab1)"
check "dumab0 carrier off" ip link set dumab0 carrier off
check "failover to dumab1" wait_until 10 active_is dumab1
mark_tx
say 3
check "3 messages on dumab1 after the failover" wait_until 10 sent_on 3 dumab1
check_eq "none on dumab0" "0" "$(delta dumab0)"
check "dumab0 carrier on" ip link set dumab0 carrier on
check "dumab0 up again" wait_until 10 mii_is dumab0 up

# Slaves come and go under netconsole.
check "enslave dumab2 under netconsole" sh -c "ip link add dumab2 type dummy && ip link set dumab2 master bond0"
check_eq "netconsole still enabled" "1" "$(nc_enabled)"
check "release dumab2" ip link set dumab2 nomaster
check "release dumab1 (the active slave)" ip link set dumab1 nomaster
check "active slave dumab0" wait_until 10 active_is dumab0
mark_tx
say 2
check "2 messages on dumab0" wait_until 10 sent_on 2 dumab0
check "enslave dumab1 again" ip link set dumab1 master bond0
check_eq "netconsole still enabled" "1" "$(nc_enabled)"

# A slave that cannot do netpoll (veth: IFF_DISABLE_NETPOLL).
ip link add eth9 type veth peer name eth9p
log_mark
check_eq "enslaving a veth: EBUSY" "$EBUSY" "$(ip link set eth9 master bond0 2>&1 | sed 's/.*: //')"
check_log "C's message" "bond0: (slave eth9): master_dev is using netpoll, but new slave device does not support netpoll"
check_fails "eth9 is no slave" is_slave eth9
check_eq "bond0 keeps two slaves" "dumab0 dumab1" "$(rd $B/slaves)"

# netconsole on a slave is refused; a device with netconsole that joins
# the bond stops it.
check "netconsole off" nc_off
check_fails "netconsole on the slave dumab0 refused" nc_on dumab0
check_eq "netconsole not enabled" "0" "$(nc_enabled)"
check "netconsole on dumab2" nc_on dumab2
log_mark
check "dumab2 down, joins bond0" sh -c "ip link set dumab2 down && ip link set dumab2 master bond0"
check_log "netconsole stops (NETDEV_JOIN)" "netconsole: network logging stopped on interface dumab2 as it is joining a master device"
check_eq "netconsole disabled" "0" "$(nc_enabled)"
check "release dumab2" ip link set dumab2 nomaster

# Deleting the bond under netconsole.
check "netconsole on bond0 again" nc_on bond0
log_mark
check "delete bond0" ip link del bond0
check_log "netconsole lets go of bond0" "netconsole: network logging stopped on interface bond0 as it unregistered"
unload

# The load-balancing engines under netpoll (balance-alb takes its tables'
# lock from netpoll's context).
for mode in balance-rr balance-alb; do
	np_cleanup
	modprobe netconsole
	require "$mode bond over dummies" bond_dummies $mode
	check "$mode: netconsole on bond0" nc_on bond0
	mark_tx
	say 4
	check "$mode: 4 messages on the slaves" wait_until 10 sent_on 4 dumab0 dumab1
	if [ $mode = balance-rr ]; then
		# A slave enslaved under netconsole gets its netpoll and its turn.
		check "balance-rr: enslave dumab2 under netconsole" sh -c "ip link add dumab2 type dummy && ip link set dumab2 master bond0"
		mark_tx
		say 6
		check "balance-rr: 6 messages over three slaves" wait_until 10 sent_on 6 dumab0 dumab1 dumab2
		check "balance-rr: dumab2 took its share ($(delta dumab2))" test "$(delta dumab2)" -ge 1
		# A refused veth keeps nothing of the bond (its address lists).
		ip link add eth9 type veth peer name eth9p
		check_eq "balance-rr: enslaving a veth: EBUSY" "$EBUSY" "$(ip link set eth9 master bond0 2>&1 | sed 's/.*: //')"
		check_match "balance-rr: bond0 has the IPv4 all-hosts group" "01:00:5e:00:00:01" "$(ip maddr show dev bond0)"
		check_eq "balance-rr: the veth's multicast list untouched" "33:33:00:00:00:01" "$(ip maddr show dev eth9 | awk '/link/ { print $2 }')"
		check_eq "balance-rr: the veth is down" "" "$(ip link show eth9 up)"
	fi
	check "$mode: netconsole off" nc_off
done

np_cleanup
tap_done
