#!/bin/bash
# rbond: parity
# Devices stacked on a bond: a bond of bonds (bond1 over bond0 over eth0
# and eth1: flags, addresses, traffic, a failover inside, a VLAN on top,
# the inner bond deleted under the outer one) and a bridge over a bond
# (traffic and a failover under the bridge), and a VRF over a bond (the
# bond's routes in the VRF's table, traffic bound to the VRF across a
# failover, the bond released from it). macvlan and ipvlan over a
# bond are the upstream bond_macvlan_ipvlan's.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ab-lib.sh"

st_cleanup() {
	local d
	for d in bond1.10 brx vrfx; do [ -e /sys/class/net/$d ] && ip link del $d; done
	ab_cleanup
}
lflags() { ip -j link show dev "$1" | jq -r '.[0].flags | join(",")'; }
has_flag() { [[ ,$(lflags "$1"), == *,$2,* ]]; }
bond0_active_is() { [ "$(rd /sys/class/net/bond0/bonding/active_slave)" = "$1" ]; }

st_cleanup
make_peers
modprobe 8021q
modprobe vrf
require "bonding loads without bonds" modprobe bonding max_bonds=0

# A bond of bonds.
ip -b - <<-EOF
link add bond0 type bond mode active-backup miimon 100
link set eth0 master bond0
link set eth1 master bond0
link add bond1 type bond mode active-backup miimon 100
EOF
check "bond0 enslaved to bond1" ip link set bond0 master bond1
check "bond1 up with $BOND_IP" sh -c "ip addr add $BOND_IP/24 dev bond1 && ip link set bond1 up"
check "bond0 is a master" has_flag bond0 MASTER
check "bond0 is a slave" has_flag bond0 SLAVE
check_eq "bond1's slave" "bond0" "$(rd /sys/class/net/bond1/bonding/slaves)"
check "bond0 up under bond1" wait_until 10 mii_is bond0 up
check "bond0's active slave eth0" wait_until 10 bond0_active_is eth0
check_eq "bond1 took bond0's address (eth0's)" "$MAC0" "$(mac bond1)"
check_eq "eth1 has it too" "$MAC0" "$(mac eth1)"
check "ping the peer through both bonds" ping_ok_eventually
check "failover inside bond0" sh -c "ip -n peer link set p0 down"
check "bond0's active slave eth1" wait_until 10 bond0_active_is eth1
check "bond1 keeps bond0" wait_until 5 mii_is bond0 up
check "ping after the failover" ping_ok_eventually
carrier_on 0
check "eth0 up again" wait_until 10 mii_is eth0 up
check "VLAN 10 on bond1" ip link add link bond1 name bond1.10 type vlan id 10
check "bond1.10 up" ip link set bond1.10 up
check_match "/proc of bond1 lists bond0" "Slave Interface: bond0" "$(cat /proc/net/bonding/bond1)"
check "delete bond0 under bond1" ip link del bond0
check_eq "bond1 has no slave" "" "$(rd /sys/class/net/bond1/bonding/slaves)"
check "bond1 has no carrier" wait_until 5 test "$(rd /sys/class/net/bond1/carrier)" = 0
check_fails "eth0 is no slave" is_slave eth0
check "delete bond1" ip link del bond1
check_fails "bond1.10 went with it" link_exists bond1.10

# A bridge over a bond.
ip -b - <<-EOF
link add bond0 type bond mode active-backup miimon 100
link set eth0 master bond0
link set eth1 master bond0
link add brx type bridge
EOF
check "bond0 is a port of brx" ip link set bond0 master brx
check "brx up with $BOND_IP" sh -c "ip addr add $BOND_IP/24 dev brx && ip link set bond0 up && ip link set brx up"
check "bond0 has a bridge port" test -d /sys/class/net/bond0/brport
check "bond0's active slave eth0" wait_until 10 bond0_active_is eth0
check "ping the peer through the bridge and the bond" ping_ok_eventually
check "failover under the bridge" sh -c "ip -n peer link set p0 down"
check "bond0's active slave eth1" wait_until 10 bond0_active_is eth1
check "ping after the failover" ping_ok_eventually
check "release bond0 from brx" ip link set bond0 nomaster
check "bond0 no longer a bridge port" test ! -d /sys/class/net/bond0/brport
ip link del brx
ip link del bond0
carrier_on 0

# A VRF over a bond.
ip -b - <<-EOF
link add bond0 type bond mode active-backup miimon 100
link set eth0 master bond0
link set eth1 master bond0
link add vrfx type vrf table 10
EOF
check "bond0 enslaved to vrfx" ip link set bond0 master vrfx
check "vrfx and bond0 up with $BOND_IP" sh -c "ip addr add $BOND_IP/24 dev bond0 && ip link set vrfx up && ip link set bond0 up"
check_eq "bond0's master is vrfx" vrfx "$(ip -j link show dev bond0 | jq -r '.[0].master')"
check "bond0's active slave eth0" wait_until 10 bond0_active_is eth0
check_match "bond0's subnet is routed in table 10" "192.0.2.0/24 dev bond0" "$(ip route show table 10)"
check_fails "and not in the main table" sh -c "ip route show table main | grep -q 'dev bond0'"
vrf_ping() { ping -q -n -c 1 -W 2 -I vrfx $PEER_IP >/dev/null 2>&1; }
check "ping the peer in the VRF" wait_until 15 vrf_ping
check_fails "no route to the peer outside the VRF" ping -q -n -c 1 -W 1 $PEER_IP
check "failover under the VRF" sh -c "ip -n peer link set p0 down"
check "bond0's active slave eth1" wait_until 10 bond0_active_is eth1
check "ping in the VRF after the failover" wait_until 15 vrf_ping
check "release bond0 from vrfx" ip link set bond0 nomaster
check_fails "the route left table 10" sh -c "ip route show table 10 | grep -q 'dev bond0'"

st_cleanup
tap_done
