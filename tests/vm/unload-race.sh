#!/bin/bash
# rbond: parity
# Module unload racing a bond creation: `+late` is written to
# bonding_masters while `modprobe -r bonding` is deleting 200 bonds under
# RTNL, so the write waits for RTNL and may create its bond after the link
# kind is gone. The unload must still remove that bond before it frees what
# the bond uses (its sysfs files): no KASAN report, no bond left, module gone.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ab-lib.sh"

unload
for try in 1 2; do
	require "load with 200 bonds (try $try)" modprobe bonding max_bonds=200
	log_mark
	modprobe -r bonding &
	rm_pid=$!
	# The module is "going" once its exit has started: the bonds are being
	# deleted, with RTNL held.
	until [ "$(cat /sys/module/bonding/initstate 2>/dev/null)" = going ] || ! kill -0 $rm_pid 2>/dev/null; do :; done
	t0=$(now_ms)
	if { echo +late > /sys/class/net/bonding_masters; } 2>/dev/null; then wrote=1; else wrote=0; fi
	waited=$(($(now_ms) - t0))
	wait $rm_pid
	check "try $try: the unload finished" test $? = 0
	check_fails "try $try: module gone" module_loaded
	check_fails "try $try: no bond 'late' left" link_exists late
	check_no_log "try $try: no KASAN report" "KASAN"
	# Whether the write waited for the unload is reported, not asserted:
	# it depends on timing.
	echo "# try $try: the write took ${waited} ms and was $( [ $wrote = 1 ] && echo accepted || echo refused)"
done
tap_done
