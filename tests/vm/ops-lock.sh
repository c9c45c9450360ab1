#!/bin/bash
# rbond: parity
# Slaves whose driver runs notifier events with the device's instance lock
# held ("ops-locked" devices in 7.2: dummy, netdevsim): a slave's admin and
# carrier changes, the failover they cause with promisc/allmulti moved to the
# new active slave, and fail_over_mac=follow's MAC swap must neither
# deadlock (a command that never returns, with RTNL held) nor make lockdep
# complain, and the bond must follow them as with veth slaves.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ab-lib.sh"

NSIM_ID=7
cleanup() {
	local d
	for d in d0 d1; do [ -e /sys/class/net/$d ] && ip link del $d; done
	unload
	nsim_cleanup
}

# has_flag DEV PROMISC|ALLMULTI: the device's own flag (sysfs shows
# dev->flags as is; `ip link` shows only what the user asked for).
has_flag() {
	local f; f=$(<"/sys/class/net/$1/flags")
	case $2 in PROMISC) (( f & 0x100 )) ;; ALLMULTI) (( f & 0x200 )) ;; esac
}

dummies() {
	ip link add d0 address 02:00:00:00:00:20 type dummy
	ip link add d1 address 02:00:00:00:00:21 type dummy
}
bond_of() { # SLAVE... : bond0 up with these slaves
	local s
	for s in "$@"; do ip link set "$s" master bond0 || return 1; done
	ip link set bond0 up
}

cleanup
B=/sys/class/net/bond0/bonding

# 1. active-backup, miimon, dummy slaves: admin down/up of the active one.
dummies
require "bond with dummy slaves" modprobe bonding mode=1 miimon=100 primary=d0
require "enslave d0, d1" bond_of d0 d1
check "d0 active" wait_until 10 active_is d0
within 20 "ip link set d0 down returns" ip link set d0 down
check "d1 takes over" wait_until 10 active_is d1
within 20 "ip link set d0 up returns" ip link set d0 up
check "d0 (primary) active again" wait_until 10 active_is d0
check_eq "d0 MII up" up "$(slave_attr d0 mii_status)"

# 2. Carrier changes (linkwatch delivers them with the lock held too).
within 20 "carrier off on d0 returns" ip link set d0 carrier off
check "carrier loss: d1 takes over" wait_until 10 active_is d1
within 20 "carrier on on d0 returns" ip link set d0 carrier on
check "carrier back: d0 active again" wait_until 10 active_is d0

# 3. bond0 promiscuous and allmulti: the failover moves both flags.
within 20 "bond0 promisc and allmulticast on" ip link set bond0 promisc on allmulticast on
check "d0 (active) promiscuous" has_flag d0 PROMISC
check "d0 (active) allmulti" has_flag d0 ALLMULTI
check_fails "d1 (backup) not promiscuous" has_flag d1 PROMISC
within 20 "carrier off on d0 returns (promisc bond)" ip link set d0 carrier off
check "d1 takes over" wait_until 10 active_is d1
check "promisc moved to d1" wait_until 5 has_flag d1 PROMISC
check "allmulti moved to d1" has_flag d1 ALLMULTI
check_fails "d0 no longer promiscuous" has_flag d0 PROMISC
within 20 "carrier on on d0 returns (promisc bond)" ip link set d0 carrier on
check "d0 active again" wait_until 10 active_is d0
check "promisc back on d0" wait_until 5 has_flag d0 PROMISC
within 20 "ip link set d0 down returns (promisc bond)" ip link set d0 down
check "d1 takes over after admin down" wait_until 10 active_is d1
within 20 "ip link set d0 up returns (promisc bond)" ip link set d0 up
check "d0 active after admin up" wait_until 10 active_is d0
ip link del bond0
check_fails "released d0 not promiscuous" has_flag d0 PROMISC
check_fails "released d1 not promiscuous" has_flag d1 PROMISC
cleanup

# 4. fail_over_mac=follow: the new active slave takes the bond's MAC, the
# old one the new one's.
dummies
require "bond with fail_over_mac follow" modprobe bonding mode=1 miimon=100 primary=d0 fail_over_mac=follow
require "enslave d0, d1" bond_of d0 d1
check "d0 active" wait_until 10 active_is d0
bmac=$(mac bond0)
check_eq "bond0 has d0's MAC" 02:00:00:00:00:20 "$bmac"
within 20 "carrier off on d0 returns (follow)" ip link set d0 carrier off
check "d1 takes over" wait_until 10 active_is d1
check "d1 took the bond's MAC" wait_until 5 test "$(mac d1)" = "$bmac"
check_eq "d0 took d1's MAC" 02:00:00:00:00:21 "$(mac d0)"
within 20 "carrier on on d0 returns (follow)" ip link set d0 carrier on
check "d0 active again" wait_until 10 active_is d0
check "d0 has the bond's MAC again" wait_until 5 test "$(mac d0)" = "$bmac"
cleanup

# 5. netdevsim ports (ops-locked through their queue management ops). The
# first slave is paired with a third port, so that its carrier comes back
# when it is set up again.
nsim_ports $NSIM_ID 3 ol
N=("${NSIM[@]}")
require "netdevsim ports ol0..ol2" test "${N[*]}" = "ol0 ol1 ol2"
exec {NSFD}</proc/self/ns/net
echo "$NSFD:$(</sys/class/net/${N[0]}/ifindex) $NSFD:$(</sys/class/net/${N[2]}/ifindex)" > /sys/bus/netdevsim/link_device
exec {NSFD}<&-
ip link set "${N[2]}" up
require "bond over netdevsim" modprobe bonding mode=1 miimon=100 primary="${N[0]}"
require "enslave ${N[0]}, ${N[1]}" bond_of "${N[0]}" "${N[1]}"
check "${N[0]} active" wait_until 10 active_is "${N[0]}"
within 20 "ip link set ${N[0]} down returns" ip link set "${N[0]}" down
check "${N[1]} takes over" wait_until 10 active_is "${N[1]}"
within 20 "ip link set ${N[0]} up returns" ip link set "${N[0]}" up
check "${N[0]} active again" wait_until 10 active_is "${N[0]}"
within 20 "peer ${N[2]} down returns" ip link set "${N[2]}" down
check "carrier loss: ${N[1]} takes over" wait_until 10 active_is "${N[1]}"
within 20 "peer ${N[2]} up returns" ip link set "${N[2]}" up
check "carrier back: ${N[0]} active again" wait_until 10 active_is "${N[0]}"

# 6. balance-xor without a monitor: the usable set follows the carrier.
cleanup
dummies
require "balance-xor over dummies" modprobe bonding mode=2
require "enslave d0, d1" bond_of d0 d1
within 20 "carrier off on d0 returns (xor)" ip link set d0 carrier off
within 20 "carrier on on d0 returns (xor)" ip link set d0 carrier on
within 20 "ip link set d1 down returns (xor)" ip link set d1 down
within 20 "ip link set d1 up returns (xor)" ip link set d1 up
check "bond0 carrier up" wait_until 5 test "$(<$B/mii_status)" = up

cleanup
tap_done
