#!/bin/bash
# Releasing a slave when memory runs out (rbond only: the fault point is
# rbond's, debugfs fail_rbond_slave_list): the lists that transmit and the
# sysfs/proc readers see are rebuilt without allocating, so the released
# slave leaves them all the same, its device can be deleted, traffic goes
# on over the other slaves, and the driver unloads.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ab-lib.sh"
. "$(dirname "$0")/lb-lib.sh"

F=/sys/kernel/debug/fail_rbond_slave_list
# fail_next N: the next N slave-list allocations fail.
fail_next() {
	echo 0 > $F/verbose
	echo 100 > $F/probability
	echo 1 > $F/interval
	echo "$1" > $F/times
}

for mode in balance-xor broadcast; do
	lb_peers 3
	require "$mode bond over eth0..eth2" lb_bond mode=$mode
	require "the fault point exists" test -d $F
	# balance-xor rebuilds two lists on release (all slaves, usable ones),
	# broadcast one.
	if [ $mode = broadcast ]; then fail_next 1; else fail_next 2; fi
	check "$mode: release eth1 while the list cannot be allocated" ip link set eth1 nomaster
	check_eq "$mode: the fault point fired" 0 "$(<$F/times)"
	check_eq "$mode: sysfs lists eth0 and eth2" "eth0 eth2" "$(<$B/slaves)"
	check_eq "$mode: /proc lists two slaves" 2 "$(grep -c '^Slave Interface:' /proc/net/bonding/bond0)"
	read -r d0 d1 d2 < <($FLOWS --slaves eth0,eth1,eth2 burst 20)
	check "$mode: traffic goes on without eth1 ($d0 $d1 $d2)" test "$((d0 + d2))" -ge 20 -a "$d1" = 0
	within 15 "$mode: the released eth1 can be deleted" ip link del eth1
	within 20 "$mode: the driver unloads" modprobe -r bonding
	lb_cleanup
done
tap_done
