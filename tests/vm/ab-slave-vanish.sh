#!/bin/bash
# rbond: parity
# A slave device disappears: the active slave's veth is deleted (ip link del
# eth0) while ping traffic flows; the bond releases it cleanly (slaves list,
# failover to eth1, C's release messages) and traffic continues. Then the
# last slave vanishes from the peer side (its veth peer p1 is deleted).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ab-lib.sh"

make_peers
require "bond up" make_bond mode=1 miimon=100 primary=eth0
check "eth0 active" wait_until 10 active_is eth0
check "eth1 MII up" wait_until 10 mii_is eth1 up
check "peer reachable" ping_ok_eventually

out=/tmp/ab-vanish-ping.$$
ping -n -i 0.05 -W 1 $PEER_IP > $out 2>&1 &
BG_PIDS=$!
snooze 1
log_mark
check "delete eth0 (the active slave)" ip link del eth0
check_eq "slaves: eth1 only" "eth1" "$(<$B/slaves)"
check_eq "eth1 active at once" "eth1" "$(active)"
check_eq "primary cleared" "" "$(<$B/primary)"
check_eq "bond0 keeps its MAC" "$MAC0" "$(mac bond0)"
check_eq "eth1 keeps the bond's MAC" "$MAC0" "$(mac eth1)"
check_eq "bond0 carrier up" "up" "$(<$B/mii_status)"
# C prints "backup" for the active slave (it is marked inactive first).
check_log "release message" "bond0: (slave eth0): Releasing backup interface"
check_log "C's warning about the MAC" \
	"bond0: (slave eth0): the permanent HWaddr of slave - $MAC0 - is still in use by bond - set the HWaddr of slave to a different address to avoid conflicts"
check_log "eth1 made active" "bond0: (slave eth1): making interface the new active one"
check_no_log "no carrier loss of the bond" "now running without any active interface"
snooze 1.5
kill -INT $BG_PIDS
wait $BG_PIDS
BG_PIDS=
sent=$(sed -nE 's/^([0-9]+) packets transmitted.*/\1/p' $out)
last=$(grep -oE 'icmp_seq=[0-9]+' $out | tail -1 | cut -d= -f2)
check "answers continue after the deletion (last $last of $sent)" test "${last:-0}" -ge $((${sent:-0} - 5))
check "ping after the deletion" ping_ok 3
check "/proc lists only eth1" test "$(grep -c '^Slave Interface:' /proc/net/bonding/bond0)" = 1
check "/proc: eth1 active" grep -qx "Currently Active Slave: eth1" /proc/net/bonding/bond0

# The last slave vanishes from the other side of its veth.
log_mark
check "delete p1 (eth1's peer)" ip -n peer link del p1
check_fails "eth1 is gone with it" test -e /sys/class/net/eth1
check_eq "no slaves" "" "$(<$B/slaves)"
check_eq "no active slave" "" "$(active)"
check_eq "bond0 carrier down" "down" "$(<$B/mii_status)"
check_log "release message" "bond0: (slave eth1): Releasing backup interface"
check_no_log "no MAC warning for the last slave" "still in use by bond"
check "bond0 got a random MAC" test "$(mac bond0)" != "$MAC0"
check "bond0 still exists" link_exists bond0
rm -f $out

ab_cleanup
tap_done
