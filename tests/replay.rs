//! Replaying a run: the events built from an entry's records are complete
//! and in order (every task, request, GIL hold and message to an instance
//! starts and ends once; holds alternate; in-flight counts never dip and
//! end at 0), stepping visits them in order, the narration at chosen
//! moments names the right threads, tasks and counts, and a shared run
//! replays the same events. Runs through the scheduler natively.

#[allow(dead_code)] // The network's own counts are for other tests.
mod support;

use concurrency_playground::engine::measurement::records::TaskRecord;
use concurrency_playground::engine::reporting::permalink::merged_tasks;
use concurrency_playground::engine::reporting::replay::{Replay, Subject};
use concurrency_playground::engine::reporting::results::ModelResult;
use concurrency_playground::engine::running::native::{run_query, NativeExecutor};
use concurrency_playground::engine::workload::Workload;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use support::fake_network::FakeNetwork;

fn entry(query: &str) -> (ModelResult, Workload) {
    let mut executor = NativeExecutor::with_network(FakeNetwork::default());
    let results = run_query(query, 2, &mut executor, &Arc::new(AtomicBool::new(false))).unwrap();
    (results.models[0].clone(), results.workload.workload.clone())
}

/// Every span starts once and ends once; the counts never dip.
fn assert_complete_and_ordered(replay: &Replay, spans: usize) {
    let events = replay.events();
    assert_eq!(events.len(), 2 * spans);
    assert!(events.windows(2).all(|pair| pair[0].at_ms <= pair[1].at_ms), "in time order");
    let mut open: Vec<(Subject, usize)> = Vec::new();
    let mut holders = 0i32;
    for event in events {
        match event.starts {
            true => open.push((event.subject, event.index)),
            false => {
                let at = open.iter().position(|o| *o == (event.subject, event.index)).expect("ends after it starts");
                open.remove(at);
            }
        }
        // A hold of no length (within a clock tick) may share its instant with the next.
        let instants = events.iter().filter(|e| e.subject == Subject::GilHold && e.index == event.index);
        let (first, last) = instants.fold((f64::INFINITY, 0.0f64), |(a, b), e| (a.min(e.at_ms), b.max(e.at_ms)));
        if event.subject == Subject::GilHold && first < last {
            holders += if event.starts { 1 } else { -1 };
            assert!((0..=1).contains(&holders), "one holder at a time, holds alternate");
        }
    }
    assert!(open.is_empty(), "everything ends");
}

#[test]
fn a_gil_run_replays_its_holds_in_turn_and_narrates_the_holder() {
    let (model, workload) = entry("workload=sieve&from=1000&to=3000&models=gil&threads=2&repeat=1&warmup=0");
    let replay = Replay::of(&model, &workload);
    let holds = model.gil_holds.as_ref().unwrap();
    let waits = model.gil_waits.as_ref().map_or(0, Vec::len);
    let compute: usize = merged_tasks(&model.tasks).len();
    assert_complete_and_ordered(&replay, holds.len() + waits + compute);
    let hold = holds[holds.len() / 2];
    let middle = (hold.start_ms + hold.end_ms) / 2.0;
    let moment = replay.moment(middle);
    assert_eq!(moment.gil_holder, Some(hold.lane));
    let text = replay.narrate(middle);
    assert!(text.contains(&format!("thread {} holds it", hold.lane)), "{text}");
    assert!(text.starts_with(&format!("{middle:.1}\u{a0}ms, gil: ")), "{text}");
    // Stepping visits every event time in order, and back.
    let mut at = -1.0;
    let mut visited = 0;
    while let Some(next) = replay.next_event_ms(at) {
        assert!(next > at);
        at = next;
        visited += 1;
    }
    assert_eq!(at, replay.end_ms());
    assert!(visited > 1);
    assert!(replay.previous_event_ms(at).is_some_and(|before| before < at));
    assert_eq!(replay.moment(replay.end_ms()).tasks_done, 2000);
}

#[test]
fn an_io_run_counts_requests_in_flight_and_answered() {
    let (model, workload) =
        entry("workload=io&source=sim&requests=10&latency_ms=5&bytes=10&models=all&repeat=1&warmup=0");
    let replay = Replay::of(&model, &workload);
    assert_complete_and_ordered(&replay, 10);
    let first_end = model.tasks.iter().map(TaskRecord::end_ms).fold(f64::INFINITY, f64::min);
    let last_start = model.tasks.iter().map(TaskRecord::start_ms).fold(0.0, f64::max);
    if last_start < first_end {
        let moment = replay.moment((last_start + first_end) / 2.0);
        assert_eq!((moment.requests_in_flight, moment.requests_answered), (10, 0));
    }
    let end = replay.moment(replay.end_ms());
    assert_eq!((end.requests_in_flight, end.requests_answered, end.tasks_done), (0, 10, 10));
    let text = replay.narrate(replay.end_ms());
    assert!(text.contains("0 requests in flight, 10 of 10 answered; the page thread is free"), "{text}");
    assert_eq!(replay.moment(-1.0).requests_in_flight, 0);
}

#[test]
fn a_shared_run_replays_the_same_events() {
    use concurrency_playground::engine::reporting::permalink::compact;
    let mut executor = NativeExecutor::with_network(FakeNetwork::default());
    let query = "workload=sieve&from=1000&to=4000&models=gil,seq&threads=2&repeat=1&warmup=0";
    let results = run_query(query, 2, &mut executor, &Arc::new(AtomicBool::new(false))).unwrap();
    let shared = compact(&results);
    for (live, kept) in results.models.iter().zip(&shared.models) {
        let (a, b) = (Replay::of(live, &results.workload.workload), Replay::of(kept, &shared.workload.workload));
        assert_eq!(a.events(), b.events(), "{}", live.key);
        assert_eq!(a.narrate(a.end_ms() / 2.0), b.narrate(b.end_ms() / 2.0));
    }
}

#[test]
fn messages_to_worker_instances_are_sent_then_answered_and_counted() {
    use concurrency_playground::engine::measurement::records::TaskSpan;
    let (mut model, workload) = entry("workload=sieve&from=1000&to=1100&models=workers&threads=2&repeat=1&warmup=0");
    // As the page logs them: sent, then the reply read, `lane` the instance.
    let span = |start_ms, end_ms, lane| TaskSpan { start_ms, end_ms, lane };
    model.instance_messages = Some(vec![span(0.0, 10.0, 0), span(0.5, 12.0, 1), span(10.0, 20.0, 0)]);
    let replay = Replay::of(&model, &workload);
    assert!(replay.has_messages());
    let messages: Vec<_> = replay.events().iter().filter(|e| e.subject == Subject::Message).collect();
    assert_eq!(messages.len(), 6, "each message is sent once and answered once");
    // At 10 ms the first reply is read before the next message goes out.
    let at_ten: Vec<bool> = messages.iter().filter(|e| e.at_ms == 10.0).map(|e| e.starts).collect();
    assert_eq!(at_ten, [false, true]);
    for (at_ms, out, read) in [(-1.0, 0, 0), (5.0, 2, 0), (11.0, 2, 1), (15.0, 1, 2), (20.0, 0, 3)] {
        let moment = replay.moment(at_ms);
        assert_eq!((moment.messages_out(), moment.replies_read), (out, read), "at {at_ms} ms");
    }
    let text = replay.narrate(15.0);
    assert!(text.contains("1 message to worker 0 awaits a reply; 2 of 3 replies read"), "{text}");
}
