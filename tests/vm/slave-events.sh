#!/bin/bash
# rbond: parity
# What the rest of the stack hears about slaves, as with C:
# - enslave and release send no RTM_NEWLINK of their own for the IFF_SLAVE
#   flag (C 7.2 sets it without one; the flag shows in later messages);
# - a slave becoming active or backup is announced to the lower device's
#   listeners (NETDEV_CHANGELOWERSTATE, seen as an RTM_NEWLINK of the slave);
# - enslaving tells netconsole the device joined a master (NETDEV_JOIN):
#   netconsole stops logging through it;
# - a slave deleted while enslaved gets its MTU back without notifiers, so
#   the dying device does not get IPv6 state again and its deletion ends.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ab-lib.sh"

NLMON="python3 $(dirname "${BASH_SOURCE[0]}")/nlmon.py"
EV=/tmp/slave-events.$$
NC=/sys/kernel/config/netconsole/rbondt
cleanup() {
	[ -n "${MON:-}" ] && kill "$MON" 2>/dev/null && wait "$MON" 2>/dev/null
	MON=
	[ -d $NC ] && { echo 0 > $NC/enabled 2>/dev/null; rmdir $NC; }
	modprobe -r netconsole 2>/dev/null
	[ -e /sys/class/net/dnc0 ] && ip link del dnc0
	ab_cleanup
	rm -f $EV
}
# monitor: start recording link messages into $EV.
monitor() {
	: > $EV
	coproc MONP { $NLMON $EV; }
	MON=$MONP_PID
	local l
	read -r -t 20 l <&"${MONP[0]}"
	[ "$l" = ready ]
}
stop_monitor() { kill "$MON"; wait "$MON" 2>/dev/null; MON=; }
# start_monitor: monitor, as a check (not through `check`: its command
# substitution would wait for the monitor's output to end).
start_monitor() {
	if monitor; then ok "monitor started"; else not_ok "monitor started"; echo "Bail out! no monitor"; cleanup; tap_done; fi
}
# events DEV CHANGE: how many RTM_NEWLINK messages of DEV with ifi_change CHANGE.
events() { grep -c "^NEWLINK $1 flags=0x[0-9a-f]* change=$2\$" $EV; }
IFF_SLAVE=0x800
# announced DEV: DEV had an RTM_NEWLINK that changes no flag (a lower-state report).
announced() { [ "$(events "$1" 0x0)" -ge 1 ]; }
# The IFF_SLAVE checks below look for a message that must not come: they
# wait a fixed 0.5 s for it (nlmon writes each message as it arrives).

cleanup
make_peers
start_monitor
require "bond0 up" make_bond mode=1 miimon=100 primary=eth0
check "eth0 active" wait_until 10 active_is eth0
check "eth1 MII up" wait_until 10 mii_is eth1 up
snooze 0.5
stop_monitor
check_eq "no IFF_SLAVE message of its own for eth0" 0 "$(events eth0 $IFF_SLAVE)"
check_eq "no IFF_SLAVE message of its own for eth1" 0 "$(events eth1 $IFF_SLAVE)"
check "eth0 flagged SLAVE" sh -c "ip -j link show eth0 | jq -e '.[0].flags | index(\"SLAVE\")'"

start_monitor
check "make eth1 the active slave" sh -c "echo eth1 > $B/active_slave"
check "eth1 active" wait_until 5 active_is eth1
check "the new active slave's state is announced (eth1)" wait_until 5 announced eth1
check "the old active slave's state is announced (eth0)" wait_until 5 announced eth0
stop_monitor

start_monitor
check "release eth0" ip link set eth0 nomaster
snooze 0.5
stop_monitor
check_eq "release: no IFF_SLAVE message of its own" 0 "$(events eth0 $IFF_SLAVE)"
check_fails "eth0 no longer flagged SLAVE" sh -c "ip -j link show eth0 | jq -e '.[0].flags | index(\"SLAVE\")'"

# netconsole on a dummy (veth takes no netpoll), which then joins the bond.
modprobe netconsole
mkdir $NC
ip link add dnc0 type dummy
ip addr add 192.0.2.7/24 dev dnc0
ip link set dnc0 up
echo dnc0 > $NC/dev_name
echo 192.0.2.2 > $NC/remote_ip
check "netconsole logs through dnc0" sh -c "echo 1 > $NC/enabled"
ip link set dnc0 down
log_mark
check "enslave dnc0" ip link set dnc0 master bond0
check_log "netconsole stops: dnc0 joined a master" "netconsole: network logging stopped on interface dnc0 as it is joining a master device"
check_eq "netconsole target disabled" 0 "$(<$NC/enabled)"
echo 0 > $NC/enabled 2>/dev/null; rmdir $NC; modprobe -r netconsole
check "release dnc0" ip link set dnc0 nomaster
ip link del dnc0

# A slave deleted while enslaved, its MTU other than the bond's.
check "release eth1" ip link set eth1 nomaster
ip link set eth1 mtu 1400
check "enslave eth1 (mtu 1400)" ip link set eth1 master bond0
check_eq "eth1 has the bond's MTU" 1500 "$(<"/sys/class/net/eth1/mtu")"
within 15 "deleting enslaved eth1 returns" ip link del eth1
check_fails "eth1 is gone" test -e /sys/class/net/eth1

cleanup
tap_done
