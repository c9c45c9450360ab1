#!/bin/bash
# rbond: parity
# Invalid module parameters refuse the load with C's messages; valid mode
# names and numbers are accepted. The 802.3ad/ALB parameters lacp_rate,
# ad_select, min_links and lp_interval: listed by modinfo with C's
# descriptions, valid values reach sysfs, invalid ones refuse the load or
# draw C's warning and the default.
#
# C quirks followed here: lacp_rate is parsed only in 802.3ad mode (else
# ignored, with a notice); ad_select is parsed and kept in every mode (with
# a warning outside 802.3ad); min_links is not checked (-1 becomes the
# unsigned 4294967295); lp_interval=0 is reset to 1 with a warning that
# says "ip_interval", and lp_interval, a uint parameter kept in an int,
# shows 4294967295 as -1.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ab-lib.sh"

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

# lacp_rate, ad_select, min_links, lp_interval.
params=$(modinfo -p bonding)
for l in \
	"lacp_rate:LACPDU tx rate to request from 802.3ad partner; 0 for slow, 1 for fast (charp)" \
	"ad_select:802.3ad aggregation selection logic; 0 for stable (default), 1 for bandwidth, 2 for count (charp)" \
	"min_links:Minimum number of available links before turning on carrier (int)" \
	"lp_interval:The number of seconds between instances where the bonding driver sends learning packets to each slaves peer switch. The default is 1. (uint)"; do
	check "modinfo -p lists ${l%%:*}" grep -qxF -- "$l" <<< "$params"
done

check "lacp_rate=fast mode=4 loads" modprobe bonding lacp_rate=fast mode=4
check_eq "lacp_rate=fast: sysfs" "fast 1" "$(<$B/lacp_rate)"
check_eq "ad_select defaults to stable" "stable 0" "$(<$B/ad_select)"
check_eq "min_links defaults to 0" "0" "$(<$B/min_links)"
check_eq "lp_interval defaults to 1" "1" "$(<$B/lp_interval)"
unload
check "lacp_rate=1 mode=802.3ad loads" modprobe bonding lacp_rate=1 mode=802.3ad
check_eq "lacp_rate=1: sysfs" "fast 1" "$(<$B/lacp_rate)"
unload
load_fails "lacp_rate=bogus in 802.3ad" 'Error: Invalid lacp rate "bogus"' mode=4 lacp_rate=bogus
load_fails "lacp_rate=2 in 802.3ad" 'Error: Invalid lacp rate "2"' mode=4 lacp_rate=2
load_warns "lacp_rate in balance-rr" "lacp_rate param is irrelevant in mode load balancing (round-robin)" \
	lacp_rate=fast
check_eq "lacp_rate outside 802.3ad: stays slow" "slow 0" "$(<$B/lacp_rate)"
unload
load_warns "lacp_rate=bogus in active-backup (not parsed)" \
	"lacp_rate param is irrelevant in mode fault-tolerance (active-backup)" mode=1 lacp_rate=bogus
unload

log_mark
check "ad_select=count mode=4 loads" modprobe bonding ad_select=count mode=4
check_eq "ad_select=count: sysfs" "count 2" "$(<$B/ad_select)"
check_fails "ad_select in 802.3ad: no warning" log_has "ad_select param only affects 802.3ad mode"
unload
check "ad_select=3 mode=4 loads" modprobe bonding ad_select=3 mode=4
check_eq "ad_select=3: sysfs" "actor_port_prio 3" "$(<$B/ad_select)"
unload
load_warns "ad_select in balance-rr" "ad_select param only affects 802.3ad mode" ad_select=bandwidth
check_eq "ad_select outside 802.3ad: kept" "bandwidth 1" "$(<$B/ad_select)"
unload
load_fails "ad_select=bogus" 'Error: Invalid ad_select "bogus"' ad_select=bogus
load_fails "ad_select=4 in 802.3ad" 'Error: Invalid ad_select "4"' mode=4 ad_select=4

check "min_links=2 lp_interval=5 load" modprobe bonding min_links=2 lp_interval=5
check_eq "min_links=2: sysfs" "2" "$(<$B/min_links)"
check_eq "lp_interval=5: sysfs" "5" "$(<$B/lp_interval)"
info=$(ip -d -j link show dev bond0 | jq -c '.[0].linkinfo.info_data | [.min_links, .lp_interval]')
check_eq "min_links and lp_interval over netlink" "[2,5]" "$info"
unload
check "min_links=-1 loads (not checked)" modprobe bonding min_links=-1
check_eq "min_links=-1: sysfs" "4294967295" "$(<$B/min_links)"
unload
load_fails "min_links=abc" "bonding: \`abc' invalid for parameter \`min_links'" min_links=abc
load_warns "lp_interval=0" "Warning: ip_interval must be between 1 and 2147483647, so it was reset to 1" \
	mode=balance-alb lp_interval=0
check_eq "lp_interval=0: reset to 1" "1" "$(<$B/lp_interval)"
unload
load_fails "lp_interval=-1" "bonding: \`-1' invalid for parameter \`lp_interval'" lp_interval=-1
check "lp_interval=4294967295 loads" modprobe bonding lp_interval=4294967295
check_eq "lp_interval=4294967295: sysfs (an int)" "-1" "$(<$B/lp_interval)"
unload
tap_done
