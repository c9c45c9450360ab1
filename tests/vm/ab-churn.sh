#!/bin/bash
# rbond: parity
# Enslave/release churn: eth1 is enslaved and released 200 times while ping
# traffic flows through the active eth0, alternating blocks of `ip link set
# eth1 master bond0 / nomaster` (one `ip -batch` per block, as an exec costs
# ~0.3 s in the TCG guest) and `echo +eth1 / -eth1 > bonding/slaves`. Then
# the module is removed while traffic flows. The runner checks the kernel
# log (and kmemleak) for problems.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ab-lib.sh"

make_peers
require "bond up" make_bond mode=1 miimon=100 primary=eth0
check "eth0 active" wait_until 10 active_is eth0
check "peer reachable" ping_ok_eventually

out=/tmp/ab-churn-ping.$$
ping -n -i 0.1 -W 1 $PEER_IP > $out 2>&1 &
BG_PIDS=$!

ip link set eth1 nomaster
cycles=0 errors=0
batch=$(for i in {1..10}; do echo "link set eth1 master bond0"; echo "link set eth1 nomaster"; done)
for block in {1..10}; do
	ip -b - <<< "$batch" || errors=$((errors + 1))
	cycles=$((cycles + 10))
	for i in {1..10}; do
		echo +eth1 > $B/slaves || errors=$((errors + 1))
		echo -eth1 > $B/slaves || errors=$((errors + 1))
		cycles=$((cycles + 1))
	done
done
check_eq "200 enslave/release cycles" "200" "$cycles"
check_eq "no command failed" "0" "$errors"
check_eq "only eth0 left" "eth0" "$(<$B/slaves)"
check_eq "eth0 still active" "eth0" "$(active)"
check_eq "eth1 has its own MAC back" "$MAC1" "$(mac eth1)"
check_eq "eth0 never failed" "0" "$(slave_attr eth0 link_failure_count)"

kill -INT $BG_PIDS
wait $BG_PIDS
BG_PIDS=
stats=$(grep -E '^[0-9]+ packets transmitted' $out)
sent=$(sed -E 's/^([0-9]+) packets transmitted.*/\1/' <<< "$stats")
rcvd=$(sed -E 's/.* ([0-9]+) received.*/\1/' <<< "$stats")
check "pings were sent ($sent)" test "${sent:-0}" -ge 20
check "at least 90% answered during the churn ($rcvd of $sent)" test $((${rcvd:-0} * 10)) -ge $((${sent:-0} * 9))

# Remove the module while traffic flows through the bond (two slaves).
check "enslave eth1 again" ip link set eth1 master bond0
check "eth1 MII up" wait_until 10 mii_is eth1 up
ping -n -i 0.05 -W 1 $PEER_IP > $out 2>&1 &
BG_PIDS=$!
snooze 1
check "rmmod while traffic flows" modprobe -r bonding
check_fails "module gone" module_loaded
check_fails "bond0 gone" link_exists bond0
check_fails "eth0 no longer a slave" is_slave eth0
check_fails "eth1 no longer a slave" is_slave eth1
check_eq "eth0 MAC" "$MAC0" "$(mac eth0)"
check_eq "eth1 MAC" "$MAC1" "$(mac eth1)"
rm -f $out

ab_cleanup
tap_done
