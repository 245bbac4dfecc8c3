//! A task of both kinds needs no shape of its own: tasks that make a
//! request and compute (in either order) run in every shape the models use,
//! natively, and each reaches the one exact checksum, every task done once,
//! every request recorded, and what waits overlapping where the shape lets
//! it. Through the same `ModelRun` the posts' pure workloads run in.

use concurrency_playground::engine::io::workload::IoWorkload;
use concurrency_playground::engine::measurement::probes::{thread_id, NativeClock, NativeMemory};
use concurrency_playground::engine::measurement::run_measurement::RunMeasurement;
use concurrency_playground::engine::measurement::run_window::Instruments;
use concurrency_playground::engine::mixed::{MixedWorkload, Order, Spread};
use concurrency_playground::engine::running::native::{block_on, NATIVE_BASE_URL};
use concurrency_playground::engine::task::chunks::{chunk_request, chunks, run_chunk};
use concurrency_playground::engine::task::run::ModelRun;
use concurrency_playground::engine::task::shapes::Lanes;
use concurrency_playground::engine::task::shares::{
    dispatch_one, record_share, run_share, run_share_in_turn, share_requests,
};
use concurrency_playground::engine::workload::Workload;
use std::sync::Arc;

mod support;
use support::fake_network::FakeNetwork;

const TASKS: usize = 12;

fn workload(order: Order) -> Workload {
    let wait = IoWorkload { requests: TASKS as u32, latency_ms: 15, bytes: 100, ..IoWorkload::default_sim() };
    Workload::Mixed(MixedWorkload { wait, compute_n: 30_000, order, spread: Spread::Random, seed: 42 })
}

fn start(workload: &Workload) -> Arc<ModelRun> {
    ModelRun::start(workload.clone(), workload.request_urls(NATIVE_BASE_URL, 1), &Instruments::native(), None)
}

/// Every shape, by the name of the models that run in it, with what it measured.
fn every_shape(workload: &Workload) -> Vec<(&'static str, RunMeasurement, FakeNetwork)> {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
    let mut measured = Vec::new();
    let mut shape = |name: &'static str, body: &dyn Fn(&Arc<ModelRun>, &FakeNetwork) -> RunMeasurement| {
        let (run, network) = (start(workload), FakeNetwork::default());
        measured.push((name, body(&run, &network), network));
    };
    shape("main, seq", &|run, net| run.finish(run.run_sequential(run.tasks(), thread_id(), net)));
    shape("io seq", &|run, net| run.finish(block_on(run.run_in_turn(run.tasks(), 0, net))));
    shape("all", &|run, net| run.finish(block_on(run.run_gathered(Lanes::PerTask, net))));
    shape("async_noawait", &|run, net| run.finish(block_on(run.run_gathered(Lanes::One(0), net))));
    shape("bounded", &|run, net| run.finish(block_on(run.run_bounded(4, net))));
    shape("async", &|run, net| run.finish(block_on(run.run_yielding(0, || std::future::ready(()), net)).0));
    shape("threads", &|run, net| {
        let checksum = std::thread::scope(|scope| {
            let lanes: Vec<_> =
                (0..4).map(|lane| scope.spawn(move || run.run_blocking_lane(lane, None, net))).collect();
            lanes.into_iter().map(|lane| lane.join().unwrap()).sum()
        });
        run.finish(checksum)
    });
    shape("gil", &|run, net| {
        let (checksum, gil) = pool.install(|| run.run_under_gil_on_pool(2, 1, net));
        let mut measurement = run.finish(checksum);
        measurement.shape.gil = Some(gil);
        measurement
    });
    shape("rayon", &|run, net| run.finish(pool.install(|| run.run_par_iter(net))));
    shape("workers, executor", &|run, net| {
        let checksum = chunks(run.tasks().len(), 5)
            .into_iter()
            .map(|chunk| {
                let reply = run_chunk(&chunk_request(run, chunk, 0), &NativeClock, &NativeMemory, net);
                reply.record_into(run)
            })
            .sum();
        run.finish(checksum)
    });
    shape("io workers", &|run, net| {
        let instruments = Instruments::native();
        let replies = block_on(futures_util::future::join_all(
            share_requests(run, 3).into_iter().map(|request| run_share(request, net, &instruments)),
        ));
        run.finish(replies.iter().map(|reply| record_share(run, reply)).sum())
    });
    shape("procs", &|run, net| {
        let instruments = Instruments::native();
        let checksum = run
            .tasks()
            .map(|task| record_share(run, &block_on(run_share_in_turn(dispatch_one(run, task, 0), net, &instruments))))
            .sum();
        run.finish(checksum)
    });
    measured
}

#[test]
fn every_shape_runs_tasks_that_wait_and_compute_to_the_exact_checksum() {
    for order in [Order::WaitFirst, Order::ComputeFirst] {
        let workload = workload(order);
        let expected = workload.expected_checksum().unwrap();
        for (name, measurement, network) in every_shape(&workload) {
            let context = format!("{name}, {order:?}");
            assert_eq!(measurement.checksum, expected, "{context}");
            assert_eq!((measurement.tasks_done, measurement.partial), (TASKS, false), "{context}");
            assert_eq!(network.requests(), TASKS as u32, "{context}: each request made once");
            let io = measurement.io.as_ref().expect("request books");
            assert_eq!((io.requests_ok, io.bytes_total), (TASKS as u32, 100 * TASKS as u64), "{context}");
            let computed: usize = measurement
                .tasks
                .iter()
                .filter(|record| {
                    !matches!(record, concurrency_playground::engine::measurement::records::TaskRecord::Request(_))
                })
                .map(|record| record.count())
                .sum();
            assert_eq!(computed, TASKS, "{context}: every compute step recorded once");
        }
    }
}

#[test]
fn waits_overlap_where_the_shape_lets_them_and_not_where_it_does_not() {
    let most = |name: &str, shapes: &[(&'static str, RunMeasurement, FakeNetwork)]| {
        shapes.iter().find(|(shape, _, _)| *shape == name).map(|(_, _, network)| network.most_in_flight()).unwrap()
    };
    let shapes = every_shape(&workload(Order::WaitFirst));
    for in_order in ["main, seq", "io seq", "async", "workers, executor", "procs"] {
        assert_eq!(most(in_order, &shapes), 1, "{in_order}: one request at a time");
    }
    assert_eq!(most("all", &shapes), TASKS as u32, "all: every request at once");
    assert_eq!(most("async_noawait", &shapes), TASKS as u32, "gathered coroutines wait together");
    assert!(most("bounded", &shapes) <= 4 && most("bounded", &shapes) >= 2);
    assert!(most("threads", &shapes) >= 2, "blocked threads wait at once");
    // A thread under the GIL lets go of it while it waits: both wait at once.
    assert!(most("gil", &shapes) >= 2, "the GIL is released around a wait");
}
