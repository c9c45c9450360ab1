#!/bin/bash
# rbond: parity
# `ip link add/del ... type bond` through the rtnl link kind "bond",
# including module autoload by the link kind alias.
. "$(dirname "$0")/lib.sh"

unload
check "ip link add autoloads the module" ip link add bond1 type bond
check "module is loaded" module_loaded
check "bond1 exists" link_exists bond1
check_eq "bond1 kind is bond" "bond" "$(link_kind bond1)"
check_eq "autoload made bond0 too (max_bonds=1)" "bond0 bond1" "$(masters)"
check_fails "adding bond1 again fails" ip link add bond1 type bond
check "ip link del bond1" ip link del bond1
check_fails "bond1 is gone" link_exists bond1
check_eq "bonding_masters after delete" "bond0" "$(masters)"
check "ip link add with an explicit name pattern" ip link add name bondx%d type bond
check "bondx0 exists" link_exists bondx0
check "ip link del bond0" ip link del bond0
check_eq "bonding_masters" "bondx0" "$(masters)"
check "set bondx0 up" ip link set bondx0 up
check "set bondx0 down" ip link set bondx0 down
check "rmmod with a bond present" modprobe -r bonding
check_fails "bondx0 went with the module" link_exists bondx0
tap_done
