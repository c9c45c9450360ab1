# shellcheck shell=bash
# Shared plumbing for the ARP/NS monitor tests (arp-*.sh). Source it after
# lib.sh and ab-lib.sh: same topology as the active-backup tests (slaves
# eth0/eth1, peers p0/p1 bridged by br0 in the namespace "peer", which
# holds $PEER_IP), with IPv6 off on the peer side so that only what a test
# sends reaches the slaves (a port leaving the bridge would otherwise send
# router solicitations that count as traffic for the ARP monitor).

if [ "${BASH_SOURCE[0]}" = "$0" ]; then echo "1..0 # SKIP helper library, not a test"; exit 0; fi

arp_peers() {
	make_peers
	ip netns exec peer sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
}

# arp_bond MODPROBE_ARGS...: load, enslave eth0 and eth1, address, up.
arp_bond() {
	modprobe bonding "$@" || return 1
	ip -b - <<-EOF
	link set eth0 master bond0
	link set eth1 master bond0
	addr add $BOND_IP/24 dev bond0
	link set bond0 up
	EOF
}

# Cut / restore the path of slave N to the peer: its peer port drops every
# frame in both directions (tc), while the carrier stays up. (Taking the
# port out of the bridge would not do: the peer answers ARP for its
# addresses on any of its interfaces.)
path_off() {
	ip netns exec peer tc qdisc add dev "p$1" clsact
	ip netns exec peer tc filter add dev "p$1" ingress protocol all flower action drop
	ip netns exec peer tc filter add dev "p$1" egress protocol all flower action drop
}
path_on() { ip netns exec peer tc qdisc del dev "p$1" clsact; }

both_up() { mii_is eth0 up && mii_is eth1 up; }
# other SLAVE: the other one of eth0/eth1.
other() { if [ "$1" = eth0 ]; then echo eth1; else echo eth0; fi; }
# always_active SECONDS: the bond has an active slave at every check, 0.25 s
# apart, for SECONDS.
always_active() {
	local end=$(($(now_ms) + $1 * 1000))
	while [ "$(now_ms)" -lt "$end" ]; do
		has_active || { echo "no active slave at $(now_ms)"; return 1; }
		snooze 0.25
	done
}
