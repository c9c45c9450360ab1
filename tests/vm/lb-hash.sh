#!/bin/bash
# rbond: parity
# balance-xor picks the same slave as C for the same packet, for every
# xmit_hash_policy: a fixed set of flows (UDP/IPv4 over 8 destinations with
# varying ports, ICMP echo ids, fragmented datagrams, UDP/IPv6, and UDP over
# four VLANs on top of the bond) is sent through a bond of three slaves, and
# the slave each flow left on is compared with tests/vm/lb-hash.expected,
# which records what the C driver does (regenerate it from a --reference
# run: the test prints what it saw as "HASH <policy> <flow> <slave>" lines).
# One exception: under encap3+4 a packet that already carries a layer-4
# hash (skb->l4_hash) is sent by that hash, and IPv6 UDP sockets give their
# packets a random one (the socket's txhash), so those flows land on a
# different slave in every run, with either driver: they are only checked
# to stay on one slave.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ab-lib.sh"
. "$(dirname "$0")/lb-lib.sh"

EXPECTED=$(dirname "$0")/lb-hash.expected
ACTUAL=/tmp/lb-hash.actual.$$
lb_peers 3
require "balance-xor bond of 3 slaves up" lb_bond mode=balance-xor miimon=100
: > $ACTUAL
n=0
for policy in layer2 layer3+4 layer2+3 encap2+3 encap3+4 vlan+srcmac; do
	check "xmit_hash_policy $policy" sh -c "echo $policy > $B/xmit_hash_policy"
	num=$(awk -v p=$policy 'BEGIN { split("layer2 layer3+4 layer2+3 encap2+3 encap3+4 vlan+srcmac", a, " "); for (i in a) if (a[i] == p) print i - 1 }')
	check_eq "reads back $policy" "$policy $num" "$(<$B/xmit_hash_policy)"
	$FLOWS --slaves "$LB_SLAVES" flows | sed "s/^/$policy /" >> $ACTUAL
done
sed 's/^/HASH /' $ACTUAL
check_eq "every flow stayed on one slave" "" "$(grep ' ?$' $ACTUAL)"
n=$(wc -l < $ACTUAL)
check "all $n flows recorded" test "$n" -eq "$(wc -l < "$EXPECTED")"
random='^encap3\+4 udp6-'
diff=$(diff <(grep -Ev "$random" "$EXPECTED") <(grep -Ev "$random" $ACTUAL))
check_eq "per-flow slave choice equals C's" "" "$diff"
for policy in layer2 layer3+4 layer2+3 encap2+3 encap3+4 vlan+srcmac; do
	used=$(grep "^$policy " $ACTUAL | awk '{print $3}' | sort -u | wc -l)
	check "$policy spreads flows over $used slaves" test "$used" -ge 2
done
rm -f $ACTUAL
lb_cleanup
tap_done
