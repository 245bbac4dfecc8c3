//! The crossover sweep's reading: at each share of computing, which entry
//! was fastest, where two entries' lines cross, and a verdict that names
//! both from the run's own figures ("gil beat seq up to 90 % computing and
//! lost from 100 %"). A difference within the VMs' noise is a tie, not a
//! crossing. It stops at the record; running the points is the scheduler's.

use super::format::ms;
use super::results::{Crossover, MixPoint, MixSweep};
use crate::engine::configuration::config::MIX_SHARES_PCT;
use crate::engine::model::Model;
use crate::engine::workload::Workload;

/// One entry ahead of another by less than this factor is a tie: the same
/// run on these VMs moves by up to ±30 %, and a median of one run by more.
const CLEARLY_AHEAD: f64 = 1.15;

/// The most crossings the verdict names (the record keeps them all).
const NAMED_CROSSINGS: usize = 4;

impl MixSweep {
    /// The record of a sweep from its points, with its winners, crossings
    /// and verdict worked out. `workload` names the models in Python's words.
    pub fn new(task_ms: u32, tasks: u32, points: Vec<MixPoint>, partial: bool, workload: &Workload) -> Self {
        let shares_pct: Vec<u32> =
            MIX_SHARES_PCT.iter().copied().filter(|share| points.iter().any(|p| p.share_pct == *share)).collect();
        let keys = entry_keys(&points);
        let winners: Vec<Option<String>> = shares_pct.iter().map(|&share| winner(&points, share)).collect();
        let mut crossovers = Vec::new();
        for (index, first) in keys.iter().enumerate() {
            for second in &keys[index + 1..] {
                crossovers.extend(crossing(&points, &shares_pct, first, second));
            }
        }
        let mut sweep =
            Self { task_ms, tasks, shares_pct, partial, points, winners, crossovers, verdict: String::new() };
        sweep.verdict = mix_verdict(&sweep, workload);
        sweep
    }

    /// The entry's median at `share`, if it finished.
    pub fn median_at(&self, key: &str, share: u32) -> Option<f64> {
        median_at(&self.points, key, share)
    }

    /// The entries in the order they ran.
    pub fn keys(&self) -> Vec<String> {
        entry_keys(&self.points)
    }
}

fn entry_keys(points: &[MixPoint]) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for point in points {
        if !keys.contains(&point.key) {
            keys.push(point.key.clone());
        }
    }
    keys
}

fn median_at(points: &[MixPoint], key: &str, share: u32) -> Option<f64> {
    points.iter().find(|p| p.key == key && p.share_pct == share).and_then(|p| p.median_ms.filter(|_| p.checksum_ok))
}

fn winner(points: &[MixPoint], share: u32) -> Option<String> {
    points
        .iter()
        .filter(|p| p.share_pct == share)
        .filter_map(|p| median_at(points, &p.key, share).map(|median| (median, &p.key)))
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, key)| key.clone())
}

/// Who is clearly ahead at `share`: `Some(true)` for `a`, `Some(false)`
/// for `b`, `None` for a tie or a missing point.
fn leader(points: &[MixPoint], share: u32, a: &str, b: &str) -> Option<bool> {
    let (a_ms, b_ms) = (median_at(points, a, share)?, median_at(points, b, share)?);
    if a_ms * CLEARLY_AHEAD < b_ms {
        Some(true)
    } else if b_ms * CLEARLY_AHEAD < a_ms {
        Some(false)
    } else {
        None
    }
}

/// The first place where the lead between `a` and `b` changes hands,
/// ties skipped: the last share the first leader was ahead at, and the
/// first share the other was.
fn crossing(points: &[MixPoint], shares: &[u32], a: &str, b: &str) -> Option<Crossover> {
    let leads: Vec<(u32, bool)> = shares.iter().filter_map(|&s| leader(points, s, a, b).map(|l| (s, l))).collect();
    let turn = leads.windows(2).find(|pair| pair[0].1 != pair[1].1)?;
    let (faster, slower) = if turn[0].1 { (a, b) } else { (b, a) };
    Some(Crossover {
        faster: faster.to_string(),
        slower: slower.to_string(),
        last_ahead_pct: turn[0].0,
        first_behind_pct: turn[1].0,
    })
}

/// Where `a`, ahead of `b` at first, stops being clearly ahead for good
/// (every later share a tie): the last share it led at and the first it
/// tied from.
fn lead_ends_in_a_tie(points: &[MixPoint], shares: &[u32], a: &str, b: &str) -> Option<(u32, u32)> {
    let leads: Vec<(u32, Option<bool>)> = shares.iter().map(|&s| (s, leader(points, s, a, b))).collect();
    let last_ahead = leads.iter().rposition(|(_, lead)| *lead == Some(true))?;
    let rest = &leads[last_ahead + 1..];
    let ends_tied = !rest.is_empty() && rest.iter().all(|(_, lead)| lead.is_none());
    let never_behind = leads.iter().all(|(_, lead)| *lead != Some(false));
    (ends_tied && never_behind).then(|| (leads[last_ahead].0, rest[0].0))
}

/// "gil (ThreadPoolExecutor under the GIL)": the key, and its Python name.
fn named(key: &str, workload: &Workload, points: &[MixPoint]) -> String {
    let python =
        points.iter().find(|p| p.key == key).and_then(|p| Model::of(workload, p.model)).and_then(Model::python_name);
    match python {
        Some(python) => format!("{key} ({python})"),
        None => key.to_string(),
    }
}

/// The winners, share by share, grouped: "all from 0 to 25 % computing,
/// threads from 50 to 90 %, workers at 100 %". An entry within the noise
/// of a share's fastest keeps its run going, so two entries that tie do
/// not trade the lead back and forth in words (the record keeps the
/// fastest of each share as measured).
fn winner_runs(sweep: &MixSweep) -> Vec<(String, u32, u32)> {
    let mut runs: Vec<(String, u32, u32)> = Vec::new();
    for (share, winner) in sweep.shares_pct.iter().zip(&sweep.winners) {
        let Some(winner) = winner else { continue };
        let ties_the_winner = |key: &str| match (sweep.median_at(key, *share), sweep.median_at(winner, *share)) {
            (Some(ms), Some(best)) => ms <= best * CLEARLY_AHEAD,
            _ => false,
        };
        match runs.last_mut() {
            Some((key, _, last)) if key == winner || ties_the_winner(key) => *last = *share,
            _ => runs.push((winner.clone(), *share, *share)),
        }
    }
    runs
}

fn span(first: u32, last: u32) -> String {
    match first == last {
        true => format!("at {first}\u{a0}%"),
        false => format!("from {first} to {last}\u{a0}%"),
    }
}

/// The paragraph: who was fastest where, then the crossings that matter
/// most (against the sync baseline, then between the winners).
fn mix_verdict(sweep: &MixSweep, workload: &Workload) -> String {
    let runs = winner_runs(sweep);
    if runs.is_empty() {
        return String::new();
    }
    let mut mentioned: Vec<String> = Vec::new();
    let mut name = |key: &str| match mentioned.iter().any(|m| m == key) {
        true => key.to_string(),
        false => {
            mentioned.push(key.to_string());
            named(key, workload, &sweep.points)
        }
    };
    let mut sentences = Vec::new();
    let task = format!("In tasks of {} ms", sweep.task_ms);
    if runs.len() == 1 {
        let key = &runs[0].0;
        sentences.push(format!(
            "{task}, {} was fastest at every share of computing, from {} to {}\u{a0}%.",
            name(key),
            runs[0].1,
            runs[0].2
        ));
    } else {
        let parts: Vec<String> =
            runs.iter().map(|(key, first, last)| format!("{} {}", name(key), span(*first, *last))).collect();
        let noise = ((CLEARLY_AHEAD - 1.0) * 100.0).round();
        sentences.push(format!(
            "{task}, the fastest (a lead under {noise}\u{a0}% counts as a tie) was {} computing.",
            parts.join(", then ")
        ));
    }
    let winners: Vec<&String> = runs.iter().map(|(key, _, _)| key).collect();
    let baseline = sweep.keys().into_iter().find(|key| key == "seq");
    let rank = |c: &Crossover| {
        let with_baseline = baseline.as_ref().is_some_and(|b| &c.slower == b || &c.faster == b);
        let among_winners = winners.contains(&&c.faster) && winners.contains(&&c.slower);
        (!with_baseline, !among_winners, c.first_behind_pct)
    };
    let mut crossings: Vec<&Crossover> = sweep.crossovers.iter().collect();
    crate::sorting::sort_by(&mut crossings, |a, b| rank(a).cmp(&rank(b)));
    let clauses: Vec<String> = crossings
        .iter()
        .take(NAMED_CROSSINGS)
        .map(|c| {
            let at = |key: &str, share: u32| sweep.median_at(key, share).map(ms).unwrap_or_default();
            let ahead = match c.last_ahead_pct == sweep.shares_pct[0] {
                true => "at",
                false => "up to",
            };
            format!(
                "{} beat {} {ahead} {}\u{a0}% computing and lost from {}\u{a0}% ({} against {})",
                name(&c.faster),
                name(&c.slower),
                c.last_ahead_pct,
                c.first_behind_pct,
                at(&c.faster, c.first_behind_pct),
                at(&c.slower, c.first_behind_pct)
            )
        })
        .collect();
    match clauses.is_empty() {
        true => sentences.push("No two lines crossed by more than this run's noise.".to_string()),
        false => sentences.push(format!("Where the lines cross: {}.", clauses.join("; "))),
    }
    // A lead over sync that ends in a tie is the GIL's lesson as often as a
    // crossing is: say where it ended.
    if let Some(baseline) = &baseline {
        let keys = sweep.keys();
        let caught: Vec<String> = keys
            .iter()
            .filter(|key| *key != baseline)
            .filter(|key| !sweep.crossovers.iter().any(|c| [&c.faster, &c.slower].contains(key)))
            .filter_map(|key| {
                let (last_ahead, first_tie) = lead_ends_in_a_tie(&sweep.points, &sweep.shares_pct, key, baseline)?;
                let at = |k: &str| sweep.median_at(k, first_tie).map(ms).unwrap_or_default();
                let (leader, sync) = (name(key), name(baseline));
                Some(format!(
                    "{leader} beat {sync} up to {last_ahead}\u{a0}% computing and was no faster from {first_tie}\u{a0}% ({} against {})",
                    at(key),
                    at(baseline)
                ))
            })
            .collect();
        if !caught.is_empty() {
            sentences.push(format!("Where a lead ran out: {}.", caught.join("; ")));
        }
    }
    if sweep.partial {
        sentences.push("Stopped before every share ran.".to_string());
    }
    sentences.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::io::model::IoModel;
    use crate::engine::io::workload::IoWorkload;
    use crate::engine::mixed::{MixedWorkload, Order, Spread};

    fn point(key: &str, model: IoModel, share: u32, median: f64) -> MixPoint {
        MixPoint {
            share_pct: share,
            key: key.into(),
            model: model.id(),
            latency_ms: 0,
            compute_n: 2,
            runs_ms: vec![median],
            median_ms: Some(median),
            checksum_ok: true,
            error: None,
        }
    }

    fn workload() -> Workload {
        let wait = IoWorkload::default_sim();
        Workload::Mixed(MixedWorkload { wait, compute_n: 2, order: Order::WaitFirst, spread: Spread::Even, seed: 1 })
    }

    /// Seq is the sum of every task's time; gil overlaps the waits only;
    /// workers split everything over 2: the shape CPython shows.
    fn sweep() -> MixSweep {
        let mut points = Vec::new();
        for share in MIX_SHARES_PCT {
            let compute = share as f64 / 100.0 * 20.0 * 40.0;
            points.push(point("seq", IoModel::Seq, share, 800.0));
            points.push(point(
                "gil",
                IoModel::Gil,
                share,
                (compute + 20.0).max(20.0) * if share == 100 { 1.4 } else { 1.0 },
            ));
            points.push(point("workers", IoModel::Workers, share, (compute / 2.0).max(25.0) + 5.0));
        }
        MixSweep::new(20, 40, points, false, &workload())
    }

    #[test]
    fn winners_and_crossings_come_from_the_figures() {
        let sweep = sweep();
        assert_eq!(sweep.shares_pct, MIX_SHARES_PCT.to_vec());
        assert_eq!(sweep.winners[0].as_deref(), Some("gil"));
        assert_eq!(sweep.winners[6].as_deref(), Some("workers"));
        let gil_vs_seq = sweep.crossovers.iter().find(|c| c.slower == "seq" || c.faster == "seq").unwrap();
        assert_eq!(
            (gil_vs_seq.faster.as_str(), gil_vs_seq.last_ahead_pct, gil_vs_seq.first_behind_pct),
            ("gil", 75, 100),
            "at 90 % they tie: 740 ms against 800"
        );
        let gil_vs_workers = sweep.crossovers.iter().find(|c| c.faster == "gil" && c.slower == "workers").unwrap();
        assert_eq!(gil_vs_workers.last_ahead_pct, 0);
        assert!(sweep.verdict.contains("gil beat seq (sync requests) up to 75"), "{}", sweep.verdict);
        assert!(sweep.verdict.contains("gil beat workers at 0\u{a0}% computing and lost from 10"), "{}", sweep.verdict);
        assert!(sweep.verdict.contains("up to 75\u{a0}% computing and lost from 100\u{a0}%"), "{}", sweep.verdict);
        assert!(sweep.verdict.contains("then workers (multiprocessing.Pool)"), "{}", sweep.verdict);
    }

    #[test]
    fn a_lead_over_sync_that_ends_in_a_tie_is_said() {
        let mut points = Vec::new();
        for share in MIX_SHARES_PCT {
            points.push(point("seq", IoModel::Seq, share, 1000.0));
            points.push(point("gil", IoModel::Gil, share, 200.0 + 8.0 * share as f64));
        }
        let sweep = MixSweep::new(50, 16, points, false, &workload());
        assert!(sweep.crossovers.is_empty());
        assert!(
            sweep
                .verdict
                .contains("gil beat seq (sync requests) up to 75\u{a0}% computing and was no faster from 90\u{a0}%"),
            "{}",
            sweep.verdict
        );
    }

    #[test]
    fn a_tie_within_the_noise_is_not_a_crossing() {
        let mut points = Vec::new();
        for share in MIX_SHARES_PCT {
            points.push(point("all", IoModel::All, share, 100.0 + share as f64 / 10.0));
            points.push(point("bounded", IoModel::Bounded, share, 100.0 + (10 - share / 10) as f64));
        }
        let sweep = MixSweep::new(20, 40, points, false, &workload());
        assert!(sweep.crossovers.is_empty());
        assert!(sweep.verdict.contains("No two lines crossed"), "{}", sweep.verdict);
    }
}
