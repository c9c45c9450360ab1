#!/bin/bash
# rbond: parity
# /sys/class/net/bonding_masters: +name creates, -name deletes, errors as C,
# and one file per network namespace.
. "$(dirname "$0")/lib.sh"

M=/sys/class/net/bonding_masters
w() { echo "$1" > $M; }

unload
modprobe bonding max_bonds=0
log_mark
check "+bond2 creates bond2" w +bond2
check "bond2 exists" link_exists bond2
check_eq "bond2 kind is bond" "bond" "$(link_kind bond2)"
check_log "creation message" "bonding: bond2 is being created..."
check_fails "+bond2 again fails" w +bond2
out=$( (echo +bond2 > $M) 2>&1 )
check_match "EEXIST for an existing name" "File exists" "$out"
check_log "exists message" "bonding: bond2 already exists"
check "+bond3" w +bond3
check_eq "listing order" "bond2 bond3" "$(masters)"
check "-bond2 deletes bond2" w -bond2
check_log "deletion message" "bonding: bond2 is being deleted..."
check_fails "bond2 is gone" link_exists bond2
out=$( (echo -nosuch > $M) 2>&1 )
check_match "ENODEV for a non-existent bond" "No such device" "$out"
check_log "non-existent message" "bonding: unable to delete non-existent nosuch"
ip link add dummy7 type dummy
out=$( (echo -dummy7 > $M) 2>&1 )
check_match "ENODEV for a device that is not a bond" "No such device" "$out"
check "dummy7 still exists" link_exists dummy7
ip link del dummy7
for bad in "bond9" "+" "*bond9" "+a/b" "+a:b" "" "+.."; do
	log_mark
	out=$( (echo "$bad" > $M) 2>&1 )
	check_match "'$bad' is rejected with EPERM" "Operation not permitted" "$out"
	check_log "'$bad' gets C's message" "bonding: no command found in bonding_masters - use +ifname or -ifname"
done
check "a 17-byte word creates a 15-byte name (C's %16s)" w +abcdefghijklmnopq
check "abcdefghijklmno exists" link_exists abcdefghijklmno
check "+name with trailing words uses the first" w "+bond4 +bond5"
check_fails "bond5 not created" link_exists bond5
check_eq "listing" "bond3 abcdefghijklmno bond4" "$(masters)"

# One file per namespace.
ip netns add ns1
check "+nsbond in ns1" ip netns exec ns1 sh -c 'echo +nsbond > /sys/class/net/bonding_masters'
check_eq "ns1 lists only its own bond" "nsbond" "$(ip netns exec ns1 cat $M)"
check_eq "init ns does not list nsbond" "bond3 abcdefghijklmno bond4" "$(masters)"
check "deleting the namespace deletes its bond" ip netns del ns1
sleep 1
check "rmmod" modprobe -r bonding
tap_done
