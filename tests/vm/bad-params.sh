#!/bin/bash
# rbond: parity
# Invalid module parameters refuse the load with C's messages; valid mode
# names and numbers are accepted.
. "$(dirname "$0")/lib.sh"

unload
log_mark
check_fails "mode=bogus refuses the load" modprobe bonding mode=bogus
check_log "C's message for mode=bogus" 'Error: Invalid bonding mode "bogus"'
check_fails "module not loaded after mode=bogus" module_loaded

log_mark
check_fails "mode=7 refuses the load" modprobe bonding mode=7
check_log "C's message for mode=7" 'Error: Invalid bonding mode "7"'

log_mark
check_fails "max_bonds=abc refuses the load" modprobe bonding max_bonds=abc
check_log "kernel's message for max_bonds=abc" "bonding: \`abc' invalid for parameter \`max_bonds'"
check_fails "module not loaded after max_bonds=abc" module_loaded

for m in balance-rr active-backup balance-xor broadcast 802.3ad balance-tlb balance-alb 0 1 2 3 4 5 6; do
	check "mode=$m loads" modprobe bonding mode=$m max_bonds=0
	unload
done
tap_done
