#!/bin/bash
# rbond: parity
# Invalid values for the active-backup / MII options, through sysfs (errno,
# C's exact messages, value unchanged) and as module parameters (load
# refused, or loaded with C's warning and the reset value), plus invalid
# slave commands.
#
# C quirks followed here: option dependencies (no slaves / bond down / mode)
# are checked before the value is parsed; primary accepts any name and just
# records it; primary_reselect as a module parameter is only parsed when
# primary is given; use_carrier only accepts 1 ("on").
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ab-lib.sh"

EINVAL="Invalid argument"
unload
# Module parameters.
load_warns "miimon=-1" "Warning: miimon module parameter (-1), not in range 0-2147483647, so it was reset to 0" \
	mode=1 miimon=-1
check_eq "miimon=-1: reset to 0" "0" "$(<$B/miimon)"
unload
load_fails "miimon=abc" "bonding: \`abc' invalid for parameter \`miimon'" miimon=abc
load_fails "use_carrier=0" "Error: invalid use_carrier parameter (0)" use_carrier=0
load_warns "num_grat_arp=256" "Warning: num_grat_arp/num_unsol_na (256) not in range 0-255 so it was reset to 1" \
	mode=1 miimon=100 num_grat_arp=256
check_eq "num_grat_arp=256: reset to 1" "1" "$(<$B/num_grat_arp)"
unload
load_warns "num_unsol_na=-1" "Warning: num_grat_arp/num_unsol_na (-1) not in range 0-255 so it was reset to 1" \
	mode=1 miimon=100 num_unsol_na=-1
unload
load_warns "all_slaves_active=2" \
	"Warning: all_slaves_active module parameter (2), not of valid value (0/1), so it was set to 0" \
	mode=1 miimon=100 all_slaves_active=2
check_eq "all_slaves_active=2: reset to 0" "0" "$(<$B/all_slaves_active)"
unload
load_warns "resend_igmp=256" "Warning: resend_igmp (256) should be between 0 and 255, resetting to 1" \
	mode=1 miimon=100 resend_igmp=256
check_eq "resend_igmp=256: reset to 1" "1" "$(<$B/resend_igmp)"
unload
load_fails "primary_reselect=bogus" 'Error: Invalid primary_reselect "bogus"' \
	mode=1 miimon=100 primary=eth0 primary_reselect=bogus
log_mark
check "primary_reselect=bogus without primary loads (not parsed)" \
	modprobe bonding mode=1 miimon=100 primary_reselect=bogus
check_eq "primary_reselect stays always" "always 0" "$(<$B/primary_reselect)"
unload
load_fails "fail_over_mac=bogus" 'Error: invalid fail_over_mac "bogus"' mode=1 miimon=100 fail_over_mac=bogus
load_warns "fail_over_mac in balance-rr" "Warning: fail_over_mac only affects active-backup mode" \
	miimon=100 fail_over_mac=active
check_eq "fail_over_mac recorded anyway" "active 1" "$(<$B/fail_over_mac)"
unload
# C names the mode with bond_mode_name() here, not the option value.
load_warns "primary in balance-rr" \
	"Warning: eth0 primary device specified but has no effect in load balancing (round-robin) mode" \
	miimon=100 primary=eth0
unload
load_fails "mode=bogus" 'Error: Invalid bonding mode "bogus"' mode=bogus


# Options through sysfs.
make_peers
require "bond0 up" make_bond mode=1 miimon=100 primary=eth0
check "eth1 up" wait_until 10 mii_is eth1 up
# bond1: balance-rr, down, no slaves.
# (New bonds take the module parameters as defaults: mode=1 here.)
check "bond1 (balance-rr)" ip link add bond1 type bond mode balance-rr
B1=/sys/class/net/bond1/bonding

# mode
check_opt_err "mode with slaves" $B/mode balance-rr "Directory not empty" \
	"bond0: option mode: unable to set because the bond device has slaves"
check_opt_err "mode bogus with slaves" $B/mode bogus "Directory not empty" \
	"bond0: option mode: unable to set because the bond device has slaves"
check_opt_err "mode bogus" $B1/mode bogus "$EINVAL" "bond1: option mode: invalid value (bogus)"
check_opt_err "mode 7" $B1/mode 7 "$EINVAL" "bond1: option mode: invalid value (7)"

# primary / active_slave are not supported in balance-rr.
check_opt_err "primary in balance-rr" $B1/primary eth0 "Permission denied" \
	"bond1: option primary: mode dependency failed, not supported in mode balance-rr(0)"
check_opt_err "active_slave in balance-rr" $B1/active_slave eth0 "Permission denied" \
	"bond1: option active_slave: mode dependency failed, not supported in mode balance-rr(0)"

# fail_over_mac (bond1 has no slaves, so the value is parsed).
check_opt_err "fail_over_mac bogus" $B1/fail_over_mac bogus "$EINVAL" \
	"bond1: option fail_over_mac: invalid value (bogus)"
check_opt_err "fail_over_mac 3" $B1/fail_over_mac 3 "$EINVAL" \
	"bond1: option fail_over_mac: invalid value (3)"
check_opt_err "fail_over_mac with slaves" $B/fail_over_mac follow "Directory not empty" \
	"bond0: option fail_over_mac: unable to set because the bond device has slaves"

check "bond1 up" ip link set bond1 up
check_opt_err "mode while up" $B1/mode active-backup "Device or resource busy" \
	"bond1: option mode: unable to set because the bond device is up"
check "bond1 down" ip link set bond1 down
check_eq "mode settable when down" "ok" "$(sysfs_err $B1/mode active-backup)"
check_eq "bond1 is active-backup" "active-backup 1" "$(<$B1/mode)"

# miimon, updelay, downdelay (more values in ab-delays)
for v in -1 abc 2147483648; do
	check_opt_err "miimon $v" $B/miimon $v "$EINVAL" "bond0: option miimon: invalid value ($v)" \
		"bond0: option miimon: allowed values 0 - 2147483647"
done
for opt in updelay downdelay; do
	check_opt_err "$opt -1" $B/$opt -1 "$EINVAL" "bond0: option $opt: invalid value (-1)" \
		"bond0: option $opt: allowed values 0 - 2147483647"
done

# use_carrier: only 1 ("on") is valid.
for v in 0 off; do
	check_opt_err "use_carrier $v" $B/use_carrier $v "$EINVAL" "bond0: option use_carrier: invalid value ($v)"
done
check_eq "use_carrier on accepted" "ok" "$(sysfs_err $B/use_carrier on)"
check_eq "use_carrier 1 accepted" "ok" "$(sysfs_err $B/use_carrier 1)"
out=$(ip link set bond0 type bond use_carrier 0 2>&1)
check_match "ip link use_carrier 0 refused" "option obsolete, use_carrier cannot be disabled" "$out"

# primary: a name that is not a slave is recorded, not refused.
log_mark
check_eq "primary nosuch accepted" "ok" "$(sysfs_err $B/primary nosuch)"
check_eq "primary reads empty" "" "$(<$B/primary)"
check "/proc: no primary slave" grep -qx "Primary Slave: None" /proc/net/bonding/bond0
check_eq "active slave unchanged" "eth0" "$(active)"
check "primary eth0 again" sh -c "echo eth0 > $B/primary"
check_eq "primary reads eth0" "eth0" "$(<$B/primary)"

# primary_reselect
for v in foo 3; do
	check_opt_err "primary_reselect $v" $B/primary_reselect $v "$EINVAL" \
		"bond0: option primary_reselect: invalid value ($v)"
done

# active_slave
check_opt_err "active_slave nosuch" $B/active_slave nosuch "No such device" \
	"bond0: option active_slave: interface nosuch does not exist!"
check_opt_err "active_slave lo (not a slave)" $B/active_slave lo "$EINVAL" \
	"bond0: (slave lo): Device is not bonding slave" "bond0: option active_slave: invalid value (lo)"
ip link add dumab0 type dummy
ip link set dumab0 master bond1
check_opt_err "active_slave dumab0 (bond1's slave)" $B/active_slave dumab0 "$EINVAL" \
	"bond0: (slave dumab0): Device is not our slave" "bond0: option active_slave: invalid value (dumab0)"
carrier_off 1
check "eth1 MII down" wait_until 10 mii_is eth1 down
check_opt_err "active_slave eth1 (link down)" $B/active_slave eth1 "$EINVAL" \
	"bond0: (slave eth1): Could not set as active slave; either eth1 is down or the link is down" \
	"bond0: option active_slave: invalid value (eth1)"
carrier_on 1
check "eth1 MII up" wait_until 10 mii_is eth1 up

# num_grat_arp / num_unsol_na
for v in 256 -1 abc; do
	check_opt_err "num_grat_arp $v" $B/num_grat_arp $v "$EINVAL" "bond0: option num_grat_arp: invalid value ($v)" \
		"bond0: option num_grat_arp: allowed values 0 - 255"
done
# The alias reports under its own name.
check_opt_err "num_unsol_na 256" $B/num_unsol_na 256 "$EINVAL" "bond0: option num_unsol_na: invalid value (256)" \
	"bond0: option num_unsol_na: allowed values 0 - 255"
check_eq "num_grat_arp maxval" "ok" "$(sysfs_err $B/num_grat_arp maxval)"
check_eq "num_grat_arp reads 255" "255" "$(<$B/num_grat_arp)"
check_eq "num_unsol_na default" "ok" "$(sysfs_err $B/num_unsol_na default)"
check_eq "num_unsol_na reads 1" "1" "$(<$B/num_unsol_na)"

# peer_notif_delay
check_opt_err "peer_notif_delay 300001" $B/peer_notif_delay 300001 "$EINVAL" \
	"bond0: option peer_notif_delay: invalid value (300001)" \
	"bond0: option peer_notif_delay: allowed values 0 - 300000"
check_opt_err "peer_notif_delay x" $B/peer_notif_delay x "$EINVAL" \
	"bond0: option peer_notif_delay: invalid value (x)" \
	"bond0: option peer_notif_delay: allowed values 0 - 300000"

# all_slaves_active
for v in 2 foo; do
	check_opt_err "all_slaves_active $v" $B/all_slaves_active $v "$EINVAL" \
		"bond0: option all_slaves_active: invalid value ($v)"
done
check_eq "all_slaves_active on" "ok" "$(sysfs_err $B/all_slaves_active on)"
check_eq "all_slaves_active reads 1" "1" "$(<$B/all_slaves_active)"
echo 0 > $B/all_slaves_active

# resend_igmp
for v in 256 -1; do
	check_opt_err "resend_igmp $v" $B/resend_igmp $v "$EINVAL" \
		"bond0: option resend_igmp: invalid value ($v)" "bond0: option resend_igmp: allowed values 0 - 255"
done

# slaves
check_opt_err "slaves without +/-" $B/slaves eth1 "Operation not permitted" \
	"bond0: no command found in slaves file - use +ifname or -ifname"
check_opt_err "slaves +nosuch" $B/slaves +nosuch "No such device"
check_opt_err "slaves -lo (not a slave)" $B/slaves -lo "$EINVAL"
check_opt_err "slaves +eth1 (already a slave)" $B/slaves +eth1 "Device or resource busy" \
	"bond0: (slave eth1): Error: Device is in use and cannot be enslaved"
check_opt_err "slaves +bond0" $B/slaves +bond0 "Operation not permitted" \
	"bond0: Error: Cannot enslave bond to itself."
ip link add dumab1 type dummy
ip link set dumab1 up
check_opt_err "slaves +dumab1 (up)" $B/slaves +dumab1 "Operation not permitted" \
	"bond0: (slave dumab1): Error: Device can not be enslaved while up"
out=$(ip link set dumab1 master bond0 2>&1)
check_match "ip link: enslaving an up device refused" "Device can not be enslaved while up" "$out"
check_eq "slaves unchanged" "eth0 eth1" "$(<$B/slaves)"
check_eq "active unchanged" "eth0" "$(active)"
ip link del dumab1
ip link del dumab0

ab_cleanup
tap_done
