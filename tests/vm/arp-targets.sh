#!/bin/bash
# rbond: parity
# ARP and NS target lists through every surface: sysfs +addr/-addr (order
# kept, later targets move up on removal), netlink lists that replace the
# whole table, ip -d link, /proc/net/bonding; arp_missed_max and
# arp_all_targets; arp_interval and miimon exclude each other; invalid NS
# targets; and the NS monitor bringing the slaves up over IPv6.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ab-lib.sh"
. "$(dirname "$0")/arp-lib.sh"

unload
modprobe bonding max_bonds=1 mode=active-backup
check_eq "no targets" "" "$(<$B/arp_ip_target)"
for t in 192.0.2.2 192.0.2.3 192.0.2.4; do echo +$t > $B/arp_ip_target; done
check_eq "three targets in order" "192.0.2.2 192.0.2.3 192.0.2.4" "$(<$B/arp_ip_target)"
check "remove the middle one" sh -c "echo -192.0.2.3 > $B/arp_ip_target"
check_eq "the last moved up" "192.0.2.2 192.0.2.4" "$(<$B/arp_ip_target)"
check "ip link replaces the list" ip link set bond0 type bond arp_ip_target 192.0.2.5,192.0.2.6,192.0.2.7
check_eq "sysfs shows the new list" "192.0.2.5 192.0.2.6 192.0.2.7" "$(<$B/arp_ip_target)"
check_eq "ip -d link shows the list" '["192.0.2.5","192.0.2.6","192.0.2.7"]' \
	"$(ip -d -j link show bond0 | jq -c '.[0].linkinfo.info_data.arp_ip_target')"
check "arp_interval 200" sh -c "echo 200 > $B/arp_interval"
check_eq "arp_missed_max default" "2" "$(<$B/arp_missed_max)"
check "arp_missed_max 5" sh -c "echo 5 > $B/arp_missed_max"
check "arp_all_targets all" sh -c "echo all > $B/arp_all_targets"
check_eq "arp_all_targets reads all" "all 1" "$(<$B/arp_all_targets)"
proc=$(cat /proc/net/bonding/bond0)
check_match "/proc: interval" "ARP Polling Interval \(ms\): 200" "$proc"
check_match "/proc: missed max" "ARP Missed Max: 5" "$proc"
check_match "/proc: targets" "ARP IP target/s \(n.n.n.n form\): 192.0.2.5, 192.0.2.6, 192.0.2.7" "$proc"
nl_snap bond0
check_eq "ip -d: arp_interval" "200" "${NL[arp_interval]}"
check_eq "ip -d: arp_missed_max" "5" "${NL[arp_missed_max]}"
check_eq "ip -d: arp_all_targets" "all" "${NL[arp_all_targets]}"
log_mark
for t in 192.0.2.6 192.0.2.7; do echo -$t > $B/arp_ip_target; done
check "remove the last target" sh -c "echo -192.0.2.5 > $B/arp_ip_target"
check_log "C's warning" "bond0: Removing last arp target with arp_interval on"
check_eq "no targets left" "" "$(<$B/arp_ip_target)"
check_match "/proc: empty target list" "ARP IP target/s \(n.n.n.n form\):"$'\n' "$(cat /proc/net/bonding/bond0)"
# arp_interval and miimon exclude each other.
check "miimon 100" sh -c "echo 100 > $B/miimon"
check_eq "miimon set: arp_interval off" "0" "$(<$B/arp_interval)"
check "arp_interval 100" sh -c "echo 100 > $B/arp_interval"
check_eq "arp_interval set: miimon off" "0" "$(<$B/miimon)"
# NS targets (netlink only, as in C).
check "ns_ip6_target list" ip link set bond0 type bond ns_ip6_target 2001:db8::2,2001:db8::3
check_eq "ip -d link shows the NS targets" '["2001:db8::2","2001:db8::3"]' \
	"$(ip -d -j link show bond0 | jq -c '.[0].linkinfo.info_data.ns_ip6_target')"
check_match "/proc: NS targets" "NS IPv6 target/s \(xx::xx form\): 2001:db8::2, 2001:db8::3" "$(cat /proc/net/bonding/bond0)"
log_mark
out=$(ip link set bond0 type bond ns_ip6_target ::1 2>&1)
check_match "loopback NS target refused ($out)" "invalid option value" "$out"
check_log "C's message" "bond0: invalid NS target ::1 specified for addition"
check_log "C's value line (the value of an address-only option is ULLONG_MAX)" \
	"bond0: option ns_ip6_target: invalid value (18446744073709551615)"
check_log "no target was added" "bond0: Removing last ns target with arp_interval on"
out=$(ip link set bond0 type bond ns_ip6_target ff02::1 2>&1)
check_match "multicast NS target refused ($out)" "invalid option value" "$out"
check_eq "the failed list left none" "null" \
	"$(ip -d -j link show bond0 | jq -c '.[0].linkinfo.info_data.ns_ip6_target')"
unload

# The NS monitor: IPv6 target only.
make_peers
ip -n peer addr add 2001:db8::2/64 dev br0 nodad
modprobe bonding max_bonds=0
ip link add bond0 type bond mode active-backup arp_interval 100 ns_ip6_target 2001:db8::2 arp_validate all
ip -b - <<-IPEOF
link set eth0 master bond0
link set eth1 master bond0
addr add 2001:db8::1/64 dev bond0 nodad
link set bond0 up
IPEOF
check "NS monitor: an active slave" wait_until 15 has_active
check "NS monitor: both slaves up" wait_until 15 sh -c "[ \"\$(cat /sys/class/net/eth0/bonding_slave/mii_status) \$(cat /sys/class/net/eth1/bonding_slave/mii_status)\" = 'up up' ]"
check "ping6 through the bond" ping -6 -q -n -c 3 -i 0.2 -W 2 2001:db8::2
ab_cleanup
tap_done
