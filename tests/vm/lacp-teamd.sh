#!/bin/bash
# rbond: parity
# 802.3ad against an independent LACP implementation: teamd's lacp runner
# (libteam) on the other end of two links. Both ends aggregate both links,
# traffic spreads over them, a cut link leaves and rejoins, a partner that
# stops (teamd killed) takes the ports out of distributing, and with both
# ends passive the first LACPDUs of the mux transitions still start the
# exchange (C's behaviour, asserted on both drivers).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ab-lib.sh"
. "$(dirname "$0")/lb-lib.sh"

P="ip -n peer"
DIST=32
state_of() { rd "/sys/class/net/$1/bonding_slave/ad_actor_oper_port_state"; }
has_bit() { local s; s=$(state_of "$1"); [ "$s" != N/A ] && (( s & $2 )); }
distributing() { has_bit eth0 $DIST && has_bit eth1 $DIST; }
ports_are() { [ "$(<$B/ad_num_ports)" = "$1" ]; }
team_selected() { [ "$(ip netns exec peer teamdctl team0 state item get ports.$1.runner.selected 2>/dev/null)" = true ]; }
both_selected() { team_selected p0 && team_selected p1; }

# teamd ACTIVE: the lacp runner on team0 over p0 and p1 (fast rate).
teamd_start() {
	# teamd's daemon mode needs its run directory; team ports must be down.
	mkdir -p /var/run/teamd
	$P link set p0 down
	$P link set p1 down
	ip netns exec peer teamd -d -c "{\"device\":\"team0\",
		\"runner\":{\"name\":\"lacp\",\"active\":$1,\"fast_rate\":true,
			\"tx_hash\":[\"eth\",\"ipv4\",\"ipv6\",\"l4\"]},
		\"link_watch\":{\"name\":\"ethtool\"},\"ports\":{\"p0\":{},\"p1\":{}}}" || return 1
	wait_until 10 $P link show team0 >/dev/null 2>&1 || return 1
	$P addr add $PEER_IP/24 dev team0 2>/dev/null
	$P link set team0 up
}
teamd_stop() {
	ip netns exec peer teamd -k -t team0 2>/dev/null
	wait_until 10 eval "! $P link show team0 >/dev/null 2>&1"
}
# udp_flows N: N UDP datagrams to the peer, each from another source port.
udp_flows() {
	python3 - "$1" "$PEER_IP" <<-'EOF'
	import socket, sys
	n, dst = int(sys.argv[1]), sys.argv[2]
	for i in range(n):
	    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
	    s.bind(("", 20000 + i))
	    s.sendto(b"x" * 32, (dst, 9))
	    s.close()
	EOF
}

command -v teamd >/dev/null || { echo "1..0 # SKIP teamd not installed"; exit 0; }
lb_peers 2
modprobe bonding max_bonds=0 || exit 1
ip link add bond0 type bond mode 802.3ad lacp_rate fast miimon 100 xmit_hash_policy layer3+4
for i in 0 1; do ip link set eth$i master bond0; done
ip addr add $BOND_IP/24 dev bond0
ip link set bond0 up
check "teamd lacp runner up" teamd_start true

check "bond: both links distributing" wait_until 30 distributing
check "teamd: both ports selected" wait_until 10 both_selected
check_eq "ad_num_ports" "2" "$(<$B/ad_num_ports)"
check_eq "partner MAC is team0's" "$($P -j link show team0 | jq -r '.[0].address')" "$(<$B/ad_partner_mac)"
check "ping over the LAG" ping_ok_eventually
t0=$(tx_of eth0) t1=$(tx_of eth1)
udp_flows 64
d0=$(( $(tx_of eth0) - t0 )) d1=$(( $(tx_of eth1) - t1 ))
check "flows spread over both links ($d0/$d1)" test "$d0" -ge 8 -a "$d1" -ge 8

$P link set p1 down
check "cut link: one port" wait_until 10 ports_are 1
check "ping with one link" ping_ok_eventually
$P link set p1 up
check "rejoined: two ports" wait_until 30 ports_are 2
check "rejoined: distributing" wait_until 30 distributing
check "teamd: rejoined port selected" wait_until 10 both_selected

# teamd stops: its ports leave team0 and go down, so the bond's links go
# down and no port distributes.
teamd_stop
check "partner gone: eth0 out of distributing" wait_until 15 eval '! has_bit eth0 $DIST'
check "partner gone: eth1 out of distributing" wait_until 5 eval '! has_bit eth1 $DIST'

# Both ends passive. As C (and 802.1AX's machines) do, each end still sends
# a LACPDU on its mux transitions (detached, attached), and those start the
# exchange: the ends find each other. (The periodic machine stays off
# only while neither end is active.)
ip link set bond0 down
check "lacp_active off" sh -c "echo off > $B/lacp_active"
ip link set bond0 up
check "teamd passive" teamd_start false
partner_is_team() { [ "$(<$B/ad_partner_mac)" = "$($P -j link show team0 | jq -r '.[0].address')" ]; }
check "passive pair: the ends find each other" wait_until 20 partner_is_team
check "passive pair: teamd selects its port" wait_until 10 team_selected p0
check_eq "passive pair: our ports passive" "0" "$(( $(state_of eth0) & 1 ))"
teamd_stop

lb_cleanup
tap_done
