#!/bin/bash
# rbond: parity
# Debian ifupdown + ifenslave: an interfaces(5) stanza with bond-mode
# active-backup, bond-miimon 100, bond-slaves eth0 eth1, bond-primary eth0
# brings the bond up through sysfs (`ifup -i FILE bond0`); the result is
# checked through sysfs; `ifdown` releases the slaves and deletes the bond.
#
# ifenslave creates the bond with `ip link add bond0 type bond`; the module
# is loaded first with max_bonds=0, as on a Debian system (systemd ships
# "options bonding max_bonds=0").
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ab-lib.sh"

IFS_FILE=/tmp/ab-ifupdown.$$.interfaces
cat > $IFS_FILE <<EOF
iface bond0 inet static
	address $BOND_IP/24
	bond-mode active-backup
	bond-miimon 100
	bond-updelay 200
	bond-downdelay 200
	bond-slaves eth0 eth1
	bond-primary eth0
	bond-primary-reselect always
	bond-num-grat-arp 2
EOF

make_peers
check "modprobe bonding max_bonds=0" modprobe bonding max_bonds=0
out=$(ifup -i $IFS_FILE bond0 2>&1)
check "ifup bond0" test $? -eq 0
[ -n "$out" ] && printf '%s\n' "$out" | diag
require "bond0 exists" link_exists bond0
check_eq "mode" "active-backup 1" "$(<$B/mode)"
check_eq "miimon" "100" "$(<$B/miimon)"
check_eq "updelay" "200" "$(<$B/updelay)"
check_eq "downdelay" "200" "$(<$B/downdelay)"
check_eq "slaves" "eth0 eth1" "$(<$B/slaves)"
check_eq "primary" "eth0" "$(<$B/primary)"
check_eq "primary_reselect" "always 0" "$(<$B/primary_reselect)"
check_eq "num_grat_arp" "2" "$(<$B/num_grat_arp)"
require "eth0 becomes active" wait_until 10 active_is eth0
check "eth1 MII up" wait_until 10 mii_is eth1 up
check_eq "eth1 backup" "backup" "$(slave_attr eth1 state)"
check_eq "bond0 carrier" "up" "$(<$B/mii_status)"
check_match "bond0 has its address" "inet $BOND_IP/24" "$(ip -4 addr show dev bond0)"
check "ping through the bond" ping_ok_eventually
carrier_off 0
check "failover to eth1" wait_until 10 active_is eth1
check "ping after failover" ping_ok 3
carrier_on 0
check "eth0 back" wait_until 10 active_is eth0

out=$(ifdown -i $IFS_FILE bond0 2>&1)
check "ifdown bond0" test $? -eq 0
[ -n "$out" ] && printf '%s\n' "$out" | diag
check_fails "bond0 deleted" link_exists bond0
check_fails "eth0 released" is_slave eth0
check_fails "eth1 released" is_slave eth1
check_eq "eth1 MAC restored" "$MAC1" "$(mac eth1)"
check_eq "bonding_masters empty" "" "$(masters)"
rm -f $IFS_FILE

ab_cleanup
tap_done
