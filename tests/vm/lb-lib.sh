# shellcheck shell=bash
# Shared plumbing for the load-balancing mode tests (lb-*.sh): balance-rr,
# balance-xor and broadcast. Source it after lib.sh and ab-lib.sh.
#
# Topology (lb_peers N): slaves eth0..eth(N-1) are veths whose peers p0..
# live, up, in the namespace "peer" (not bridged: these tests count what
# the bond sends, per slave, and need no answers). bond0 gets 192.0.2.1/24
# and 2001:db8::1/64, with permanent neighbour entries for the addresses
# tests/vm/flows.py sends to, so no ARP or ND traffic mixes in.

if [ "${BASH_SOURCE[0]}" = "$0" ]; then echo "1..0 # SKIP helper library, not a test"; exit 0; fi

FLOWS="python3 $(dirname "${BASH_SOURCE[0]}")/flows.py"
LB_SLAVES=

lb_cleanup() {
	local d
	for d in eth0 eth1 eth2 eth3; do
		[ -e /sys/class/net/$d ] && ip link del $d
	done
	ab_cleanup
}

# lb_peers N: create eth0..eth(N-1) (down, not enslaved) and their peers.
lb_peers() {
	lb_cleanup
	ip netns add peer
	local i
	LB_SLAVES=
	for ((i = 0; i < $1; i++)); do
		ip link add eth$i address 02:00:00:00:00:1$i type veth peer name p$i netns peer
		ip -n peer link set p$i up
		LB_SLAVES=${LB_SLAVES:+$LB_SLAVES,}eth$i
	done
}

# lb_bond MODPROBE_ARGS...: load the driver, enslave every slave, address
# bond0, bring it up and install the neighbour entries.
lb_bond() {
	modprobe bonding "$@" || return 1
	local s
	for s in ${LB_SLAVES//,/ }; do
		ip link set $s master bond0 || return 1
	done
	lb_addresses
}

# lb_addresses: bond0's addresses, neighbours and VLAN uppers (for the
# vlan+srcmac policy); bond0 up.
lb_addresses() {
	sysctl -qw net.ipv6.conf.bond0.accept_ra=0 net.ipv6.conf.bond0.dad_transmits=0 2>/dev/null
	local i b=
	for i in 0 1 2 3 4 5 6 7; do
		b+="neigh replace 192.0.2.$((10 + i)) lladdr 02:00:00:00:01:0$i dev bond0 nud permanent"$'\n'
	done
	for i in 0 1 2 3; do
		b+="neigh replace 2001:db8::$(printf %x $((16 + i))) lladdr 02:00:00:00:02:0$i dev bond0 nud permanent"$'\n'
	done
	ip -b - <<-EOF || return 1
	addr add $BOND_IP/24 dev bond0
	addr add 2001:db8::1/64 dev bond0 nodad
	link set bond0 up
	$b
	EOF
	modprobe 8021q 2>/dev/null
	local vid
	for vid in 10 20 30 4000; do
		local n=198.51.$((vid / 256)).$((vid % 256))
		ip link add link bond0 name bond0.$vid type vlan id $vid || return 1
		sysctl -qw net.ipv6.conf.bond0/$vid.disable_ipv6=1 2>/dev/null
		ip -b - <<-EOF || return 1
		addr add $n/31 dev bond0.$vid
		link set bond0.$vid up
		neigh replace 198.51.$((vid / 256)).$((vid % 256 + 1)) lladdr 02:00:00:00:03:01 dev bond0.$vid nud permanent
		EOF
	done
	# Let addrconf's own reports (MLD for the new addresses) go out first.
	snooze 1.5
}

# tx_of DEV: tx_packets of DEV.
tx_of() { rd "/sys/class/net/$1/statistics/tx_packets"; }

# no_slave_drops: with every slave's carrier off, bond0 loses its carrier
# and what it is asked to send is dropped and counted.
no_slave_drops() {
	local i drops0 drops1
	for ((i = 0; i < $(tr ',' ' ' <<< "$LB_SLAVES" | wc -w); i++)); do carrier_off $i; done
	check "no slave up: bond carrier off" wait_until 5 sh -c "[ \"\$(cat $B/mii_status)\" = down ]"
	drops0=$(ip -s -j link show dev bond0 | jq '.[0].stats64.tx.dropped')
	$FLOWS --slaves "$LB_SLAVES" burst 5 > /dev/null
	drops1=$(ip -s -j link show dev bond0 | jq '.[0].stats64.tx.dropped')
	check "5 drops counted ($drops0 -> $drops1)" test "$((drops1 - drops0))" -ge 5
}
