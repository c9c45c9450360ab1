#!/bin/bash
# rbond: parity
# Traffic keeps flowing across failovers: a fast ping runs while the active
# slave loses its carrier (failover to eth1), gets it back (eth0, the
# primary, returns), and the backup loses and regains its carrier. Only
# coarse assertions: most pings answered, and answers keep coming after the
# last event.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ab-lib.sh"

make_peers
require "bond up" make_bond mode=active-backup miimon=100 downdelay=200 updelay=200 primary=eth0
check "eth0 active" wait_until 10 active_is eth0
check "peer reachable" ping_ok_eventually

out=/tmp/ab-traffic-ping.$$
# 200 pings 50 ms apart: about 10 s of traffic.
ping -n -i 0.05 -c 200 -W 1 $PEER_IP > $out 2>&1 &
BG_PIDS=$!
snooze 1.5
carrier_off 0
check "failover to eth1 under traffic" wait_until 10 active_is eth1
snooze 1
carrier_on 0
check "eth0 back under traffic" wait_until 10 active_is eth0
snooze 1
carrier_off 1
check "backup eth1 goes down" wait_until 10 mii_is eth1 down
check_eq "eth0 stays active" "eth0" "$(active)"
carrier_on 1
check "backup eth1 back up" wait_until 10 mii_is eth1 up
wait "$BG_PIDS"
BG_PIDS=

stats=$(grep -E '^[0-9]+ packets transmitted' $out)
sent=$(sed -E 's/^([0-9]+) packets transmitted.*/\1/' <<< "$stats")
rcvd=$(sed -E 's/.* ([0-9]+) received.*/\1/' <<< "$stats")
last=$(grep -oE 'icmp_seq=[0-9]+' $out | tail -1 | cut -d= -f2)
check_eq "all 200 pings sent" "200" "$sent"
check "at least 80% answered ($rcvd of $sent)" test "${rcvd:-0}" -ge 160
check "answers continue to the end (last answered seq $last)" test "${last:-0}" -ge 190
rm -f $out

check "ping after the events" ping_ok 3
check_eq "eth0 link_failure_count" "1" "$(slave_attr eth0 link_failure_count)"
check_eq "eth1 link_failure_count" "1" "$(slave_attr eth1 link_failure_count)"

ab_cleanup
tap_done
