#!/bin/bash
# rbond: parity
# 802.3ad between two bonds of the driver under test (one per namespace,
# two veth links): both ends aggregate both links into one aggregator and
# carry traffic; a cut link leaves the LAG and rejoins; a partner that
# goes silent times out; min_links decides the carrier; the state shows in
# sysfs, /proc and netlink; every new option refuses invalid values and
# keeps its value.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ab-lib.sh"
. "$(dirname "$0")/lb-lib.sh"

P="ip -n peer"
PB=/sys/class/net/bond0/bonding
# Port state bits (LACP_STATE_*).
SYNC=8 DIST=32 DEFAULTED=64

state_of() { rd "/sys/class/net/$1/bonding_slave/ad_actor_oper_port_state"; }
# has_bit DEV BIT: DEV's actor state has BIT.
has_bit() { local s; s=$(state_of "$1"); [ "$s" != N/A ] && (( s & $2 )); }
distributing() { has_bit eth0 $DIST && has_bit eth1 $DIST; }
peer_distributing() {
	local s
	for s in p0 p1; do
		(( $($P -d -j link show $s | jq '.[0].linkinfo.info_slave_data.ad_actor_oper_port_state // 0') & DIST )) || return 1
	done
}
ports_are() { [ "$(<$B/ad_num_ports)" = "$1" ]; }
carrier_is() { [ "$(</sys/class/net/bond0/carrier)" = "$1" ]; }

lb_peers 2
modprobe bonding max_bonds=0 || exit 1
ip link add bond0 type bond mode 802.3ad lacp_rate fast miimon 100
$P link add bond0 type bond mode 802.3ad lacp_rate fast miimon 100
for i in 0 1; do
	ip link set eth$i master bond0
	$P link set p$i down
	$P link set p$i master bond0
done
ip addr add $BOND_IP/24 dev bond0
$P addr add $PEER_IP/24 dev bond0
ip link set bond0 up
$P link set bond0 up

check_eq "lacp_rate" "fast 1" "$(<$B/lacp_rate)"
check "both links distributing" wait_until 20 distributing
check "partner distributing" wait_until 10 peer_distributing
check_eq "one aggregator for both ports" "$(slave_attr eth0 ad_aggregator_id)" "$(slave_attr eth1 ad_aggregator_id)"
check_eq "ad_aggregator is the ports' aggregator" "$(slave_attr eth0 ad_aggregator_id)" "$(<$B/ad_aggregator)"
check_eq "ad_num_ports" "2" "$(<$B/ad_num_ports)"
check_eq "ad_partner_mac is the peer bond" "$($P -j link show bond0 | jq -r '.[0].address')" "$(<$B/ad_partner_mac)"
# 10G full duplex veths: key = speed code 7 << 1 | duplex.
check_eq "ad_actor_key" "15" "$(<$B/ad_actor_key)"
check_eq "ad_partner_key" "15" "$(<$B/ad_partner_key)"
check_eq "carrier up" "1" "$(</sys/class/net/bond0/carrier)"
check_eq "partner state: in sync, collecting, distributing" "63" "$(slave_attr eth0 ad_partner_oper_port_state)"
check "ping over the LAG" ping_ok_eventually
proc=$(cat /proc/net/bonding/bond0)
check_match "/proc: 802.3ad info" "802.3ad info" "$proc"
check_match "/proc: rate" "LACP rate: fast" "$proc"
check_match "/proc: active aggregator ports" "Number of ports: 2" "$proc"
check_match "/proc: slave churn" "Actor Churn State: (none|monitoring)" "$proc"
check_match "/proc: partner details" "details partner lacp pdu:" "$proc"
nl_snap bond0
check_eq "netlink: ad_select" "stable" "${NL[ad_select]}"
check_eq "netlink: ad_info aggregator" "$(<$B/ad_aggregator)" \
	"$(ip -d -j link show bond0 | jq -r '.[0].linkinfo.info_data.ad_info.aggregator')"
nl_snap eth0
check_eq "netlink slave: aggregator id" "$(<$B/ad_aggregator)" "${NL[ad_aggregator_id]}"
check_match "netlink slave: port state" "distributing" "${NL[ad_actor_oper_port_state_str]}"

# The 3ad counters (RTM_GETSTATS, what `ip link xstats type bond` shows;
# iproute2 6.1's own command crashes here): LACPDUs went both ways.
XS="python3 $(dirname "$0")/xstats.py"
xs=$($XS bond0 bond 2>&1)
check_match "xstats bond0: LACPDUs received" "lacpdu_rx [1-9]" "$xs"
check_match "xstats bond0: LACPDUs sent" "lacpdu_tx [1-9]" "$xs"
check_match "xstats bond0: none illegal" "lacpdu_illegal_rx 0" "$xs"
xs=$($XS eth0 slave 2>&1)
check_match "xstats eth0: LACPDUs received" "lacpdu_rx [1-9]" "$xs"
check_match "xstats eth0: LACPDUs sent" "lacpdu_tx [1-9]" "$xs"

# A cut link leaves the aggregator, traffic goes on, the link rejoins.
$P link set p1 down
check "cut link: one port" wait_until 10 ports_are 1
check "eth1 not distributing" wait_until 5 eval '! has_bit eth1 $DIST'
check "ping with one link" ping_ok_eventually
$P link set p1 up
check "rejoined: two ports" wait_until 20 ports_are 2
check "rejoined: distributing" wait_until 20 distributing

# min_links: fewer active ports than min_links takes the carrier down.
check "min_links 3" sh -c "echo 3 > $B/min_links"
$P link set p1 down
check "carrier down below min_links" wait_until 10 carrier_is 0
check "min_links 1" sh -c "echo 1 > $B/min_links"
$P link set p1 up
check "carrier up again" wait_until 10 carrier_is 1
check "distributing after min_links" wait_until 20 distributing

# The partner goes silent on eth0 (its LACPDUs dropped): with the fast rate
# eth0 expires after 3 s, defaults 3 s later, and leaves the aggregation.
tc -n peer qdisc add dev p0 clsact
tc -n peer filter add dev p0 egress protocol 0x8809 matchall action drop
check "silent partner: eth0 defaulted" wait_until 15 has_bit eth0 $DEFAULTED
check "silent partner: eth0 not distributing" wait_until 5 eval '! has_bit eth0 $DIST'
check "eth1 still distributing" has_bit eth1 $DIST
tc -n peer qdisc del dev p0 clsact
check "partner back: distributing" wait_until 20 distributing

# Every new option refuses invalid values and keeps its value.
inval() { # FILE VALUE...: each write fails and FILE reads the same
	local f=$1 before v r
	shift
	before=$(<$B/$f)
	for v in "$@"; do
		r=$(sysfs_err $B/$f "$v")
		check_eq "$f: '$v' refused" "Invalid argument" "$r"
	done
	check_eq "$f unchanged" "$before" "$(<$B/$f)"
}
# Options that need the bond down say so while it is up, whatever the value.
check_eq "lacp_rate while up" "Device or resource busy" "$(sysfs_err $B/lacp_rate slow)"
check_eq "ad_select while up" "Device or resource busy" "$(sysfs_err $B/ad_select bogus)"
inval ad_actor_sys_prio 0 65536
inval ad_actor_system 01:00:5e:00:00:01 zz:zz garbage
inval min_links -1 abc
check_eq "ad_actor_system valid" "ok" "$(sysfs_err $B/ad_actor_system 02:aa:bb:cc:dd:ee)"
check_eq "ad_actor_system reads back" "02:aa:bb:cc:dd:ee" "$(<$B/ad_actor_system)"
check "partner follows the new system id" wait_until 20 distributing
check_eq "ad_actor_sys_prio valid" "ok" "$(sysfs_err $B/ad_actor_sys_prio 100)"
ip link set bond0 down
inval lacp_rate bogus 2 -1
inval ad_select bogus 4
inval lacp_active 2 maybe
inval ad_user_port_key 1024 -1
check_eq "lacp_rate slow (down)" "ok" "$(sysfs_err $B/lacp_rate slow)"
check_eq "lacp_rate reads slow" "slow 0" "$(<$B/lacp_rate)"
check_eq "ad_select count (down)" "ok" "$(sysfs_err $B/ad_select count)"

# Releasing every slave of an up bond leaves no carrier and no aggregator.
ip link set bond0 up
ip link set eth0 nomaster
ip link set eth1 nomaster
check "no slaves: carrier off" wait_until 5 carrier_is 0
check_eq "no slaves: no active aggregator" "0" "$(<$B/ad_aggregator)"

$P link del bond0
lb_cleanup
tap_done
