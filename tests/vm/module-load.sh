#!/bin/bash
# rbond: parity
# modprobe bonding creates bond0 (max_bonds defaults to 1); rmmod removes it.
. "$(dirname "$0")/lib.sh"

unload
check "modprobe bonding" modprobe bonding
check "bond0 exists" link_exists bond0
check_eq "bond0 link kind" "bond" "$(link_kind bond0)"
check_eq "bonding_masters lists bond0" "bond0" "$(masters)"
flags=$(ip -j link show dev bond0 | jq -r '.[0].flags | join(",")')
check_match "bond0 is a MASTER" "MASTER" "$flags"
check_eq "bond0 starts down" "DOWN" "$(ip -j link show dev bond0 | jq -r '.[0].operstate')"
mac=$(cat /sys/class/net/bond0/address)
check_match "bond0 has a random unicast MAC" "^[0-9a-f][26ae]:" "$mac"
check_eq "bond0 carrier is off once up (no slaves)" "0" "$(ip link set bond0 up && cat /sys/class/net/bond0/carrier)"
check "rmmod bonding" modprobe -r bonding
check_fails "bond0 is gone" link_exists bond0
check_fails "bonding_masters is gone" test -e /sys/class/net/bonding_masters
check_fails "module is unloaded" module_loaded
tap_done
