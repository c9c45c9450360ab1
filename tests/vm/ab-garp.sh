#!/bin/bash
# rbond: parity
# Peer notification after failover: num_grat_arp (alias num_unsol_na) and
# peer_notif_delay. tcpdump on the new active slave's peer counts the
# gratuitous ARPs (who-has BOND_IP tell BOND_IP) and unsolicited neighbour
# advertisements from bond0's MAC.
#
# C: the first notification goes out at the failover itself, the others on
# the following MII monitor passes, one every peer_notif_delay (rounded to
# miimon ticks); num_grat_arp=0 sends none.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ab-lib.sh"

CAP=/tmp/ab-garp.$$
# capture_start PEERDEV: start tcpdump on PEERDEV in the peer namespace.
capture_start() {
	rm -f $CAP.out $CAP.err
	ip netns exec peer tcpdump -i "$1" -n -e -l -tt "ether src $MAC0 and (arp or icmp6)" \
		> $CAP.out 2> $CAP.err &
	BG_PIDS=$!
	wait_until 20 grep -q "listening on" $CAP.err
}
capture_stop() {
	kill -INT $BG_PIDS 2>/dev/null
	wait $BG_PIDS 2>/dev/null
	BG_PIDS=
}
garps() { grep -c "Request who-has $BOND_IP tell $BOND_IP," $CAP.out; }
unsol_nas() { grep -c "neighbor advertisement, tgt is 2001:db8::1," $CAP.out; }
# failover_capture: with eth0 active, drop eth0's carrier while capturing
# on p1; wait for eth1 to take over, then let notifications go out for a
# while (2 s: 20 MII passes).
failover_capture() {
	capture_start p1 || return 1
	carrier_off 0
	wait_until 10 active_is eth1 || return 1
	snooze 2
	capture_stop
}
failback() {
	carrier_on 0
	wait_until 10 active_is eth0
}

make_peers
require "bond up" make_bond mode=1 miimon=100 primary=eth0
ip addr add 2001:db8::1/64 dev bond0 nodad
check "peer reachable" ping_ok_eventually

check_eq "num_grat_arp default" "1" "$(<$B/num_grat_arp)"
check_eq "num_unsol_na default" "1" "$(<$B/num_unsol_na)"
check_eq "peer_notif_delay default" "0" "$(<$B/peer_notif_delay)"
nl_snap bond0
check_eq "ip -d: num_peer_notif" "1" "${NL[num_peer_notif]}"
check_eq "ip -d: peer_notify_delay" "0" "${NL[peer_notify_delay]}"

check "failover with the defaults" failover_capture
check_eq "one gratuitous ARP on p1" "1" "$(garps)"
check_eq "one unsolicited NA on p1" "1" "$(unsol_nas)"
check "failback" failback

check "num_grat_arp 3 through sysfs" sh -c "echo 3 > $B/num_grat_arp"
check_eq "num_unsol_na is the same option" "3" "$(<$B/num_unsol_na)"
check "failover with num_grat_arp 3" failover_capture
check_eq "three gratuitous ARPs" "3" "$(garps)"
check_eq "three unsolicited NAs" "3" "$(unsol_nas)"
check "failback" failback

# Spacing: 2 notifications with peer_notif_delay 300 (3 ticks). C sends the
# second one only 2 ticks after the first: the failover's MII pass
# decrements the counter twice (once in bond_change_active_slave, once at
# the end of bond_mii_monitor). So only a coarse lower bound of 1.5 ticks.
check "num_unsol_na 2 through sysfs" sh -c "echo 2 > $B/num_unsol_na"
check_eq "num_grat_arp reads 2" "2" "$(<$B/num_grat_arp)"
check "peer_notify_delay 300 through ip link" ip link set bond0 type bond peer_notify_delay 300
check_eq "peer_notif_delay reads 300" "300" "$(<$B/peer_notif_delay)"
check "/proc shows the delay" grep -qx "Peer Notification Delay (ms): 300" /proc/net/bonding/bond0
check "failover with peer_notif_delay 300" failover_capture
check_eq "two gratuitous ARPs" "2" "$(garps)"
times=$(grep "Request who-has $BOND_IP tell $BOND_IP," $CAP.out | cut -d' ' -f1 | tr '\n' ' ')
gap=$(awk '{ printf "%d", ($2 - $1) * 1000 }' <<< "$times")
check "spaced by 2 ticks or more (${gap} ms)" test "${gap:-0}" -ge 150
check "failback" failback

check "num_grat_arp 0 through ip link" ip link set bond0 type bond num_grat_arp 0
check_eq "num_grat_arp reads 0" "0" "$(<$B/num_grat_arp)"
check "failover with num_grat_arp 0" failover_capture
check_eq "no gratuitous ARP" "0" "$(garps)"
check_eq "no unsolicited NA" "0" "$(unsol_nas)"
check "failback" failback
check "ping still fine" ping_ok 3

rm -f $CAP.out $CAP.err
ab_cleanup
tap_done
