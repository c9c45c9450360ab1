#!/bin/bash
# rbond: parity
# balance-rr: packets go to the slaves in turn, packets_per_slave at a time
# (0: a random slave each time); IGMP membership reports leave on the
# current active slave only; a slave without carrier is skipped at once;
# with no usable slave, packets are dropped and counted.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ab-lib.sh"
. "$(dirname "$0")/lb-lib.sh"

# runs SEQ: the lengths of the runs of equal slaves in SEQ ("a a b" -> "2 1").
runs() { awk '{ n = 1; for (i = 2; i <= NF; i++) { if ($i == $(i-1)) n++; else { printf "%d ", n; n = 1 } } printf "%d\n", n }' <<< "$1"; }
# inner_runs SEQ: the run lengths without the first and the last run (which
# may be cut short by where the counter happened to be).
inner_runs() { runs "$1" | awk '{ for (i = 2; i < NF; i++) printf "%s ", $i; print "" }'; }
# seq_ok PPS N: N packets sent one at a time move in runs of exactly PPS
# over eth0 and eth1 (one retry: a stray packet of the stack's own, such
# as an IPv6 report, also advances the counter).
seq_ok() {
	local i s inner
	for i in 1 2; do
		s=$($FLOWS --slaves "$LB_SLAVES" seq "$2")
		inner=$(inner_runs "$s")
		[[ $s != *"?"* ]] && [ "$(wc -w <<< "$inner")" -ge $(($2 / $1 - 2)) ] &&
			[ -z "$(tr ' ' '\n' <<< "$inner" | grep -vx "$1" | grep .)" ] && return 0
	done
	echo "sequence: $s"; echo "runs: $(runs "$s")"
	return 1
}

lb_peers 2
require "balance-rr bond up" lb_bond mode=balance-rr miimon=100
check_eq "mode" "balance-rr 0" "$(<$B/mode)"
check_eq "packets_per_slave default" "1" "$(<$B/packets_per_slave)"
check_eq "both slaves active" "active active" "$(slave_attr eth0 state) $(slave_attr eth1 state)"
check "one packet per slave in turn" seq_ok 1 12
check "packets_per_slave 3" sh -c "echo 3 > $B/packets_per_slave"
check_eq "packets_per_slave reads 3" "3" "$(<$B/packets_per_slave)"
check "three packets per slave in turn" seq_ok 3 18
check "packets_per_slave 0 through ip link" ip link set bond0 type bond packets_per_slave 0
nl_snap bond0
check_eq "ip -d link shows packets_per_slave 0" "0" "${NL[packets_per_slave]}"
read -r d0 d1 <<< "$($FLOWS --slaves "$LB_SLAVES" burst 64)"
check "random slaves: both used ($d0 $d1)" test "$d0" -gt 0 -a "$d1" -gt 0
check "packets_per_slave 1" sh -c "echo 1 > $B/packets_per_slave"

# IGMP reports go out on the current active slave (the first up slave).
read -r d0 d1 <<< "$($FLOWS --slaves "$LB_SLAVES" igmp)"
check "IGMP reports on eth0 only ($d0 $d1)" test "$d0" -gt 0 -a "$d1" -eq 0

# Carrier loss: the slave is skipped at once.
log_mark
carrier_off 0
check "eth0 MII down" wait_until 5 mii_is eth0 down
check_log "eth0 down" "bond0: (slave eth0): link status definitely down, disabling slave"
check_eq "eth0 stays an active slave (C: only the link state changes)" "active" "$(slave_attr eth0 state)"
read -r d0 d1 <<< "$($FLOWS --slaves "$LB_SLAVES" burst 20)"
check "all on eth1 ($d0 $d1)" test "$d0" -eq 0 -a "$d1" -ge 20
carrier_on 0
check "eth0 MII up" wait_until 5 mii_is eth0 up
read -r d0 d1 <<< "$($FLOWS --slaves "$LB_SLAVES" burst 20)"
check "both used again ($d0 $d1)" test "$d0" -ge 9 -a "$d1" -ge 9
no_slave_drops
check_match "/proc: mode" "Bonding Mode: load balancing \(round-robin\)" "$(cat /proc/net/bonding/bond0)"
lb_cleanup
tap_done
