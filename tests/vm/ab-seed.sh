#!/bin/bash
# rbond: parity
# The seed scenario: `modprobe bonding mode=1 miimon=100 updelay=200
# downdelay=200 primary=eth0`, eth0 and eth1 enslaved with `ip link`; the
# bond's state through sysfs, netlink (ip -d -j) and /proc/net/bonding; then
# failover on carrier loss of eth0 after downdelay, and the return of eth0
# (the primary, primary_reselect always) after updelay; C's kernel messages
# at each step; finally the release of both slaves.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ab-lib.sh"

make_peers
log_mark
require "modprobe with the seed parameters" \
	modprobe bonding mode=1 miimon=100 updelay=200 downdelay=200 primary=eth0
check_log "MII monitor announced at load" "MII link monitoring set to 100 ms"
require "enslave eth0 with ip link" ip link set eth0 master bond0
check_log "eth0 enslaved as a backup (still in its updelay)" \
	"bond0: (slave eth0): Enslaving as a backup interface with an up link"
require "enslave eth1 with ip link" ip link set eth1 master bond0
check_log "eth1 enslaved as a backup" \
	"bond0: (slave eth1): Enslaving as a backup interface with an up link"
# C: with updelay set, a slave with carrier starts in "going back" and
# bond_find_best_slave() takes none of them while the bond is down.
check_eq "no active slave before bond0 is up" "" "$(active)"
check_eq "eth0 is going back before bond0 is up" "going back" "$(slave_attr eth0 mii_status)"
check_eq "bond0 mii_status is down before it is up" "down" "$(<$B/mii_status)"

ip addr add $BOND_IP/24 dev bond0
check "bond0 up" ip link set bond0 up
# The first MII pass ignores updelay when there is no active slave.
check "eth0 becomes the active slave" wait_until 10 active_is eth0
check "eth1 reaches MII up" wait_until 10 mii_is eth1 up
check_log "eth0 definitely up" "bond0: (slave eth0): link status definitely up, 10000 Mbps full duplex"
check_log "eth1 definitely up" "bond0: (slave eth1): link status definitely up, 10000 Mbps full duplex"
check_log "eth0 made active" "bond0: (slave eth0): making interface the new active one"
check_log "bond carrier up" "bond0: active interface up!"

# sysfs of the bond.
check_eq "mode" "active-backup 1" "$(<$B/mode)"
check_eq "miimon" "100" "$(<$B/miimon)"
check_eq "updelay" "200" "$(<$B/updelay)"
check_eq "downdelay" "200" "$(<$B/downdelay)"
check_eq "primary" "eth0" "$(<$B/primary)"
check_eq "primary_reselect" "always 0" "$(<$B/primary_reselect)"
check_eq "active_slave" "eth0" "$(<$B/active_slave)"
check_eq "slaves (enslaving order)" "eth0 eth1" "$(<$B/slaves)"
check_eq "mii_status" "up" "$(<$B/mii_status)"
check_eq "fail_over_mac" "none 0" "$(<$B/fail_over_mac)"
check_eq "use_carrier" "1" "$(<$B/use_carrier)"

# sysfs of the slaves.
check_eq "eth0 state" "active" "$(slave_attr eth0 state)"
check_eq "eth0 mii_status" "up" "$(slave_attr eth0 mii_status)"
check_eq "eth0 link_failure_count" "0" "$(slave_attr eth0 link_failure_count)"
check_eq "eth0 perm_hwaddr" "$MAC0" "$(slave_attr eth0 perm_hwaddr)"
check_eq "eth0 queue_id" "0" "$(slave_attr eth0 queue_id)"
check_eq "eth1 state" "backup" "$(slave_attr eth1 state)"
check_eq "eth1 mii_status" "up" "$(slave_attr eth1 mii_status)"
check_eq "eth1 link_failure_count" "0" "$(slave_attr eth1 link_failure_count)"
check_eq "eth1 perm_hwaddr" "$MAC1" "$(slave_attr eth1 perm_hwaddr)"

# MACs (fail_over_mac none: every slave takes the bond's, the first slave's).
check_eq "bond0 took eth0's MAC" "$MAC0" "$(mac bond0)"
check_eq "eth0 keeps its MAC" "$MAC0" "$(mac eth0)"
check_eq "eth1 took the bond's MAC" "$MAC0" "$(mac eth1)"

# Netlink.
nl_snap bond0
check_eq "ip -d: kind" "bond" "${NL[kind]}"
check_eq "ip -d: mode" "active-backup" "${NL[mode]}"
check_eq "ip -d: miimon" "100" "${NL[miimon]}"
check_eq "ip -d: updelay" "200" "${NL[updelay]}"
check_eq "ip -d: downdelay" "200" "${NL[downdelay]}"
check_eq "ip -d: primary" "eth0" "${NL[primary]}"
check_eq "ip -d: primary_reselect" "always" "${NL[primary_reselect]}"
check_eq "ip -d: active_slave" "eth0" "${NL[active_slave]}"
check_eq "ip -d: fail_over_mac" "none" "${NL[fail_over_mac]}"
check_eq "ip -d: use_carrier" "1" "${NL[use_carrier]}"
check_eq "ip -d: bond0 flags" "BROADCAST,MULTICAST,MASTER,UP,LOWER_UP" "${NL[flags]}"
nl_snap eth0
check_eq "ip -d: eth0 slave kind" "bond" "${NL[slave_kind]}"
check_eq "ip -d: eth0 master" "bond0" "${NL[master]}"
check_eq "ip -d: eth0 flags" "BROADCAST,MULTICAST,SLAVE,UP,LOWER_UP" "${NL[flags]}"
check_eq "ip -d: eth0 state" "ACTIVE" "${NL[state]}"
check_eq "ip -d: eth0 mii_status" "UP" "${NL[mii_status]}"
check_eq "ip -d: eth0 link_failure_count" "0" "${NL[link_failure_count]}"
check_eq "ip -d: eth0 perm_hwaddr" "$MAC0" "${NL[perm_hwaddr]}"
check_eq "ip -d: eth0 queue_id" "0" "${NL[queue_id]}"
nl_snap eth1
check_eq "ip -d: eth1 state" "BACKUP" "${NL[state]}"
check_eq "ip -d: eth1 perm_hwaddr" "$MAC1" "${NL[perm_hwaddr]}"
check_match "ip link: eth0 has master bond0" " master bond0 " "$(ip link show dev eth0)"

# /proc/net/bonding/bond0, whole.
proc_file() {
	cat <<-EOF
	Ethernet Channel Bonding Driver: v$(uname -r)

	Bonding Mode: fault-tolerance (active-backup)
	Primary Slave: eth0 (primary_reselect always)
	Currently Active Slave: $1
	MII Status: up
	MII Polling Interval (ms): 100
	Up Delay (ms): 200
	Down Delay (ms): 200
	Peer Notification Delay (ms): 0

	Slave Interface: eth0
	MII Status: $2
	Speed: 10000 Mbps
	Duplex: full
	Link Failure Count: $3
	Permanent HW addr: $MAC0
	Slave queue ID: 0

	Slave Interface: eth1
	MII Status: up
	Speed: 10000 Mbps
	Duplex: full
	Link Failure Count: 0
	Permanent HW addr: $MAC1
	Slave queue ID: 0
	EOF
}
check_eq "/proc/net/bonding/bond0" "$(proc_file eth0 up 0)" "$(</proc/net/bonding/bond0)"

check "ping through the bond" ping_ok_eventually
check "more pings" ping_ok 3

# Carrier loss of the active slave: failover after downdelay.
log_mark
carrier_off 0
check "eth1 takes over" wait_until 10 active_is eth1
check_log "downdelay announced" \
	"bond0: (slave eth0): link status down for active interface, disabling it in 200 ms"
# (logged before the active slave pointer changes, so no need to re-read)
check_log_again "eth0 definitely down" "bond0: (slave eth0): link status definitely down, disabling slave"
check_log_again "eth1 made active" "bond0: (slave eth1): making interface the new active one"
check_no_log "bond carrier did not bounce" "now running without any active interface"
check_eq "eth0 mii_status down" "down" "$(slave_attr eth0 mii_status)"
check_eq "eth0 state backup" "backup" "$(slave_attr eth0 state)"
check_eq "eth0 link_failure_count 1" "1" "$(slave_attr eth0 link_failure_count)"
check_eq "eth1 state active" "active" "$(slave_attr eth1 state)"
check_eq "bond0 still up" "up" "$(<$B/mii_status)"
nl_snap eth0
check_eq "ip -d: eth0 link_failure_count" "1" "${NL[link_failure_count]}"
check_eq "ip -d: eth0 mii_status" "DOWN" "${NL[mii_status]}"
check_eq "ip -d: eth0 state" "BACKUP" "${NL[state]}"
check_eq "/proc after failover" "$(proc_file eth1 down 1)" "$(</proc/net/bonding/bond0)"
check "ping after failover" ping_ok 3
check_eq "MACs unchanged by failover (fail_over_mac none)" "$MAC0 $MAC0 $MAC0" \
	"$(mac bond0) $(mac eth0) $(mac eth1)"

# Carrier back: eth0 returns after updelay and, being the primary with
# primary_reselect always, becomes active again.
log_mark
carrier_on 0
check "eth0 active again" wait_until 10 active_is eth0
check_log "updelay announced" "bond0: (slave eth0): link status up, enabling it in 200 ms"
check_log "eth0 definitely up again" "bond0: (slave eth0): link status definitely up, 10000 Mbps full duplex"
check_log "eth0 made active again" "bond0: (slave eth0): making interface the new active one"
check_eq "eth0 link_failure_count stays 1" "1" "$(slave_attr eth0 link_failure_count)"
check_eq "eth1 back to backup" "backup" "$(slave_attr eth1 state)"
check_eq "/proc after return" "$(proc_file eth0 up 1)" "$(</proc/net/bonding/bond0)"
check "ping after return" ping_ok 3

# Release. C says "backup" even for the active slave: __bond_release_one()
# marks the slave inactive before printing.
log_mark
check "release eth1 with ip link" ip link set eth1 nomaster
check_log "eth1 released" "bond0: (slave eth1): Releasing backup interface"
check_eq "slaves after releasing eth1" "eth0" "$(<$B/slaves)"
check_eq "eth1 got its permanent MAC back" "$MAC1" "$(mac eth1)"
check_fails "eth1 has no master" test -e /sys/class/net/eth1/master
check_fails "eth1 has no bonding_slave directory" test -e /sys/class/net/eth1/bonding_slave
check_eq "eth1 was closed (IFF_UP clear)" "0" "$(($(</sys/class/net/eth1/flags) & 1))"
check "release the active eth0 through sysfs" sh -c "echo -eth0 > $B/slaves"
check_log "eth0 released (printed as backup)" "bond0: (slave eth0): Releasing backup interface"
check_eq "no slaves" "" "$(<$B/slaves)"
check_eq "no active slave" "" "$(<$B/active_slave)"
check_eq "no primary slave" "" "$(<$B/primary)"
check_eq "bond0 mii_status down" "down" "$(<$B/mii_status)"
check_eq "bond0 lost carrier" "0" "$(</sys/class/net/bond0/carrier)"
check_eq "eth0 keeps its MAC" "$MAC0" "$(mac eth0)"
check_fails "bond0 got a new (random) MAC" test "$(mac bond0)" = "$MAC0"
check "/proc: no active slave" grep -qx "Currently Active Slave: None" /proc/net/bonding/bond0
# The primary name stays recorded: re-enslaving eth0 makes it primary again.
check "re-enslave eth0" ip link set eth0 master bond0
check_eq "eth0 is primary again" "eth0" "$(<$B/primary)"
check "eth0 active" wait_until 10 active_is eth0

ab_cleanup
check_fails "module unloaded" module_loaded
tap_done
