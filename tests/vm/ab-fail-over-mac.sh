#!/bin/bash
# rbond: parity
# fail_over_mac none / active / follow: the MACs of bond0, eth0 and eth1
# after enslaving, after a failover and after release (a released slave gets
# its permanent MAC back); fail_over_mac cannot change while the bond has
# slaves (C's message).
#
# C: none: every slave takes the bond's MAC (the first slave's).
# active: slaves keep their MACs, the bond takes the active slave's.
# follow: the bond keeps the first slave's MAC; the new active slave gets it
# and the old active slave gets the new one's MAC (a swap); a slave that
# arrives with the bond's MAC gets a random one.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ab-lib.sh"

macs() { echo "$(mac bond0) $(mac eth0) $(mac eth1)"; }
failover() {
	carrier_off 0
	wait_until 10 active_is eth1
}

# none
make_peers
require "none: bond up" make_bond mode=1 miimon=100
check_eq "none: sysfs" "none 0" "$(<$B/fail_over_mac)"
check_eq "none: all take the bond's MAC" "$MAC0 $MAC0 $MAC0" "$(macs)"
check "none: /proc mode line" grep -qx "Bonding Mode: fault-tolerance (active-backup)" /proc/net/bonding/bond0
check "none: failover" failover
check_eq "none: MACs unchanged by failover" "$MAC0 $MAC0 $MAC0" "$(macs)"
check "none: ping" ping_ok_eventually
log_mark
check "none: release the active eth1" sh -c "echo -eth1 > $B/slaves"
check_eq "none: eth1 gets its permanent MAC back" "$MAC1" "$(mac eth1)"
check_no_log "none: no HWaddr warning (the bond has eth0's MAC)" "still in use by bond"
check "none: re-enslave eth1" sh -c "echo +eth1 > $B/slaves"
check_eq "none: eth1 takes the bond's MAC again" "$MAC0" "$(mac eth1)"
# C refuses the change while there are slaves (checked before the value).
log_mark
check_eq "none: change refused with slaves" "Directory not empty" "$(sysfs_err $B/fail_over_mac active)"
check_log "none: C's message" "bond0: option fail_over_mac: unable to set because the bond device has slaves"
check_eq "none: even an invalid value gets that error" "Directory not empty" "$(sysfs_err $B/fail_over_mac bogus)"
out=$(ip link set bond0 type bond fail_over_mac follow 2>&1)
check_match "none: ip link refused with slaves" "unable to set option because the bond device has slaves" "$out"
check_eq "none: still none" "none 0" "$(<$B/fail_over_mac)"
log_mark
check "none: release eth0 (the bond's MAC)" ip link set eth0 nomaster
check_log "none: C warns the bond still uses eth0's MAC" \
	"bond0: (slave eth0): the permanent HWaddr of slave - $MAC0 - is still in use by bond - set the HWaddr of slave to a different address to avoid conflicts"
check "none: release eth1" ip link set eth1 nomaster
check_eq "none: released slaves have their MACs" "$MAC0 $MAC1" "$(mac eth0) $(mac eth1)"
check "none: fail_over_mac settable without slaves (bond up)" sh -c "echo active > $B/fail_over_mac"
check_eq "none: now active" "active 1" "$(<$B/fail_over_mac)"

# active
make_peers
require "active: bond up" make_bond mode=1 miimon=100 fail_over_mac=active
check_eq "active: sysfs" "active 1" "$(<$B/fail_over_mac)"
nl_snap bond0
check_eq "active: ip -d" "active" "${NL[fail_over_mac]}"
check "active: /proc mode line" grep -qx "Bonding Mode: fault-tolerance (active-backup) (fail_over_mac active)" /proc/net/bonding/bond0
check_eq "active: slaves keep their MACs" "$MAC0 $MAC0 $MAC1" "$(macs)"
check "active: failover" failover
check_eq "active: the bond takes eth1's MAC" "$MAC1 $MAC0 $MAC1" "$(macs)"
check "active: ping after failover" ping_ok_eventually
carrier_on 0
check "active: eth0 back up" wait_until 10 mii_is eth0 up
check "active: release eth1 (active)" ip link set eth1 nomaster
check "active: eth0 active" wait_until 10 active_is eth0
check_eq "active: the bond takes eth0's MAC" "$MAC0 $MAC0 $MAC1" "$(macs)"
check "active: ping after release" ping_ok_eventually

# follow
make_peers
require "follow: bond up" make_bond mode=1 miimon=100 fail_over_mac=follow
check_eq "follow: sysfs" "follow 2" "$(<$B/fail_over_mac)"
check "follow: /proc mode line" grep -qx "Bonding Mode: fault-tolerance (active-backup) (fail_over_mac follow)" /proc/net/bonding/bond0
check_eq "follow: slaves keep their MACs" "$MAC0 $MAC0 $MAC1" "$(macs)"
check "follow: failover" failover
check_eq "follow: active and old active swap MACs" "$MAC0 $MAC1 $MAC0" "$(macs)"
check "follow: ping after failover" ping_ok_eventually
check_eq "follow: perm_hwaddr unchanged" "$MAC0 $MAC1" "$(slave_attr eth0 perm_hwaddr) $(slave_attr eth1 perm_hwaddr)"
carrier_on 0
check "follow: eth0 back up" wait_until 10 mii_is eth0 up
check "follow: release eth1 (active)" ip link set eth1 nomaster
check "follow: eth0 active" wait_until 10 active_is eth0
check_eq "follow: eth0 gets the bond's MAC, eth1 its own" "$MAC0 $MAC0 $MAC1" "$(macs)"
# A slave arriving with the bond's MAC gets a random one.
check "follow: give eth1 the bond's MAC" ip link set eth1 address $MAC0
check "follow: enslave eth1" ip link set eth1 master bond0
check_eq "follow: eth1's perm_hwaddr is the bond's MAC" "$MAC0" "$(slave_attr eth1 perm_hwaddr)"
m1=$(mac eth1)
check "follow: eth1 got another MAC ($m1)" test "$m1" != "$MAC0"
check "follow: release eth1" ip link set eth1 nomaster
check_eq "follow: eth1 gets its perm MAC back" "$MAC0" "$(mac eth1)"

ab_cleanup
tap_done
