#!/bin/bash
# rbond: parity
# balance-xor keeps its set of usable slaves current: a slave that loses
# its carrier carries no flow from then on (with the MII monitor, and
# without any monitor), and the flows return to their slaves when it is
# back. The policy is visible in sysfs, netlink and /proc.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ab-lib.sh"
. "$(dirname "$0")/lb-lib.sh"

# flows_on SLAVE...: the flows' slaves, one "flow slave" per line; fails if
# a flow was split or went to a slave not listed.
FLOWS_OUT=
flows_now() { FLOWS_OUT=$($FLOWS --slaves "$LB_SLAVES" flows | grep -v '^vlan'); }
only_on() {
	local bad
	bad=$(awk -v ok=" $* " 'index(ok, " " $2 " ") == 0' <<< "$FLOWS_OUT")
	[ -z "$bad" ] || { echo "$bad"; return 1; }
}

# flows_only SLAVE...: a fresh measure has every flow on SLAVEs (quiet, for
# polls); flows_are TEXT: a fresh measure equals TEXT.
flows_only() { flows_now; only_on "$@" > /dev/null; }
flows_are() { flows_now; [ "$FLOWS_OUT" = "$1" ]; }

lb_peers 3
require "balance-xor bond up" lb_bond mode=balance-xor xmit_hash_policy=layer3+4 miimon=100
check_eq "xmit_hash_policy from the module parameter" "layer3+4 1" "$(<$B/xmit_hash_policy)"
check_match "/proc: policy" "Transmit Hash Policy: layer3\+4 \(1\)" "$(cat /proc/net/bonding/bond0)"
nl_snap bond0
check_eq "ip -d link: xmit_hash_policy" "layer3+4" "${NL[xmit_hash_policy]}"
flows_now
first=$FLOWS_OUT
check "flows spread over the three slaves" only_on eth0 eth1 eth2
check_eq "all three used" "3" "$(awk '{print $2}' <<< "$first" | sort -u | wc -l)"
carrier_off 1
check "eth1 MII down" wait_until 5 mii_is eth1 down
flows_now
check "no flow on eth1 after its carrier loss" only_on eth0 eth2
carrier_on 1
check "eth1 MII up" wait_until 5 mii_is eth1 up
flows_now
check_eq "flows back on their first slaves" "$first" "$FLOWS_OUT"

# Without a link monitor the link state stays up, but the usable set still
# follows the carrier (C refreshes it on the carrier events).
check "miimon 0" sh -c "echo 0 > $B/miimon"
carrier_off 2
check "no flow on eth2 without carrier" wait_until 5 flows_only eth0 eth1
check_eq "eth2 still MII up (no monitor)" "up" "$(slave_attr eth2 mii_status)"
carrier_on 2
check "flows back again" wait_until 5 flows_are "$first"
check "xmit_hash_policy layer2+3 through ip link" ip link set bond0 type bond xmit_hash_policy layer2+3
check_eq "reads layer2+3" "layer2+3 2" "$(<$B/xmit_hash_policy)"
check_match "/proc: mode" "Bonding Mode: load balancing \(xor\)" "$(cat /proc/net/bonding/bond0)"
lb_cleanup
tap_done
