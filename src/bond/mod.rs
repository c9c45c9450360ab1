// SPDX-License-Identifier: GPL-2.0

//! The bond: a master device aggregating slaves.
//!
//! Walking skeleton: bond devices are created and destroyed through every
//! surface C offers (module load, `ip link`, `bonding_masters`), carry their
//! mode, and drop what they are asked to send (no slaves yet).

use crate::net::link::{self, MasterOps, Vtables};
use crate::net::log::{bare_err, bare_warn};
use crate::net::netdev::{IfName, Net, NetDevice};
use crate::net::pernet::{MastersFile, PernetTables};
use crate::net::rtnl::{self, Rtnl, RtnlCell};
use crate::net::skb::SkBuff;
use crate::net::sysfs::ShowBuf;
use crate::net::{link::declare_master, params, pernet::declare_pernet};
use crate::options::masters::{self, ListWriter, MastersCmd};
use crate::options::params::{check_max_bonds, check_mode, check_tx_queues, Check};
use crate::options::Mode;
use core::sync::atomic::{AtomicI32, AtomicU8, Ordering};
use kernel::prelude::*;

/// Defaults for new bonds, decided once at module load (C's `bonding_defaults`).
static DEFAULT_MODE: AtomicU8 = AtomicU8::new(Mode::RoundRobin as u8);
static TX_QUEUES: AtomicI32 = AtomicI32::new(16);

/// Configuration of one bond, changed only under RTNL.
struct Params {
    mode: Mode,
}

/// A bond device's private data.
pub(crate) struct Bond {
    params: RtnlCell<Params>,
}

declare_master!(Bond, BOND_TABLES);
declare_pernet!(Bond, BOND_PERNET);

impl MasterOps for Bond {
    const KIND: &'static core::ffi::CStr = c"bond";

    fn vtables() -> &'static Vtables<Self> {
        &BOND_TABLES
    }

    fn new() -> Self {
        let mode =
            Mode::from_value(u64::from(DEFAULT_MODE.load(Ordering::Relaxed))).unwrap_or_default();
        Bond {
            params: RtnlCell::new(Params { mode }),
        }
    }

    fn init(&self, dev: &NetDevice, _rtnl: &mut Rtnl) -> Result {
        dev.ensure_mac();
        Ok(())
    }

    fn uninit(&self, _dev: &NetDevice, _rtnl: &mut Rtnl) {}

    fn open(&self, _dev: &NetDevice, _rtnl: &mut Rtnl) -> Result {
        Ok(())
    }

    fn stop(&self, _dev: &NetDevice, _rtnl: &mut Rtnl) -> Result {
        Ok(())
    }

    fn start_xmit(&self, dev: &NetDevice, skb: SkBuff) {
        // No slaves yet: every packet is a transmit drop, as in C.
        skb.drop_tx(dev);
    }

    fn num_tx_queues() -> u32 {
        TX_QUEUES.load(Ordering::Relaxed).clamp(1, 255) as u32
    }
}

impl Bond {
    /// The bond's mode.
    #[allow(dead_code)]
    pub(crate) fn mode(&self, rtnl: &Rtnl) -> Mode {
        self.params.get(rtnl).mode
    }
}

impl MastersFile for Bond {
    fn pernet() -> &'static PernetTables<Self> {
        &BOND_PERNET
    }

    fn show(net: &Net, buf: &mut ShowBuf<'_>) {
        let mut w = ListWriter::new(buf.page());
        link::for_each_master::<Bond>(net, |dev, _| w.add(dev.name().as_bytes()));
        let len = w.finish();
        buf.set_len(len);
    }

    fn store(net: &Net, input: &[u8]) -> Result {
        let Some(cmd) = masters::parse(input) else {
            pr_err!("no command found in bonding_masters - use +ifname or -ifname\n");
            return Err(EPERM);
        };
        match cmd {
            MastersCmd::Add(n) => {
                let name = IfName::from_bytes(n).ok_or(EINVAL)?;
                pr_info!("{} is being created...\n", name);
                let mut rtnl = rtnl::lock();
                let r = link::create::<Bond>(&mut rtnl, net, Some(&name), c"bond%d");
                drop(rtnl);
                if let Err(e) = r {
                    if e == EEXIST {
                        pr_info!("{} already exists\n", name);
                    } else {
                        pr_info!("{} creation failed\n", name);
                    }
                    return Err(e);
                }
                Ok(())
            }
            MastersCmd::Remove(n) => {
                let name = IfName::from_bytes(n).ok_or(EINVAL)?;
                let mut rtnl = rtnl::lock();
                let r = link::delete_by_name::<Bond>(&mut rtnl, net, &name, || {
                    pr_info!("{} is being deleted...\n", name);
                });
                drop(rtnl);
                if r.is_err() {
                    pr_err!("unable to delete non-existent {}\n", name);
                }
                r
            }
        }
    }
}

/// Check the module parameters as C's `bond_check_params` does (same
/// messages, same corrections), and record the defaults for new bonds.
/// Returns how many bonds to create at load.
pub(crate) fn check_module_params() -> Result<i32> {
    let mode = match check_mode(params::mode()) {
        Ok(m) => m,
        Err(()) => {
            let raw = params::mode().unwrap_or(b"");
            bare_err!(
                "Error: Invalid bonding mode \"{}\"\n",
                core::str::from_utf8(raw).unwrap_or("?")
            );
            return Err(EINVAL);
        }
    };
    let max_bonds = match check_max_bonds(params::max_bonds()) {
        Check::Ok(v) => v,
        Check::Reset(v) => {
            bare_warn!(
                "Warning: max_bonds ({}) not in range {}-{}, so it was reset to BOND_DEFAULT_MAX_BONDS ({})\n",
                params::max_bonds(),
                0,
                i32::MAX,
                v
            );
            params::set_max_bonds(v);
            v
        }
    };
    let txq = params::tx_queues();
    let tx_queues = match check_tx_queues(txq) {
        Check::Ok(v) => v,
        Check::Reset(v) => {
            bare_warn!(
                "Warning: tx_queues ({}) should be between 1 and 255, resetting to {}\n",
                txq,
                v
            );
            v
        }
    };
    DEFAULT_MODE.store(mode as u8, Ordering::Relaxed);
    TX_QUEUES.store(tx_queues, Ordering::Relaxed);
    Ok(max_bonds)
}

/// Create `n` bonds named `bond%d` in the initial namespace (module load).
pub(crate) fn create_initial(n: i32) -> Result {
    let mut rtnl = rtnl::lock();
    for _ in 0..n {
        link::create::<Bond>(&mut rtnl, Net::init_net(), None, c"bond%d")?;
    }
    Ok(())
}
