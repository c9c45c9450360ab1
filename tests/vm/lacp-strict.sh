#!/bin/bash
# rbond: parity
# The netlink-only 802.3ad options (Debian 12's iproute2 6.1 knows none of
# them, so tests/vm/bond-nl.py sends and reads the attributes): lacp_strict
# decides the carrier when no port negotiated (off: the bond keeps carrier
# while min_links links are up, on: only ports that collect and distribute
# count), as upstream's bond_lacp_strict checks it (partner links cut,
# partner silent, both modes, the mode switched on a live bond);
# broadcast_neighbor sends ARP on every port; coupled_control off still
# aggregates; each refuses what C refuses with C's errno, extack and log.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ab-lib.sh"
. "$(dirname "$0")/lb-lib.sh"

P="ip -n peer"
NLB="python3 $(dirname "$0")/bond-nl.py"
DIST=32

state_of() { rd "/sys/class/net/$1/bonding_slave/ad_actor_oper_port_state"; }
distributing() { local s; s=$(state_of "$1"); [ "$s" != N/A ] && ((s & DIST)); }
both_dist() { distributing eth0 && distributing eth1; }
neither_dist() { ! distributing eth0 && ! distributing eth1; }
carrier_is() { [ "$(</sys/class/net/bond0/carrier)" = "$1" ]; }
# silence P...: the partner's LACPDUs on P... dropped; speak P...: back.
silence() { local p; for p in "$@"; do
	$P link set "$p" down # the partner's port forgets what it had
	tc -n peer qdisc add dev "$p" clsact
	tc -n peer filter add dev "$p" egress protocol 0x8809 matchall action drop
	$P link set "$p" up
done; }
speak() { local p; for p in "$@"; do tc -n peer qdisc del dev "$p" clsact; done; }
cut() { local p; for p in "$@"; do $P link set "$p" down; done; }
mend() { local p; for p in "$@"; do $P link set "$p" up; done; }
strict() { $NLB bond0 lacp_strict "$1"; }
T0=$(now_ms)
phase() { echo "# $1 at $(($(now_ms) - T0)) ms"; }

lb_peers 2
modprobe bonding max_bonds=0 || exit 1
ip link add bond0 type bond mode 802.3ad lacp_rate fast miimon 100 min_links 1
$P link add bond0 type bond mode 802.3ad lacp_rate fast miimon 100 min_links 1
for i in 0 1; do
	ip link set eth$i master bond0
	$P link set p$i down
	$P link set p$i master bond0
done
ip addr add $BOND_IP/24 dev bond0
$P addr add $PEER_IP/24 dev bond0
ip link set bond0 up
$P link set bond0 up

check_eq "lacp_strict default off" "0" "$($NLB get bond0 lacp_strict)"
check_eq "broadcast_neighbor default off" "0" "$($NLB get bond0 broadcast_neighbor)"
check_eq "coupled_control default on" "1" "$($NLB get bond0 coupled_control)"
require "both links distributing" wait_until 20 both_dist
phase converged

# bond_lacp_strict's sequence, with lacp_strict off, then on.
for mode in 0 1; do
	check_eq "lacp_strict $mode" "ok" "$(strict $mode)"
	check_eq "lacp_strict $mode reads back" "$mode" "$($NLB get bond0 lacp_strict)"
	check "strict=$mode: both up, carrier" wait_until 5 carrier_is 1
	cut p0
	check "strict=$mode: p0 cut, eth0 leaves" wait_until 10 eval '! distributing eth0'
	check "strict=$mode: eth1 distributes" distributing eth1
	check "strict=$mode: carrier with eth1" carrier_is 1
	cut p1
	check "strict=$mode: both cut, no carrier (min_links)" wait_until 10 carrier_is 0
	mend p0
	check "strict=$mode: p0 back, eth0 distributes" wait_until 20 distributing eth0
	check "strict=$mode: carrier with eth0" wait_until 5 carrier_is 1
	mend p1
	check "strict=$mode: both back" wait_until 20 both_dist
	silence p0
	check "strict=$mode: p0 silent, eth0 leaves" wait_until 15 eval '! distributing eth0'
	check "strict=$mode: eth1 still distributes" distributing eth1
	check "strict=$mode: carrier with eth1" carrier_is 1
	silence p1
	check "strict=$mode: both silent, neither distributes" wait_until 15 neither_dist
	if [ $mode = 0 ]; then
		snooze 1
		check "strict=0: both silent, carrier kept (fallback)" carrier_is 1
		check_eq "switch to lacp_strict on" "ok" "$(strict 1)"
		check "strict=1 on a live bond: carrier off" wait_until 5 carrier_is 0
		check_eq "switch back to off" "ok" "$(strict 0)"
		check "strict=0 again: carrier back" wait_until 5 carrier_is 1
	else
		check "strict=1: both silent, no carrier" wait_until 5 carrier_is 0
	fi
	speak p0
	check "strict=$mode: p0 speaks again, eth0 distributes" wait_until 20 distributing eth0
	check "strict=$mode: eth1 still silent" eval '! distributing eth1'
	check "strict=$mode: carrier" wait_until 5 carrier_is 1
	speak p1
	check "strict=$mode: both speak, both distribute" wait_until 20 both_dist
	phase "lacp_strict $mode done"
done

# broadcast_neighbor: an ARP request leaves on one port without it, on both
# ports with it (counted at the partner's ports' ingress; a slow guest may
# retransmit the request before the reply comes, hence "N").
arp_in() { tc -s -n peer filter show dev "$1" ingress | awk '/Sent/ { print $4; exit }'; }
arps() { # ARP requests seen per port for one resolution: "N0 N1"
	local a0 a1
	a0=$(arp_in p0) a1=$(arp_in p1)
	ip neigh flush dev bond0
	ping -q -n -c 1 -W 2 $PEER_IP >/dev/null 2>&1
	echo "$(($(arp_in p0) - a0)) $(($(arp_in p1) - a1))"
}
for p in p0 p1; do
	tc -n peer qdisc add dev $p clsact
	tc -n peer filter add dev $p ingress protocol arp matchall action pass
done
n=$(arps)
check_match "broadcast_neighbor off: one port's ARP" "^([1-9] 0|0 [1-9])$" "$n"
check_eq "broadcast_neighbor 1" "ok" "$($NLB bond0 broadcast_neighbor 1)"
check_eq "broadcast_neighbor reads back" "1" "$($NLB get bond0 broadcast_neighbor)"
n=$(arps)
check_match "broadcast_neighbor on: ARP on both ports" "^[1-9][0-9]* [1-9][0-9]*$" "$n"
check "ping with broadcast_neighbor" ping_ok
check_eq "broadcast_neighbor 0" "ok" "$($NLB bond0 broadcast_neighbor 0)"
n=$(arps)
check_match "broadcast_neighbor off again: one port" "^([1-9] 0|0 [1-9])$" "$n"
for p in p0 p1; do tc -n peer qdisc del dev $p clsact; done
phase "broadcast_neighbor done"

# Bad values: C's errno and extack, the value kept. A payload longer than
# a u8 is accepted as C accepts it (its first byte is the value).
bad_values() { # OPTION
	local o=$1 before
	before=$($NLB get bond0 $o)
	log_mark
	check_eq "$o 2" "error 22: invalid option value" "$($NLB bond0 $o 2)"
	check_log "$o 2: message" "bond0: option $o: invalid value (2)"
	check_eq "$o: empty payload" "error 34: Attribute failed policy validation" "$($NLB bond0 $o 1 0)"
	check_eq "$o unchanged" "$before" "$($NLB get bond0 $o)"
	check_eq "$o: 4-byte payload accepted" "ok" "$($NLB bond0 $o $((before | 0x100)) 4)"
	check_eq "$o: 4-byte payload's first byte" "$before" "$($NLB get bond0 $o)"
}
bad_values lacp_strict
bad_values broadcast_neighbor
# coupled_control needs the bond down: while up, any value is refused so.
for v in 0 2; do
	log_mark
	check_eq "coupled_control $v while up" "error 16: unable to set option because the bond is up" \
		"$($NLB bond0 coupled_control $v)"
	check_log "coupled_control $v while up: message" \
		"bond0: option coupled_control: unable to set because the bond device is up"
done

phase "bad values done"

# coupled_control off (independent collecting and distributing) still
# aggregates with a coupled partner.
ip link set bond0 down
bad_values coupled_control
check_eq "coupled_control 0 (down)" "ok" "$($NLB bond0 coupled_control 0)"
check_eq "coupled_control reads 0" "0" "$($NLB get bond0 coupled_control)"
ip link set bond0 up
check "coupled_control 0: both distributing" wait_until 20 both_dist
check "coupled_control 0: ping" ping_ok_eventually
phase "coupled_control done"

# A slave whose speed and duplex cannot be read (a dummy has no link
# settings) does not come back up in 802.3ad after a link flap.
ip link add dumst0 type dummy
ip link add bond2 type bond mode 802.3ad miimon 100
ip link set dumst0 master bond2
ip link set bond2 up
check_eq "dummy slave up at enslave" "up" "$(slave_attr dumst0 mii_status)"
ip link set dumst0 down
check "dummy down" wait_until 5 mii_is dumst0 down
log_mark
ip link set dumst0 up
check "dummy up: no speed/duplex, warned" wait_until 5 \
	log_has "bond2: (slave dumst0): failed to get link speed/duplex"
# NETDEV_UP marked it failing (it was up before), the MII monitor found
# the carrier and tried to bring it back.
check_log "dummy up: failing, then up again" "bond2: (slave dumst0): link status up again after 0 ms"
snooze 0.5
check_eq "dummy stays down: bond2 without carrier" "0" "$(</sys/class/net/bond2/carrier)"
ip link del bond2
ip link del dumst0
phase "speed/duplex done"

# Outside 802.3ad each is refused by mode.
ip link add bond1 type bond mode balance-xor
for o in lacp_strict broadcast_neighbor coupled_control; do
	log_mark
	check_eq "$o in balance-xor" "error 13: option not supported in mode" "$($NLB bond1 $o 1)"
	check_log "$o in balance-xor: message" \
		"bond1: option $o: mode dependency failed, not supported in mode balance-xor(2)"
done
ip link del bond1

$P link del bond0
lb_cleanup
tap_done
