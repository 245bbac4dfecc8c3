//! The run configuration: what runs (the workload, with every workload's
//! parameters kept so the form loses nothing on a switch), which models,
//! on how many threads, how often. Plain data and what follows from it;
//! reading it from a URL is [`super::parser`], and the URL parameters it
//! is made of are the table in [`super::parameters`].

use super::limits::{DEFAULT_TASK_MS, MAX_THREADS};
use crate::engine::cpu::fault::Fault;
use crate::engine::cpu::gil::DEFAULT_SWITCH_MS;
use crate::engine::cpu::model::CpuModel;
use crate::engine::cpu::workload::{CpuWorkload, Sieve, Squares};
use crate::engine::io::model::IoModel;
use crate::engine::io::workload::{IoSource, IoWorkload, LatencySpread};
use crate::engine::mixed::{MixedWorkload, Order, Spread};
use crate::engine::model::{Item, KMeans, Model, ModelItem};
use crate::engine::workload::Workload;

/// Which workload runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkloadKind {
    Sieve,
    Squares,
    Io,
    /// Tasks that wait, then compute (or the other way round).
    Mixed,
}

impl WorkloadKind {
    pub const ALL: [WorkloadKind; 4] = [Self::Sieve, Self::Squares, Self::Io, Self::Mixed];

    /// The public id: `workload=` in the URL, `kind` in results.
    pub fn id(self) -> &'static str {
        match self {
            Self::Sieve => "sieve",
            Self::Squares => "squares",
            Self::Io => "io",
            Self::Mixed => "mixed",
        }
    }

    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.id() == id)
    }

    /// Whether its tasks wait on requests (`io`, `mixed`): the request
    /// parameters and the models of waiting tasks apply.
    pub fn waits(self) -> bool {
        matches!(self, Self::Io | Self::Mixed)
    }

    /// Runs per model when the URL names none: the CPU workloads take
    /// milliseconds, so five measured runs after a warm-up; the IO workload
    /// takes seconds (100 sequential requests of 160 ms: 16 s), so one;
    /// so do mixed tasks.
    pub fn default_repeat_and_warmup(self) -> (u32, u32) {
        match self {
            Self::Sieve | Self::Squares => (5, 1),
            Self::Io | Self::Mixed => (1, 0),
        }
    }
}

/// What is swept after the models' own runs (`sweep=`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SweepKind {
    Off,
    /// The CPU workloads: the parallel models at every thread count (`sweep=1`).
    Threads,
    /// Mixed tasks: every model at each share of computing in a task of
    /// `task_ms` (`sweep=mix`).
    Mix,
}

impl SweepKind {
    /// The value `sweep=` is written with (`1` for the thread sweep, as
    /// links have always said).
    pub fn id(self) -> &'static str {
        match self {
            Self::Off => "0",
            Self::Threads => "1",
            Self::Mix => "mix",
        }
    }

    /// Whether it applies to `kind` (elsewhere it is kept, and nothing is swept).
    pub fn applies_to(self, kind: WorkloadKind) -> bool {
        match self {
            Self::Off => false,
            Self::Threads => !kind.waits(),
            Self::Mix => kind == WorkloadKind::Mixed,
        }
    }
}

/// How fast a replay plays, as a fraction of real time (`speed=`): from
/// slow motion, where a 50 ms run lasts a second, to real time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReplaySpeed {
    Twentieth,
    Tenth,
    Quarter,
    Half,
    RealTime,
}

impl ReplaySpeed {
    pub const ALL: [ReplaySpeed; 5] = [Self::Twentieth, Self::Tenth, Self::Quarter, Self::Half, Self::RealTime];

    /// The value `speed=` takes and the page shows.
    pub fn id(self) -> &'static str {
        match self {
            Self::Twentieth => "0.05",
            Self::Tenth => "0.1",
            Self::Quarter => "0.25",
            Self::Half => "0.5",
            Self::RealTime => "1",
        }
    }

    pub fn fraction(self) -> f64 {
        match self {
            Self::Twentieth => 0.05,
            Self::Tenth => 0.1,
            Self::Quarter => 0.25,
            Self::Half => 0.5,
            Self::RealTime => 1.0,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Twentieth => "1/20 (slow motion)",
            Self::Tenth => "1/10",
            Self::Quarter => "1/4",
            Self::Half => "1/2",
            Self::RealTime => "real time",
        }
    }

    /// The speed nearest `fraction`.
    pub fn nearest(fraction: f64) -> Self {
        Self::ALL
            .into_iter()
            .min_by(|a, b| (a.fraction() - fraction).abs().total_cmp(&(b.fraction() - fraction).abs()))
            .unwrap_or(Self::Tenth)
    }
}

/// Where a replay opens, and whether it plays (`t=`, `play=`, `speed=`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReplayStart {
    /// The moment to open at, in microseconds of the run (`t=` is in ms).
    pub at_us: Option<u64>,
    /// Play once the run has ended (`play=1`).
    pub play: bool,
    pub speed: ReplaySpeed,
}

/// The shares of a task's time spent computing that the crossover sweep
/// runs, in %.
pub const MIX_SHARES_PCT: [u32; 7] = [0, 10, 25, 50, 75, 90, 100];

/// The crossover sweep's share whose entries stand as the run's models
/// (cards, table, timeline): half waiting, half computing.
pub const FEATURED_SHARE_PCT: u32 = 50;

/// Everything a run needs to know. Its query form (`Config::to_query`) is
/// the public page API; every field is one parameter of
/// [`super::parameters::PARAMETERS`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub kind: WorkloadKind,
    pub sieve: Sieve,
    pub squares: Squares,
    /// The IO workload. Its `url` is kept whatever the source, so that a
    /// URL typed before switching sources is still there; what runs is
    /// [`Config::io_workload`].
    pub io: IoWorkload,
    /// Mixed tasks: how many, each one request (`io`'s parameters) and one
    /// sieve up to `compute_n`, in `order`.
    pub tasks: u32,
    pub compute_n: u64,
    /// A task's compute step as time on this machine (`cpu_ms=`): the run
    /// calibrates the sieve first and uses the size found in place of
    /// `compute_n` (and records it, so a shared run is exact).
    pub cpu_ms: Option<u32>,
    pub order: Order,
    /// How the sieve's n varies across tasks (the seed that picks it is
    /// the requests' own, `io.seed`).
    pub spread: Spread,
    /// A task's whole time in the crossover sweep (`sweep=mix`): its wait
    /// and its compute share it.
    pub task_ms: u32,
    /// The models of each family to run, in order; an item may carry its
    /// own k (`threads@100`). Mixed tasks run the models of waiting tasks.
    pub cpu_models: Vec<Item<CpuModel>>,
    pub io_models: Vec<Item<IoModel>>,
    /// Threads for `gil` and `rayon`, worker instances for `workers`,
    /// `executor` and `procs`.
    pub threads: u32,
    /// Requests in flight at once for `bounded`, threads for IO `threads`.
    pub concurrency: u32,
    /// The `gil` model's switch interval (CPython's `sys.getswitchinterval()`).
    pub switch_ms: u32,
    /// Tasks per message for CPU `workers`: `None` is Pool.map's own rule.
    pub chunksize: Option<u32>,
    pub repeat: u32,
    pub warmup: u32,
    pub autorun: bool,
    /// After the models' runs: the thread sweep (`sweep=1`, CPU
    /// workloads) or the crossover sweep (`sweep=mix`, mixed tasks).
    pub sweep: SweepKind,
    /// The compact layout for an iframe in a tutorial (`embed=1`).
    pub embed: bool,
    /// In an embed, the run and its pictures without the form (`charts_only=1`).
    pub charts_only: bool,
    /// A fault to inject, for tests (`fault=panic|oom`, CPU workloads).
    pub fault: Option<Fault>,
    /// The post's experiment this reproduces (`experiment=ID`), by id.
    pub experiment: Option<&'static str>,
    /// A tutorial author's own figures (`ref=key:seconds,…`): for each
    /// model key, its time in ms.
    pub reference_ms: Vec<(String, u64)>,
    /// Where the replay of the finished run opens, and how it plays.
    pub replay: ReplayStart,
}

/// The most threads this browser may use: `navigator.hardwareConcurrency`,
/// capped by `MAX_THREADS` and at least 1.
pub fn max_threads(hardware_concurrency: u32) -> u32 {
    hardware_concurrency.clamp(1, MAX_THREADS)
}

/// Python's default `ThreadPoolExecutor(max_workers=None)`: min(32, cores + 4).
pub fn default_concurrency(hardware_concurrency: u32) -> u32 {
    (hardware_concurrency.max(1) + 4).min(32)
}

impl Config {
    pub fn defaults(hardware_concurrency: u32) -> Self {
        let (repeat, warmup) = WorkloadKind::Sieve.default_repeat_and_warmup();
        Self {
            kind: WorkloadKind::Sieve,
            sieve: Sieve::DEFAULT,
            squares: Squares::DEFAULT,
            io: IoWorkload::default_sim(),
            tasks: MixedWorkload::DEFAULT_TASKS,
            compute_n: MixedWorkload::DEFAULT_COMPUTE_N,
            cpu_ms: None,
            order: Order::WaitFirst,
            spread: Spread::Even,
            task_ms: DEFAULT_TASK_MS,
            cpu_models: CpuModel::ALL.map(Item::plain).to_vec(),
            io_models: IoModel::POSTS.map(Item::plain).to_vec(),
            threads: max_threads(hardware_concurrency),
            concurrency: default_concurrency(hardware_concurrency),
            switch_ms: DEFAULT_SWITCH_MS,
            chunksize: None,
            repeat,
            warmup,
            autorun: false,
            sweep: SweepKind::Off,
            embed: false,
            charts_only: false,
            fault: None,
            experiment: None,
            reference_ms: Vec::new(),
            replay: ReplayStart { at_us: None, play: false, speed: ReplaySpeed::Tenth },
        }
    }

    /// The CPU workload that runs (the sieve when the IO workload is chosen).
    pub fn cpu_workload(&self) -> CpuWorkload {
        match self.kind {
            WorkloadKind::Squares => CpuWorkload::Squares(self.squares),
            WorkloadKind::Sieve | WorkloadKind::Io | WorkloadKind::Mixed => CpuWorkload::Sieve(self.sieve),
        }
    }

    /// Whether anything is drawn from the seed: uneven mixed tasks, random
    /// delays, failing requests. A link writes `seed` only then.
    pub fn draws_from_seed(&self) -> bool {
        let tasks = self.kind == WorkloadKind::Mixed && self.spread != Spread::Even;
        let answers = self.kind.waits()
            && self.io.source == IoSource::Sim
            && (self.io.latency_spread != LatencySpread::Fixed || self.io.fail_permille > 0);
        tasks || answers
    }

    /// The IO workload that runs: the URL only for the `url` source, the
    /// seed only where something is drawn from it (else the default, so a
    /// link that leaves it out reads back the same workload).
    pub fn io_workload(&self) -> IoWorkload {
        let seed = if self.draws_from_seed() { self.io.seed } else { IoWorkload::default_sim().seed };
        IoWorkload { url: self.io.url.clone().filter(|_| self.io.source == IoSource::Url), seed, ..self.io.clone() }
    }

    /// The mixed tasks that run: `tasks` of them, each a request of
    /// [`Config::io_workload`]'s and a sieve.
    pub fn mixed_workload(&self) -> MixedWorkload {
        let wait = IoWorkload { requests: self.tasks, ..self.io_workload() };
        let seed = wait.seed;
        MixedWorkload { wait, compute_n: self.compute_n, order: self.order, spread: self.spread, seed }
    }

    pub fn workload(&self) -> Workload {
        match self.kind {
            WorkloadKind::Io => Workload::Io(self.io_workload()),
            WorkloadKind::Mixed => Workload::Mixed(self.mixed_workload()),
            WorkloadKind::Sieve | WorkloadKind::Squares => Workload::Cpu(self.cpu_workload()),
        }
    }

    /// The models that run, in the order given.
    pub fn models(&self) -> Vec<ModelItem> {
        match self.kind {
            WorkloadKind::Io | WorkloadKind::Mixed => {
                self.io_models.iter().map(|i| Item { model: Model::Io(i.model), k: i.k }).collect()
            }
            WorkloadKind::Sieve | WorkloadKind::Squares => {
                self.cpu_models.iter().map(|i| Item { model: Model::Cpu(i.model), k: i.k }).collect()
            }
        }
    }

    /// This configuration as `item` runs it: its own `@k` in place of
    /// `threads` or `concurrency`.
    pub fn for_item(&self, item: ModelItem) -> Config {
        match (item.k, item.model.k_means()) {
            (Some(threads), Some(KMeans::Threads | KMeans::Instances)) => Config { threads, ..self.clone() },
            (Some(concurrency), Some(KMeans::Concurrency)) => Config { concurrency, ..self.clone() },
            _ => self.clone(),
        }
    }

    /// This configuration with its compute step sized by the calibration:
    /// `compute_n` in place of `cpu_ms`, its largest task held to the
    /// limit as a link's would be, so its query replays the run exactly.
    pub fn with_compute_n(&self, compute_n: u64) -> Config {
        let mut sized = Config { compute_n: compute_n.max(2), cpu_ms: None, ..self.clone() };
        sized.fit_compute_to_limit(&mut |_, _| {});
        sized
    }

    /// One point of the crossover sweep: each task waits `latency_ms` and
    /// computes up to `compute_n` (sized for the share). It keeps
    /// `sweep=mix`, so its query replays the whole sweep.
    pub fn at_mix_share(&self, latency_ms: u32, compute_n: u64) -> Config {
        let io = IoWorkload { latency_ms, ..self.io.clone() };
        Config { io, ..self.with_compute_n(compute_n) }
    }

    /// Why Run cannot start with this configuration, if it cannot: only a
    /// missing or invalid URL for `source=url` (there is no safe value to
    /// put in its place).
    pub fn blocking_reason(&self) -> Option<String> {
        (self.kind.waits() && self.io.source == IoSource::Url && self.io.url.is_none())
            .then(|| "Enter an http(s) URL to fetch, or choose another source.".to_string())
    }
}
