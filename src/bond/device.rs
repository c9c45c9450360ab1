// SPDX-License-Identifier: GPL-2.0

//! The bond as a network device: its counters (folded from the slaves'),
//! its features, the VLAN filters of its slaves, what ethtool shows (speed,
//! duplex, time stamping of the active slave).

use super::*;
use crate::net::netdev::{features, SpeedDuplex};

impl Bond {
    /// Add to the bond's counters what `s`'s moved since the last read (C's
    /// `bond_get_stats` for one slave, with `bond_fold_stats`).
    ///
    /// The slave's counters are read before its lock is taken, so that a
    /// bond of bonds never nests these locks (C nests them with lockdep
    /// subclasses). A reading is folded only if no other reader folded this
    /// slave since it began (the slave's fold generation did not move): a
    /// reading that lost the race may be older than the one folded, and
    /// folding it would count its span twice. The loser's read of the bond
    /// just misses what the winner saw move.
    pub(super) fn fold_slave(&self, s: &Slave) {
        let gen = s.stats_gen.load(Ordering::Acquire);
        let now = s.dev().stats();
        let mut delta = [0u64; STATS_LEN];
        {
            let mut last = s.last_stats.lock();
            if s.stats_gen.load(Ordering::Relaxed) != gen {
                return;
            }
            crate::counters::fold(&mut delta, &now.0, &last.0);
            *last = now;
            s.stats_gen.store(gen.wrapping_add(1), Ordering::Release);
        }
        for (t, d) in self.totals.iter().zip(delta) {
            if d != 0 {
                t.fetch_add(d, Ordering::Relaxed);
            }
        }
    }

    /// The bond's counters.
    pub(super) fn totals(&self) -> Stats {
        let mut out = Stats::default();
        for (o, t) in out.0.iter_mut().zip(self.totals.iter()) {
            *o = t.load(Ordering::Relaxed);
        }
        out
    }
}

impl Bond {
    /// C's `bond_fix_features`: the features every slave has (and those
    /// any has, for the ones where one is enough), plus software TSO; a
    /// VLAN-challenged slave makes the bond VLAN-challenged.
    pub(super) fn fix_features(&self, features: u64, rtnl: &Rtnl) -> u64 {
        let mut f = features::base(features);
        for s in self.core.get(rtnl).slaves.iter() {
            f = features::increment(f, s.dev().features(), features);
        }
        features::add_tso(f, features)
    }

    /// A VLAN was added over the bond: every slave's filter takes it (C's
    /// `bond_vlan_rx_add_vid`); on an error, the slaves done so far drop it.
    pub(super) fn vlan_add(&self, proto: u16, vid: u16, rtnl: &mut Rtnl) -> Result {
        let mut i = 0;
        while let Some(s) = self.slave_at(i, rtnl) {
            if let Err(e) = s.dev().vlan_vid_add(rtnl, proto, vid) {
                for j in 0..i {
                    if let Some(r) = self.slave_at(j, rtnl) {
                        r.dev().vlan_vid_del(rtnl, proto, vid);
                    }
                }
                return Err(e);
            }
            i += 1;
        }
        Ok(())
    }

    /// A VLAN over the bond went: every slave's filter drops the bond's
    /// reference (C's `bond_vlan_rx_kill_vid`).
    pub(super) fn vlan_kill(&self, proto: u16, vid: u16, rtnl: &mut Rtnl) -> Result {
        let mut i = 0;
        while let Some(s) = self.slave_at(i, rtnl) {
            s.dev().vlan_vid_del(rtnl, proto, vid);
            i += 1;
        }
        if self.is_lb() {
            self.alb_clear_vlan(vid);
        }
        Ok(())
    }
}

impl Bond {
    /// C's `bond_ethtool_get_link_ksettings`: the sum of the speeds of the
    /// slaves that can transmit (broadcast: the slowest of them), the first
    /// known duplex; each such slave's speed is asked again.
    pub(super) fn link_speed(&self, rtnl: &mut Rtnl) -> SpeedDuplex {
        let mut out = SpeedDuplex {
            speed: 0,
            duplex: 0xff,
        };
        let broadcast = self.mode() == Mode::Broadcast;
        let mut i = 0;
        while let Some(s) = self.slave_at(i, rtnl) {
            i += 1;
            if !s.can_tx() {
                continue;
            }
            self.update_speed_duplex(&s, rtnl);
            let sp = s.speed();
            if sp != u32::MAX {
                out.speed = if !broadcast {
                    out.speed.saturating_add(sp)
                } else if out.speed == 0 {
                    sp
                } else {
                    out.speed.min(sp)
                };
            }
            if out.duplex == 0xff && s.duplex() != 0xff {
                out.duplex = s.duplex();
            }
        }
        if out.speed == 0 {
            out.speed = u32::MAX;
        }
        out
    }

    /// The device time stamping requests go to: the active slave in the
    /// modes that have one (C's `bond_option_active_slave_get_rcu`).
    pub(super) fn timestamping_lower<'a>(&'a self, rcu: &'a RcuRead) -> Option<&'a NetDevice> {
        if !self.uses_primary() {
            return None;
        }
        self.curr_active(rcu).map(|s| s.dev())
    }
}
