//! The `gil` model where threads cannot share memory, natively: k
//! "instances" (futures on one thread, as worker instances are each a
//! thread with an event loop) run `ModelRun::run_under_token` against the
//! page's `TokenKeeper`, through a link that passes requests and answers
//! as the browser's messages do. Every task runs once, the checksum is
//! exact, one instance holds the token at a time, and it changes hands.

use concurrency_playground::engine::cpu::gil_token::{TokenAction, TokenKeeper, TokenLink, TokenRequest};
use concurrency_playground::engine::cpu::workload::{CpuWorkload, Sieve, Squares};
use concurrency_playground::engine::io::fetch::Fetcher;
use concurrency_playground::engine::io::workload::IoWorkload;
use concurrency_playground::engine::measurement::probes::{Clock, NativeClock, NativeMemory};
use concurrency_playground::engine::measurement::records::TaskSpan;
use concurrency_playground::engine::measurement::run_window::Instruments;
use concurrency_playground::engine::mixed::{MixedWorkload, Order, Spread};
use concurrency_playground::engine::running::native::NATIVE_BASE_URL;
use concurrency_playground::engine::task::run::ModelRun;
use concurrency_playground::engine::workload::Workload;
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::ops::Range;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

mod support;
use support::fake_network::FakeNetwork;

/// The page: the keeper, its reminders, and what it has told each lane.
struct Page {
    keeper: TokenKeeper,
    /// (due on the clock, switch number) of each reminder.
    reminders: Vec<(f64, u64)>,
    granted: Vec<Option<Range<usize>>>,
    leased: Vec<Option<Option<Range<usize>>>>,
    drop_asked: Vec<bool>,
}

impl Page {
    fn send(&mut self, lane: u32, request: TokenRequest) {
        let actions = self.keeper.handle(lane, request);
        self.apply(actions);
    }

    fn apply(&mut self, actions: Vec<TokenAction>) {
        for action in actions {
            match action {
                TokenAction::Grant { lane, lease } => {
                    self.granted[lane as usize] = Some(lease);
                    self.drop_asked[lane as usize] = false;
                }
                TokenAction::Lease { lane, lease } => self.leased[lane as usize] = Some(Some(lease)),
                TokenAction::Finish { lane } => self.leased[lane as usize] = Some(None),
                TokenAction::Drop { lane } => self.drop_asked[lane as usize] = true,
                TokenAction::Remind { after_ms, switch_number } => {
                    self.reminders.push((NativeClock.now_ms() + after_ms as f64, switch_number))
                }
            }
        }
    }

    /// The page's timers: reminders that are due.
    fn tick(&mut self) {
        let now = NativeClock.now_ms();
        let due: Vec<u64> = self.reminders.iter().filter(|(at, _)| *at <= now).map(|(_, number)| *number).collect();
        self.reminders.retain(|(at, _)| *at > now);
        for number in due {
            let actions = self.keeper.interval_passed(number);
            self.apply(actions);
        }
    }
}

struct Link {
    page: Rc<RefCell<Page>>,
    lane: u32,
}

/// Pending once: lets the other futures run, as a yield to the event loop.
struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<()> {
        if std::mem::replace(&mut self.0, true) {
            return Poll::Ready(());
        }
        context.waker().wake_by_ref();
        Poll::Pending
    }
}

impl Link {
    async fn until<T>(&self, mut taken: impl FnMut(&mut Page) -> Option<T>) -> T {
        loop {
            if let Some(value) = taken(&mut self.page.borrow_mut()) {
                return value;
            }
            self.page.borrow_mut().tick();
            YieldOnce(false).await;
        }
    }
}

impl TokenLink for Link {
    async fn want(&self) -> Range<usize> {
        self.page.borrow_mut().send(self.lane, TokenRequest::Want);
        let lane = self.lane as usize;
        self.until(|page| page.granted[lane].take()).await
    }

    async fn more(&self) -> Option<Range<usize>> {
        self.page.borrow_mut().send(self.lane, TokenRequest::More);
        let lane = self.lane as usize;
        self.until(|page| page.leased[lane].take()).await
    }

    fn release(&self, unused: Range<usize>) {
        let request = TokenRequest::Release { unused_start: unused.start, unused_end: unused.end };
        self.page.borrow_mut().send(self.lane, request);
    }

    fn drop_requested(&self) -> bool {
        self.page.borrow().drop_asked[self.lane as usize]
    }

    async fn yield_now(&self) {
        self.page.borrow_mut().tick();
        YieldOnce(false).await;
    }
}

struct Noop;
impl Wake for Noop {
    fn wake(self: Arc<Self>) {}
}

fn block_on<F: Future>(future: F) -> F::Output {
    let waker = Waker::from(Arc::new(Noop));
    let mut context = Context::from_waker(&waker);
    let mut future = std::pin::pin!(future);
    loop {
        if let Poll::Ready(value) = future.as_mut().poll(&mut context) {
            return value;
        }
    }
}

/// Runs `workload` on k token-holding "instances", their requests through
/// `network`; returns the checksum, the tasks done, the holds and the hand-offs.
fn run(workload: &Workload, k: u32, switch_ms: u32, network: &impl Fetcher) -> (u128, usize, Vec<TaskSpan>, u32) {
    let tasks = workload.task_count();
    let page = Rc::new(RefCell::new(Page {
        keeper: TokenKeeper::new(tasks, k, switch_ms),
        reminders: Vec::new(),
        granted: vec![None; k as usize],
        leased: vec![None; k as usize],
        drop_asked: vec![false; k as usize],
    }));
    let origin = NativeClock.now_ms();
    let instruments = Instruments::new(&NativeClock, &NativeMemory, Arc::new(AtomicBool::new(false)));
    let urls = workload.request_urls(NATIVE_BASE_URL, 1);
    let start = || ModelRun::start_part(workload.clone(), 0..tasks, urls.clone(), &instruments, Some(origin), 64, None);
    let runs: Vec<ModelRun> = (0..k).map(|_| start()).collect();
    let finished = Cell::new(0);
    let outcomes = block_on(futures_util::future::join_all(runs.iter().enumerate().map(|(lane, run)| {
        let link = Link { page: page.clone(), lane: lane as u32 };
        let finished = &finished;
        async move {
            let outcome = run.run_under_token(&link, lane as u32, network).await;
            finished.set(finished.get() + 1);
            outcome
        }
    })));
    assert_eq!(finished.get(), k);
    let mut holds: Vec<TaskSpan> = outcomes.iter().flat_map(|(_, holds, _)| holds.clone()).collect();
    holds.sort_by(|a, b| a.start_ms.total_cmp(&b.start_ms));
    // What each instance computed; the page adds the bytes it received.
    let received: u128 = runs.iter().flat_map(|run| run.request_spans()).map(|(_, span)| span.bytes as u128).sum();
    let checksum = outcomes.iter().map(|(computed, _, _)| computed).sum::<u128>() + received;
    let done = runs.iter().map(|run| run.finish_part().tasks_done).sum();
    let switches = page.borrow().keeper.switches();
    (checksum, done, holds, switches)
}

#[test]
fn instances_under_the_token_run_every_task_once_one_at_a_time() {
    for (workload, switch_ms) in [
        (CpuWorkload::Sieve(Sieve { from: 1000, to: 9000 }), 1),
        // Tasks of a few milliseconds each: handed over inside them.
        (CpuWorkload::Squares(Squares { base: 3_000_000, count: 6 }), 1),
    ] {
        let (checksum, done, holds, switches) = run(&Workload::Cpu(workload), 3, switch_ms, &FakeNetwork::default());
        assert_eq!(checksum, workload.expected_checksum(), "{workload:?}");
        assert_eq!(done, workload.task_count());
        let overlaps = holds.windows(2).filter(|pair| pair[1].start_ms < pair[0].end_ms - 1e-6).count();
        assert_eq!(overlaps, 0, "one holder at a time: {holds:?}");
        assert!(switches >= 2, "{workload:?}: {switches} hand-offs");
    }
}

#[test]
fn instances_let_go_of_the_token_while_they_wait() {
    // 12 tasks, each a 20 ms request and a sieve: the holder gives the
    // token back at every request, so the others compute meanwhile.
    let wait = IoWorkload { requests: 12, latency_ms: 20, bytes: 100, ..IoWorkload::default_sim() };
    for order in [Order::WaitFirst, Order::ComputeFirst] {
        let workload = Workload::Mixed(MixedWorkload {
            wait: wait.clone(),
            compute_n: 20_000,
            order,
            spread: Spread::Even,
            seed: 1,
        });
        let network = FakeNetwork::default();
        let (checksum, done, holds, _) = run(&workload, 3, 5, &network);
        assert_eq!(Some(checksum), workload.expected_checksum(), "{order:?}");
        assert_eq!((done, network.requests()), (12, 12));
        assert!(network.most_in_flight() >= 2, "requests overlap while others hold the token");
        let overlaps = holds.windows(2).filter(|pair| pair[1].start_ms < pair[0].end_ms - 1e-6).count();
        assert_eq!(overlaps, 0, "one holder at a time: {holds:?}");
    }
}
