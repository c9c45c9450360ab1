#!/bin/bash
# rbond: parity
# primary and primary_reselect (always / better / failure), set through
# sysfs and through `ip link set bond0 type bond ...`: which slave is active
# after the primary loses and regains its carrier, and the immediate
# reselection C does when primary or primary_reselect is written.
#
# C: "better" compares speed then duplex and keeps the current slave on a
# tie (bond_choose_primary_or_current); both veths report 10000 Mbps full
# duplex, so here "better" behaves like "failure". veth cannot change its
# speed, so the "primary is faster" case is not testable with veths.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ab-lib.sh"

# Return eth0 to service and wait until the MII monitor has seen it up, then
# give the monitor a few more passes (a reselection would happen at once).
eth0_back() {
	carrier_on 0
	wait_until 10 mii_is eth0 up || return 1
	snooze 0.5
}

make_peers
require "bond up" make_bond mode=1 miimon=100
check_eq "no primary by default" "" "$(<$B/primary)"
check_eq "primary_reselect default" "always 0" "$(<$B/primary_reselect)"
check_eq "first slave is active" "eth0" "$(active)"

# Writing primary reselects at once.
log_mark
check "primary eth1 through sysfs" sh -c "echo eth1 > $B/primary"
check_eq "eth1 active immediately" "eth1" "$(active)"
check_eq "primary reads eth1" "eth1" "$(<$B/primary)"
check_log "eth1 made active" "bond0: (slave eth1): making interface the new active one"
check "primary eth0 through ip link" ip link set bond0 type bond primary eth0
check_eq "eth0 active immediately" "eth0" "$(active)"
nl_snap bond0
check_eq "ip -d: primary" "eth0" "${NL[primary]}"
check_eq "ip -d: primary_reselect" "always" "${NL[primary_reselect]}"
check "/proc primary line" grep -qx "Primary Slave: eth0 (primary_reselect always)" /proc/net/bonding/bond0

# active_slave overrides the primary until the next reselection event.
log_mark
check "active_slave eth1 through sysfs" sh -c "echo eth1 > $B/active_slave"
check_eq "eth1 active immediately" "eth1" "$(active)"
check_log "eth1 made active" "bond0: (slave eth1): making interface the new active one"
snooze 0.5
check_eq "eth1 stays active (no reselection without an event)" "eth1" "$(active)"
check "active_slave eth0 through ip link" ip link set bond0 type bond active_slave eth0
check_eq "eth0 active immediately" "eth0" "$(active)"
check "active_slave eth1 again" sh -c "echo eth1 > $B/active_slave"
check "clear_active_slave through ip link" ip link set bond0 type bond clear_active_slave
check_eq "cleared: the primary is selected again" "eth0" "$(active)"

# always: the primary takes over again as soon as it is up.
carrier_off 0
check "always: failover to eth1" wait_until 10 active_is eth1
carrier_on 0
check "always: eth0 returns as active" wait_until 10 active_is eth0

# better: on a speed/duplex tie the current slave stays.
check "primary_reselect better through sysfs" sh -c "echo better > $B/primary_reselect"
check_eq "sysfs reads better" "better 1" "$(<$B/primary_reselect)"
check "/proc shows better" grep -qx "Primary Slave: eth0 (primary_reselect better)" /proc/net/bonding/bond0
carrier_off 0
check "better: failover to eth1" wait_until 10 active_is eth1
check "better: eth0 back up" eth0_back
check_eq "better: eth1 stays active (tie)" "eth1" "$(active)"

# failure: the current slave stays until it fails.
check "primary_reselect failure through ip link" ip link set bond0 type bond primary_reselect failure
check_eq "sysfs reads failure" "failure 2" "$(<$B/primary_reselect)"
nl_snap bond0
check_eq "ip -d: primary_reselect failure" "failure" "${NL[primary_reselect]}"
check_eq "failure: eth1 stays active" "eth1" "$(active)"
# Writing always reselects at once: the primary eth0 is up.
log_mark
check "primary_reselect always through sysfs" sh -c "echo always > $B/primary_reselect"
check_eq "always: eth0 active immediately" "eth0" "$(active)"
check_log "eth0 made active" "bond0: (slave eth0): making interface the new active one"
check "primary_reselect failure by number" sh -c "echo 2 > $B/primary_reselect"
check_eq "sysfs reads failure" "failure 2" "$(<$B/primary_reselect)"
carrier_off 0
check "failure: failover to eth1" wait_until 10 active_is eth1
check "failure: eth0 back up" eth0_back
check_eq "failure: eth1 stays active" "eth1" "$(active)"
# The active slave fails: eth0 takes over, and keeps it when eth1 returns.
carrier_off 1
check "failure: eth1 fails, eth0 takes over" wait_until 10 active_is eth0
carrier_on 1
check "eth1 back up" wait_until 10 mii_is eth1 up
snooze 0.5
check_eq "failure: eth0 stays active" "eth0" "$(active)"
# Writing primary forces the primary even with failure (force_primary).
check "primary eth1 with failure" sh -c "echo eth1 > $B/primary"
check_eq "eth1 forced active" "eth1" "$(active)"
check "primary eth0 again with failure" sh -c "echo eth0 > $B/primary"
check_eq "eth0 forced active" "eth0" "$(active)"

# Clearing the primary (an empty line) keeps the active slave.
check "primary_reselect always by number" sh -c "echo 0 > $B/primary_reselect"
check "clear primary" sh -c "echo > $B/primary"
check_eq "primary is empty" "" "$(<$B/primary)"
check "/proc shows no primary" grep -qx "Primary Slave: None" /proc/net/bonding/bond0
check_eq "eth0 stays active" "eth0" "$(active)"
carrier_off 0
check "no primary: failover to eth1" wait_until 10 active_is eth1
check "no primary: eth0 back up" eth0_back
check_eq "no primary: eth1 stays active" "eth1" "$(active)"

# A primary name that is not a slave (yet) is recorded, not shown, and
# takes effect when such a slave is enslaved.
check "primary eth9 (no such slave) accepted" sh -c "echo eth9 > $B/primary"
check_eq "primary reads empty" "" "$(<$B/primary)"
check "release eth0" ip link set eth0 nomaster
check "rename eth0 to eth9" ip link set eth0 name eth9
check "enslave eth9" ip link set eth9 master bond0
check_eq "eth9 is the primary" "eth9" "$(<$B/primary)"
check "eth9 becomes active" wait_until 10 active_is eth9
ip link del eth9

ab_cleanup
tap_done
