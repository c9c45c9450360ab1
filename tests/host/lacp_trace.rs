// SPDX-License-Identifier: GPL-2.0

//! The LACP machines against a recording of the C driver talking to
//! teamd's lacp runner (tests/host/data/lacp-c-teamd.trace, recorded in the
//! test VM by scripts/record-lacp-trace): every PDU of the recording
//! decodes, C's re-encode to the same bytes, and teamd's PDUs, replayed at
//! their recorded times into one port driven by C's 100 ms tick, make the
//! port announce the same sequence of states C announced (bond up,
//! aggregation, a link cut and its return, the partner going silent). The
//! states are compared as sequences of changes, not by time: under TCG C's
//! tick drifts, so a replay cannot put each PDU on the same tick.

use rbond_host::lacp::pdu::{state, Lacpdu, Rx, PDU_LEN};
use rbond_host::lacp::port::{LinkInfo, Member, Params, System};

const TRACE: &str = include_str!("data/lacp-c-teamd.trace");
const TICK_MS: u64 = 100;

const UP: LinkInfo = LinkInfo {
    link_up: true,
    dev_up: true,
    speed: 10000,
    full_duplex: true,
};
const DOWN: LinkInfo = LinkInfo {
    link_up: false,
    dev_up: true,
    speed: u32::MAX,
    full_duplex: false,
};

enum Line {
    Tx([u8; PDU_LEN]),
    Rx([u8; PDU_LEN]),
    Ev(&'static str),
}

fn hex(s: &str) -> [u8; PDU_LEN] {
    assert_eq!(s.len(), 2 * PDU_LEN, "PDU length in the trace");
    let mut out = [0u8; PDU_LEN];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).expect("hex");
    }
    out
}

fn trace() -> Vec<(u64, Line)> {
    TRACE
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let mut f = l.split_whitespace();
            let t: u64 = f.next().and_then(|t| t.parse().ok()).expect("time");
            let kind = f.next().expect("kind");
            let arg = f.next().expect("argument");
            let line = match kind {
                "tx" => Line::Tx(hex(arg)),
                "rx" => Line::Rx(hex(arg)),
                "ev" => Line::Ev(arg),
                _ => panic!("unknown line {l}"),
            };
            (t, line)
        })
        .collect()
}

fn lacpdu(b: &[u8; PDU_LEN]) -> Lacpdu {
    match Rx::parse(b) {
        Rx::Lacpdu(p) => p,
        other => panic!("not a LACPDU: {other:?}"),
    }
}

/// Consecutive duplicates removed.
fn runs(v: impl IntoIterator<Item = u8>) -> Vec<u8> {
    let mut out: Vec<u8> = Vec::new();
    for x in v {
        if out.last() != Some(&x) {
            out.push(x);
        }
    }
    out
}

#[test]
fn the_recording_has_every_phase() {
    let t = trace();
    let evs: Vec<&str> = t
        .iter()
        .filter_map(|(_, l)| match l {
            Line::Ev(e) => Some(*e),
            _ => None,
        })
        .collect();
    assert_eq!(evs, ["bond-up", "down", "up", "silent"]);
    let tx = t.iter().filter(|(_, l)| matches!(l, Line::Tx(_))).count();
    let rx = t.iter().filter(|(_, l)| matches!(l, Line::Rx(_))).count();
    assert!(tx > 15 && rx > 15, "{tx} sent, {rx} received");
}

#[test]
fn recorded_pdus_decode_and_c_pdus_reencode_to_their_bytes() {
    for (t, l) in trace() {
        match l {
            Line::Tx(b) => assert_eq!(lacpdu(&b).to_bytes(), b, "C's PDU at {t} ms"),
            Line::Rx(b) => {
                let p = lacpdu(&b);
                assert_eq!(p.version, 1, "teamd's PDU at {t} ms");
            }
            Line::Ev(_) => {}
        }
    }
}

#[test]
fn teamd_replayed_gives_the_states_c_sent() {
    let t = trace();
    let c_sent: Vec<Lacpdu> = t
        .iter()
        .filter_map(|(_, l)| match l {
            Line::Tx(b) => Some(lacpdu(b)),
            _ => None,
        })
        .collect();
    let first = c_sent[0];
    let mut sys = System::new(Params {
        sys_mac: first.actor.system,
        sys_priority: first.actor.system_priority,
        lacp_fast: true,
        ..Params::default()
    });
    sys.initialize();
    let mut m: Vec<Member> = vec![sys.bind(first.actor.port, UP)];
    let _ = sys.link_changed(&mut m, 0, UP);

    // C's tick runs every 100 ms from the bond going up (its first run is
    // queued at once by bond_open; the trace stamps the open's end).
    let bond_up = t
        .iter()
        .find(|(_, l)| matches!(l, Line::Ev("bond-up")))
        .map(|(ms, _)| *ms)
        .expect("bond-up in the trace");
    let end = t.last().map(|(ms, _)| *ms).unwrap_or(0);
    let mut ours: Vec<Lacpdu> = Vec::new();
    let mut next_tick = bond_up;
    let mut lines = t.iter().peekable();
    let mut up = false;
    let mut link = None;
    while next_tick <= end {
        // Everything recorded before this tick happens first.
        while let Some((ms, l)) = lines.peek() {
            if *ms > next_tick {
                break;
            }
            match l {
                Line::Rx(b) if up => {
                    let _ = sys.rx_lacpdu(&mut m, 0, &lacpdu(b));
                }
                Line::Ev("bond-up") => {
                    up = true;
                    sys.initiate_selection(1);
                }
                // The MII monitor sees a carrier change at its next
                // run, on the same 100 ms period (the recorded time is
                // when the command that changed it returned).
                Line::Ev("down") => link = Some(DOWN),
                Line::Ev("up") => link = Some(UP),
                _ => {}
            }
            lines.next();
        }
        if let Some(l) = link.take() {
            let _ = sys.link_changed(&mut m, 0, l);
        }
        if up {
            let _ = sys.tick(&mut m, &mut |_, p| {
                ours.push(*p);
                true
            });
        }
        next_tick += TICK_MS;
    }

    assert_eq!(ours[0].actor.key, first.actor.key, "actor key");
    let c_states = runs(c_sent.iter().map(|p| p.actor.state));
    let our_states = runs(ours.iter().map(|p| p.actor.state));
    assert_eq!(our_states, c_states, "actor states announced (ours vs C's)");
    // What the port says of its partner follows the same steps.
    let c_partner = runs(c_sent.iter().map(|p| p.partner.state));
    let our_partner = runs(ours.iter().map(|p| p.partner.state));
    assert_eq!(
        our_partner, c_partner,
        "partner states announced (ours vs C's)"
    );
    // And it ends expired (fast timeout), after teamd went silent.
    let last = ours.last().map(|p| p.actor.state).unwrap_or(0);
    assert!(last & state::EXPIRED != 0, "last state {last:#x}");
}
