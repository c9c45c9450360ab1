#!/bin/bash
# rbond: parity
# A bond without slaves drops what it is asked to send and counts tx drops.
. "$(dirname "$0")/lib.sh"

unload
modprobe bonding
ip link set bond0 up
ip addr add 192.0.2.1/24 dev bond0
check_fails "ping through a bond without slaves fails" ping -c 2 -W 1 -I bond0 192.0.2.2
drops=$(ip -s -j link show dev bond0 | jq '.[0].stats64.tx.dropped')
check_match "tx drops counted ($drops)" "^[1-9][0-9]*$" "$drops"
check_eq "nothing counted as sent" "0" "$(ip -s -j link show dev bond0 | jq '.[0].stats64.tx.packets')"
check "rmmod" modprobe -r bonding
tap_done
