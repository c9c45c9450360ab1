#!/bin/bash
# rbond: parity
# max_bonds: 0 creates no bond, N creates bond0..bondN-1, a negative value is
# reset to 1 with C's warning.
. "$(dirname "$0")/lib.sh"

unload
check "modprobe bonding max_bonds=0" modprobe bonding max_bonds=0
check_fails "no bond0" link_exists bond0
check "bonding_masters exists" test -f /sys/class/net/bonding_masters
check_eq "bonding_masters is empty" "" "$(masters)"
unload

check "modprobe bonding max_bonds=3" modprobe bonding max_bonds=3
check_eq "bonding_masters lists three bonds" "bond0 bond1 bond2" "$(masters)"
unload
check_eq "all three gone after rmmod" "" "$(ip -br link show type bond 2>/dev/null)"

log_mark
check "modprobe bonding max_bonds=-1 loads" modprobe bonding max_bonds=-1
check_log "C's max_bonds warning" "Warning: max_bonds (-1) not in range 0-2147483647, so it was reset to BOND_DEFAULT_MAX_BONDS (1)"
check_eq "reset to one bond" "bond0" "$(masters)"
unload

log_mark
check "modprobe bonding tx_queues=0 loads" modprobe bonding tx_queues=0
check_log "C's tx_queues warning" "Warning: tx_queues (0) should be between 1 and 255, resetting to 16"
check_eq "bond0 has 16 tx queues" "16" "$(ls -d /sys/class/net/bond0/queues/tx-* | wc -l)"
unload

check "modprobe bonding tx_queues=4" modprobe bonding tx_queues=4
check_eq "bond0 has 4 tx queues" "4" "$(ls -d /sys/class/net/bond0/queues/tx-* | wc -l)"
unload
tap_done
