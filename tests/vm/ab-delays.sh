#!/bin/bash
# rbond: parity
# updelay / downdelay / peer_notif_delay: rounding down to a multiple of
# miimon with C's warning, storage in miimon ticks (changing miimon rescales
# the delays in ms), refusal without miimon, invalid values through sysfs
# and ip link (errno, C's messages, value unchanged), the same for module
# parameters, and coarse timing: no failover before downdelay, no return
# before updelay, a short carrier flap absorbed by downdelay.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ab-lib.sh"

unload
check "modprobe bonding mode=1 miimon=100" modprobe bonding mode=1 miimon=100

# Rounding.
log_mark
check_eq "updelay 250 accepted" "ok" "$(sysfs_err $B/updelay 250)"
check_eq "updelay rounded to 200" "200" "$(<$B/updelay)"
check_log "updelay rounding warning" \
	"bond0: up delay (250) is not a multiple of miimon (100), value rounded to 200 ms"
check_eq "downdelay 350 accepted" "ok" "$(sysfs_err $B/downdelay 350)"
check_eq "downdelay rounded to 300" "300" "$(<$B/downdelay)"
check_log "downdelay rounding warning" \
	"bond0: down delay (350) is not a multiple of miimon (100), value rounded to 300 ms"
check_eq "peer_notif_delay 150 accepted" "ok" "$(sysfs_err $B/peer_notif_delay 150)"
check_eq "peer_notif_delay rounded to 100" "100" "$(<$B/peer_notif_delay)"
check_log "peer_notif_delay rounding warning" \
	"bond0: peer notification delay (150) is not a multiple of miimon (100), value rounded to 100 ms"
log_mark
check "ip link updelay 150" ip link set bond0 type bond updelay 150
check_eq "updelay rounded to 100" "100" "$(<$B/updelay)"
check_log "ip link: rounding warning" \
	"bond0: up delay (150) is not a multiple of miimon (100), value rounded to 100 ms"
check "ip link downdelay 99" ip link set bond0 type bond downdelay 99
check_eq "downdelay rounded to 0" "0" "$(<$B/downdelay)"
check_log "ip link: rounding to 0 warning" \
	"bond0: down delay (99) is not a multiple of miimon (100), value rounded to 0 ms"
log_mark
check "exact multiple" sh -c "echo 400 > $B/updelay"
check_eq "updelay 400" "400" "$(<$B/updelay)"
check_no_log "no warning for a multiple" "not a multiple"

# Delays are kept in miimon ticks: changing miimon changes them in ms.
echo 200 > $B/downdelay
check "miimon 50" sh -c "echo 50 > $B/miimon"
check_eq "updelay is now 4 ticks of 50 ms" "200" "$(<$B/updelay)"
check_eq "downdelay is now 2 ticks of 50 ms" "100" "$(<$B/downdelay)"
check "/proc shows the scaled updelay" grep -qx "Up Delay (ms): 200" /proc/net/bonding/bond0
nl_snap bond0
check_eq "ip -d: updelay scaled" "200" "${NL[updelay]}"
check_eq "ip -d: peer_notify_delay scaled" "50" "${NL[peer_notify_delay]}"
check "miimon 100 again" sh -c "echo 100 > $B/miimon"
check_eq "updelay back to 400" "400" "$(<$B/updelay)"

# Invalid values: through sysfs.
lim="allowed values 0 - 2147483647"
for opt in updelay downdelay; do
	check_opt_err "$opt -1" $B/$opt -1 "Invalid argument" \
		"bond0: option $opt: invalid value (-1)" "bond0: option $opt: $lim"
	check_opt_err "$opt abc" $B/$opt abc "Invalid argument" \
		"bond0: option $opt: invalid value (abc)" "bond0: option $opt: $lim"
	check_opt_err "$opt 2147483648" $B/$opt 2147483648 "Invalid argument" \
		"bond0: option $opt: invalid value (2147483648)" "bond0: option $opt: $lim"
done
check_opt_err "peer_notif_delay 300001" $B/peer_notif_delay 300001 "Invalid argument" \
	"bond0: option peer_notif_delay: invalid value (300001)" \
	"bond0: option peer_notif_delay: allowed values 0 - 300000"
check_opt_err "peer_notif_delay -1" $B/peer_notif_delay -1 "Invalid argument" \
	"bond0: option peer_notif_delay: invalid value (-1)" \
	"bond0: option peer_notif_delay: allowed values 0 - 300000"
check_eq "maxval keyword" "ok" "$(sysfs_err $B/updelay maxval)"
check_eq "updelay maxval rounds to a multiple" "2147483600" "$(<$B/updelay)"
check_eq "off keyword" "ok" "$(sysfs_err $B/updelay off)"
check_eq "updelay off is 0" "0" "$(<$B/updelay)"
echo 400 > $B/updelay

# Invalid values: through ip link. iproute2 rejects negatives itself; a
# u32 above INT_MAX reaches C as a negative int, which C's option parser
# sees as (u64)-1: the message shows 18446744073709551615.
log_mark
out=$(ip link set bond0 type bond updelay -1 2>&1)
check_match "ip link updelay -1: iproute2 refuses" 'argument "-1" is wrong' "$out"
out=$(ip link set bond0 type bond updelay 4294967295 2>&1)
check_match "ip link updelay 4294967295: kernel refuses" "Error: invalid option value" "$out"
check_log "ip link: C's message" "bond0: option updelay: invalid value (18446744073709551615)"
check_log "ip link: C's range message" "bond0: option updelay: $lim"
# C's netlink policy bounds IFLA_BOND_PEER_NOTIF_DELAY (0-300000): the
# request is refused before the option code, without a kernel message.
log_mark
out=$(ip link set bond0 type bond peer_notify_delay 300001 2>&1)
check_match "ip link peer_notify_delay 300001 refused by the policy" "Error: integer out of range" "$out"
check_no_log "no bonding message for it" "bond0:"
check_eq "updelay unchanged" "400" "$(<$B/updelay)"

# Without miimon the delays cannot be set.
check "miimon 0" sh -c "echo 0 > $B/miimon"
check_opt_err "updelay without miimon" $B/updelay 200 "Operation not permitted" \
	"bond0: Unable to set up delay as MII monitoring is disabled"
check_opt_err "downdelay without miimon" $B/downdelay 200 "Operation not permitted" \
	"bond0: Unable to set down delay as MII monitoring is disabled"
check_opt_err "peer_notif_delay without miimon" $B/peer_notif_delay 200 "Operation not permitted" \
	"bond0: Unable to set peer notification delay as MII monitoring is disabled"
log_mark
out=$(ip link set bond0 type bond updelay 200 2>&1)
check_match "ip link updelay without miimon refused" "Operation not permitted" "$out"
check_log "ip link: C's message" "bond0: Unable to set up delay as MII monitoring is disabled"
unload

# Module parameters.
log_mark
check "modprobe updelay=250 downdelay=330" modprobe bonding mode=1 miimon=100 updelay=250 downdelay=330
check_log "updelay parameter rounding" \
	"Warning: updelay (250) is not a multiple of miimon (100), updelay rounded to 200 ms"
check_log "downdelay parameter rounding" \
	"Warning: downdelay (330) is not a multiple of miimon (100), downdelay rounded to 300 ms"
check_eq "updelay 200" "200" "$(<$B/updelay)"
check_eq "downdelay 300" "300" "$(<$B/downdelay)"
unload
log_mark
check "modprobe updelay=-1 downdelay=-2 loads" modprobe bonding mode=1 miimon=100 updelay=-1 downdelay=-2
check_log "negative updelay parameter" \
	"Warning: updelay module parameter (-1), not in range 0-2147483647, so it was reset to 0"
check_log "negative downdelay parameter" \
	"Warning: downdelay module parameter (-2), not in range 0-2147483647, so it was reset to 0"
check_eq "updelay 0" "0" "$(<$B/updelay)"
unload
log_mark
check "modprobe updelay without miimon loads" modprobe bonding mode=1 updelay=200
check_log "delays without miimon" \
	"Warning: miimon module parameter not set and updelay (200) or downdelay (0) module parameter is set; updelay and downdelay have no effect unless miimon is set"
check_eq "updelay reads 0 (ticks x miimon 0)" "0" "$(<$B/updelay)"
unload
log_mark
check_fails "modprobe updelay=abc refused" modprobe bonding updelay=abc
check_log "kernel's parameter message" "bonding: \`abc' invalid for parameter \`updelay'"

# Timing (coarse lower bounds only: TCG is slow, never fast).
make_peers
require "bond with 1 s delays" make_bond mode=1 miimon=100 updelay=1000 downdelay=1000 primary=eth0
check "eth1 up" wait_until 20 mii_is eth1 up
log_mark
t0=$(now_ms)
carrier_off 0
check "eth0 going down" wait_until 10 mii_is eth0 "going down"
check_eq "eth0 still active while going down" "eth0" "$(active)"
check_log "downdelay announced" \
	"bond0: (slave eth0): link status down for active interface, disabling it in 1000 ms"
check "failover to eth1" wait_until 20 active_is eth1
t1=$(now_ms)
check "failover not before downdelay ($((t1 - t0)) ms)" test $((t1 - t0)) -ge 1000
log_mark
t0=$(now_ms)
carrier_on 0
check "eth0 going back" wait_until 10 mii_is eth0 "going back"
check_eq "eth1 still active while eth0 goes back" "eth1" "$(active)"
check_log "updelay announced" "bond0: (slave eth0): link status up, enabling it in 1000 ms"
check "eth0 active again" wait_until 20 active_is eth0
t1=$(now_ms)
check "return not before updelay ($((t1 - t0)) ms)" test $((t1 - t0)) -ge 1000

# A flap shorter than downdelay: no failover, no failure counted. Longer
# delays from here on, so that the flaps stay inside them even when the
# guest is slow (two test VMs share the host's cores in make check).
check "downdelay 5000" sh -c "echo 5000 > $B/downdelay"
check "updelay 5000" sh -c "echo 5000 > $B/updelay"
log_mark
carrier_off 0
check "eth0 going down (flap)" wait_until 10 mii_is eth0 "going down"
carrier_on 0
check "eth0 up again" wait_until 10 mii_is eth0 up
check_log_re "recovery message" "bond0: \(slave eth0\): link status up again after [0-9]+ ms"
check_eq "eth0 stayed active" "eth0" "$(active)"
check_eq "eth0 failure count unchanged" "1" "$(slave_attr eth0 link_failure_count)"
# A backup flap shorter than updelay: eth1 does not come back.
carrier_off 1
check "eth1 down" wait_until 20 mii_is eth1 down
log_mark
carrier_on 1
check "eth1 going back" wait_until 10 mii_is eth1 "going back"
carrier_off 1
check "eth1 down again" wait_until 10 mii_is eth1 down
check_log_re "down again message" "bond0: \(slave eth1\): link status down again after [0-9]+ ms"
# C counts a "down again" during updelay as a link failure too.
check_eq "eth1 failure count 2" "2" "$(slave_attr eth1 link_failure_count)"

ab_cleanup
tap_done
