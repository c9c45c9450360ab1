#!/bin/bash
# rbond: parity
# Invalid values for the load-balancing and ARP monitor options
# (xmit_hash_policy, packets_per_slave, arp_interval, arp_ip_target,
# arp_validate, arp_all_targets, arp_missed_max): through sysfs (errno, C's
# exact messages, value unchanged), through netlink, and as module
# parameters (load refused, or loaded with C's warning and the reset value).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ab-lib.sh"

EINVAL="Invalid argument" EACCES="Permission denied" EPERM="Operation not permitted"
unload

# Module parameters.
load_fails "xmit_hash_policy=bogus" 'Error: Invalid xmit_hash_policy "bogus"' mode=balance-xor xmit_hash_policy=bogus
load_warns "xmit_hash_policy in active-backup" "xmit_hash_policy param is irrelevant in mode fault-tolerance (active-backup)" \
	mode=active-backup xmit_hash_policy=layer3+4
check_eq "policy stays layer2" "layer2 0" "$(<$B/xmit_hash_policy)"
unload
load_warns "packets_per_slave=70000" "Warning: packets_per_slave (70000) should be between 0 and 65535 resetting to 1" \
	packets_per_slave=70000
check_eq "packets_per_slave reset to 1" "1" "$(<$B/packets_per_slave)"
unload
load_warns "packets_per_slave=-1" "Warning: packets_per_slave (-1) should be between 0 and 65535 resetting to 1" \
	packets_per_slave=-1
unload
load_warns "arp_interval=-1" "Warning: arp_interval module parameter (-1), not in range 0-2147483647, so it was reset to 0" \
	mode=active-backup arp_interval=-1
check_eq "arp_interval reset to 0" "0" "$(<$B/arp_interval)"
unload
load_warns "arp_interval without targets" \
	"Warning: arp_interval module parameter (100) specified without providing an arp_ip_target parameter, arp_interval was reset to 0" \
	mode=active-backup arp_interval=100
check_eq "arp_interval reset to 0" "0" "$(<$B/arp_interval)"
unload
load_warns "bad arp_ip_target" "Warning: bad arp_ip_target module parameter (bogus), ARP monitoring will not be performed" \
	mode=active-backup arp_interval=100 arp_ip_target=bogus
check_eq "arp_interval off" "0" "$(<$B/arp_interval)"
unload
load_warns "arp_ip_target 0.0.0.0" "Warning: bad arp_ip_target module parameter (0.0.0.0), ARP monitoring will not be performed" \
	mode=active-backup arp_interval=100 arp_ip_target=192.0.2.2,0.0.0.0
check_eq "the good target is kept" "192.0.2.2" "$(<$B/arp_ip_target)"
unload
load_warns "duplicate arp_ip_target" "Warning: duplicate address 192.0.2.2 in arp_ip_target, skipping" \
	mode=active-backup arp_interval=100 arp_ip_target=192.0.2.2,192.0.2.2,192.0.2.3
check_eq "targets without the duplicate" "192.0.2.2 192.0.2.3" "$(<$B/arp_ip_target)"
unload
load_warns "miimon and arp_interval" \
	"Warning: miimon (100) and arp_interval (200) can't be used simultaneously, disabling ARP monitoring" \
	mode=active-backup miimon=100 arp_interval=200 arp_ip_target=192.0.2.2
check_eq "arp_interval disabled" "0" "$(<$B/arp_interval)"
check_eq "miimon kept" "100" "$(<$B/miimon)"
unload
load_fails "arp_validate without arp_interval" "arp_validate requires arp_interval" mode=active-backup arp_validate=all
load_fails "arp_validate=bogus" 'Error: invalid arp_validate "bogus"' \
	mode=active-backup arp_interval=100 arp_ip_target=192.0.2.2 arp_validate=bogus
load_warns "arp_all_targets=bogus" 'Error: invalid arp_all_targets_value "bogus"' \
	mode=active-backup arp_interval=100 arp_ip_target=192.0.2.2 arp_all_targets=bogus
check_eq "arp_all_targets stays any" "any 0" "$(<$B/arp_all_targets)"
unload
load_warns "ARP monitor announced" "ARP monitoring set to 100 ms, validate all, with 2 target(s): 192.0.2.2 192.0.2.3" \
	mode=active-backup arp_interval=100 arp_ip_target=192.0.2.2,192.0.2.3 arp_validate=3
check_eq "arp_validate from the parameter" "all 3" "$(<$B/arp_validate)"
check_eq "arp_interval from the parameter" "100" "$(<$B/arp_interval)"
unload

# sysfs.
modprobe bonding max_bonds=1 mode=balance-rr
log_mark
check_opt_err "xmit_hash_policy bogus" $B/xmit_hash_policy bogus "$EINVAL" \
	"bond0: option xmit_hash_policy: invalid value (bogus)"
check_opt_err "xmit_hash_policy 6" $B/xmit_hash_policy 6 "$EINVAL" \
	"bond0: option xmit_hash_policy: invalid value (6)"
check_opt_err "packets_per_slave 65536" $B/packets_per_slave 65536 "$EINVAL" \
	"bond0: option packets_per_slave: invalid value (65536)" \
	"bond0: option packets_per_slave: allowed values 0 - 65535"
check_opt_err "packets_per_slave -1" $B/packets_per_slave -1 "$EINVAL" \
	"bond0: option packets_per_slave: invalid value (-1)"
check_opt_err "arp_interval abc" $B/arp_interval abc "$EINVAL" \
	"bond0: option arp_interval: invalid value (abc)" \
	"bond0: option arp_interval: allowed values 0 - 2147483647"
check_opt_err "arp_interval 2147483648" $B/arp_interval 2147483648 "$EINVAL" \
	"bond0: option arp_interval: invalid value (2147483648)"
check_opt_err "arp_validate bogus" $B/arp_validate bogus "$EINVAL" \
	"bond0: option arp_validate: invalid value (bogus)"
check_opt_err "arp_validate 7" $B/arp_validate 7 "$EINVAL" \
	"bond0: option arp_validate: invalid value (7)"
check_opt_err "arp_all_targets bogus" $B/arp_all_targets bogus "$EINVAL" \
	"bond0: option arp_all_targets: invalid value (bogus)"
check_opt_err "arp_all_targets 2" $B/arp_all_targets 2 "$EINVAL" \
	"bond0: option arp_all_targets: invalid value (2)"
check_opt_err "arp_missed_max 0" $B/arp_missed_max 0 "$EINVAL" \
	"bond0: option arp_missed_max: invalid value (0)" \
	"bond0: option arp_missed_max: allowed values 1 - 255"
check_opt_err "arp_missed_max 256" $B/arp_missed_max 256 "$EINVAL" \
	"bond0: option arp_missed_max: invalid value (256)"
check_opt_err "arp_ip_target without command" $B/arp_ip_target 192.0.2.2 "$EPERM" \
	"bond0: no command found in arp_ip_targets file - use +<addr> or -<addr>"
check_opt_err "arp_ip_target +1.2.3" $B/arp_ip_target +1.2.3 "$EPERM" \
	"bond0: invalid ARP target specified"
check_opt_err "arp_ip_target +0.0.0.0" $B/arp_ip_target +0.0.0.0 "$EINVAL" \
	"bond0: invalid ARP target 0.0.0.0 specified for addition" \
	"bond0: option arp_ip_target: invalid value (+0.0.0.0)"
check_opt_err "arp_ip_target +255.255.255.255" $B/arp_ip_target +255.255.255.255 "$EINVAL" \
	"bond0: invalid ARP target 255.255.255.255 specified for addition"
check_opt_err "arp_ip_target -192.0.2.9 (not there)" $B/arp_ip_target -192.0.2.9 "$EINVAL" \
	"bond0: unable to remove nonexistent ARP target 192.0.2.9"
check "arp_ip_target +192.0.2.2" sh -c "echo +192.0.2.2 > $B/arp_ip_target"
check_opt_err "arp_ip_target duplicate" $B/arp_ip_target +192.0.2.2 "$EINVAL" \
	"bond0: ARP target 192.0.2.2 is already present"
for i in $(seq 3 17); do echo +192.0.2.$i > $B/arp_ip_target; done
check_eq "16 targets" "16" "$(wc -w < $B/arp_ip_target)"
check_opt_err "a 17th target" $B/arp_ip_target +192.0.2.99 "$EINVAL" \
	"bond0: ARP target table is full!"
# Mode dependencies.
ip link set bond0 down
echo balance-xor > $B/mode
check_opt_err "packets_per_slave in balance-xor" $B/packets_per_slave 2 "$EACCES" \
	"bond0: option packets_per_slave: mode dependency failed, not supported in mode balance-xor(2)"
echo 802.3ad > $B/mode
for o in arp_interval arp_validate arp_missed_max; do
	check_opt_err "$o in 802.3ad" $B/$o 1 "$EACCES" \
		"bond0: option $o: mode dependency failed, not supported in mode 802.3ad(4)"
done
# Netlink.
echo balance-rr > $B/mode
out=$(ip link set bond0 type bond packets_per_slave 70000 2>&1)
check_match "ip link: packets_per_slave 70000 refused ($out)" "invalid option value" "$out"
check_eq "packets_per_slave unchanged" "1" "$(<$B/packets_per_slave)"
out=$(ip link set bond0 type bond arp_missed_max 0 2>&1)
check_match "ip link: arp_missed_max 0 refused ($out)" "invalid option value" "$out"
out=$(ip link set bond0 type bond miimon 100 arp_interval 100 2>&1)
check_match "ip link: miimon with arp_interval refused ($out)" "ARP monitoring cannot be used with MII monitoring" "$out"
unload
tap_done
