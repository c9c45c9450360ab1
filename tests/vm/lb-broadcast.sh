#!/bin/bash
# rbond: parity
# broadcast: every packet leaves on every slave that is up; a slave without
# carrier gets none; with no slave up, packets are dropped and counted.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ab-lib.sh"
. "$(dirname "$0")/lb-lib.sh"

lb_peers 3
require "broadcast bond of 3 slaves up" lb_bond mode=broadcast miimon=100
check_eq "mode" "broadcast 3" "$(<$B/mode)"
read -r d0 d1 d2 <<< "$($FLOWS --slaves "$LB_SLAVES" burst 10)"
check "10 packets on each slave ($d0 $d1 $d2)" test "$d0" -ge 10 -a "$d1" -ge 10 -a "$d2" -ge 10
check "no more than a stray one besides" test "$d0" -le 11 -a "$d1" -le 11 -a "$d2" -le 11
carrier_off 1
check "eth1 MII down" wait_until 5 mii_is eth1 down
read -r d0 d1 d2 <<< "$($FLOWS --slaves "$LB_SLAVES" burst 10)"
check "eth0 and eth2 only ($d0 $d1 $d2)" test "$d0" -ge 10 -a "$d1" -eq 0 -a "$d2" -ge 10
carrier_off 2
check "eth2 MII down" wait_until 5 mii_is eth2 down
read -r d0 d1 d2 <<< "$($FLOWS --slaves "$LB_SLAVES" burst 10)"
check "eth0 only (the last slave is down) ($d0 $d1 $d2)" test "$d0" -ge 10 -a "$d1" -eq 0 -a "$d2" -eq 0
no_slave_drops
check_match "/proc: mode" "Bonding Mode: fault-tolerance \(broadcast\)" "$(cat /proc/net/bonding/bond0)"
lb_cleanup
tap_done
