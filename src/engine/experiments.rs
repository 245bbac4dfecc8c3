//! The posts' experiments, each reproducible with one link
//! (`experiment=ID`): what the post ran, as a query of this page, what was
//! scaled and why, and the figures the post published, in seconds as
//! printed. Plain data; the parser applies an experiment's query, and the
//! results carry its figures beside the measured ones. It imports nothing
//! of the engine.

/// One entry of a post's table: the model item that stands for it here.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PublishedEntry {
    /// The `models=` item (`threads@100`), or the model id.
    pub key: &'static str,
    /// The Python system the post ran.
    pub python: &'static str,
    /// The post's time in seconds; `None` where it printed none.
    pub seconds: Option<f64>,
}

/// One post's experiment.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Experiment {
    pub id: &'static str,
    pub title: &'static str,
    pub author: &'static str,
    /// The post's address, where it could be confirmed.
    pub url: Option<&'static str>,
    pub year: u32,
    /// The query this page runs it as (no `experiment=`, no `autorun`).
    /// `{cores}` stands for this browser's cores, where the post's choice
    /// depended on the machine.
    pub query: &'static str,
    /// What differs from the post, and why, for people.
    pub scaled: &'static str,
    /// The post's figures, sync first (the speedups are against it).
    pub entries: &'static [PublishedEntry],
    /// Which figure tells the post's lesson: memory before time.
    pub memory_first: bool,
}

/// The classic comparison the page offers first: the posts' CPU lesson
/// (sync, threads under the GIL, asyncio, multiprocessing.Pool) on the
/// sieve, then rayon, which Python has no counterpart for. A few seconds.
pub const CLASSIC_QUERY: &str =
    "workload=sieve&from=1000&to=16000&models=seq,gil,async,workers,rayon&repeat=3&warmup=1";

/// The posts the playground reproduces.
pub static EXPERIMENTS: [Experiment; 5] = [
    Experiment {
        id: "shaji-io",
        title: "Parallelism, Concurrency, and AsyncIO in Python - by example",
        author: "Amal Shaji",
        url: Some("https://testdriven.io/blog/concurrency-parallelism-asyncio/"),
        year: 2020,
        query: "workload=io&source=sim&requests=100&latency_ms=160&bytes=2048&models=seq,threads@100,threads,all",
        scaled:
            "The post made 100 GETs of httpbin.org/ip, about 0.16 s each; here the service worker answers each after \
                 exactly 160 ms, so every model sees the same latency. Counts and k are the post's: a thread per \
                 request, ThreadPoolExecutor()'s default of min(32, cores + 4) threads, asyncio with one client.",
        entries: &[
            PublishedEntry { key: "seq", python: "sync, one requests.get after another", seconds: Some(15.71) },
            PublishedEntry { key: "threads@100", python: "a threading.Thread per request", seconds: Some(1.02) },
            PublishedEntry {
                key: "threads",
                python: "ThreadPoolExecutor() (min(32, cpu_count() + 4) threads)",
                seconds: Some(1.34),
            },
            PublishedEntry { key: "all", python: "asyncio + httpx, gathered", seconds: Some(0.55) },
        ],
        memory_first: false,
    },
    Experiment {
        id: "shaji-cpu",
        title: "Parallelism, Concurrency, and AsyncIO in Python - by example",
        author: "Amal Shaji",
        url: Some("https://testdriven.io/blog/concurrency-parallelism-asyncio/"),
        year: 2020,
        query: "workload=sieve&from=1000&to=16000&models=seq,workers,executor&threads={cores}",
        scaled: "The same sieve for every n in range(1000, 16000). The post used cpu_count() - 1 processes, leaving a \
                 core to the system; on 2 cores that is one process, which cannot show parallelism, so the \
                 playground uses all of this browser's cores for Pool and ProcessPoolExecutor (and says how many).",
        entries: &[
            PublishedEntry { key: "seq", python: "sync loop", seconds: Some(17.86) },
            PublishedEntry { key: "workers", python: "multiprocessing.Pool(cpu_count() - 1).map", seconds: Some(2.98) },
            PublishedEntry {
                key: "executor",
                python: "ProcessPoolExecutor(cpu_count() - 1), a submit per task",
                seconds: Some(4.45),
            },
        ],
        memory_first: false,
    },
    Experiment {
        id: "csrgxtu-io",
        title: "Speed up your code with concurrency",
        author: "csrgxtu",
        url: None,
        year: 2020,
        query:
            "workload=io&source=sim&requests=160&latency_ms=100&bytes=25536&models=seq,threads@5,procs@5,all,workers@5",
        scaled: "The post downloaded two pages of 18547 and 32524 bytes, alternating, 160 times, at about 0.92 s each \
                 (147.57 s in sequence). Here each answer comes after 100 ms, so the sequential run takes 16 s, and \
                 carries 25536 bytes, the two pages' mean. Counts and k are the post's (5 threads, 5 processes).",
        entries: &[
            PublishedEntry { key: "seq", python: "sync, one download after another", seconds: Some(147.57) },
            PublishedEntry { key: "threads@5", python: "ThreadPoolExecutor(5)", seconds: Some(34.54) },
            PublishedEntry {
                key: "procs@5",
                python: "ProcessPoolExecutor(5), requests.get in each",
                seconds: Some(41.21),
            },
            PublishedEntry { key: "all", python: "asyncio + aiohttp, gathered", seconds: Some(14.11) },
            PublishedEntry {
                key: "workers@5",
                python: "ProcessPoolExecutor(5), each process running asyncio on chunks of 5",
                seconds: Some(6.90),
            },
        ],
        memory_first: false,
    },
    Experiment {
        id: "csrgxtu-cpu",
        title: "Speed up your code with concurrency",
        author: "csrgxtu",
        url: None,
        year: 2020,
        query: "workload=squares&base=5000000&count=20&models=seq,gil,async,workers&threads={cores}",
        scaled:
            "The same sums, sum(i*i for i in range(5_000_000 + x)) for x < 20, and multiprocessing.Pool() with one \
                 process per core. The post says threads and asyncio \"will slow down\" without timing them; gil and \
                 async show why.",
        entries: &[
            PublishedEntry { key: "seq", python: "sync loop", seconds: Some(11.24) },
            PublishedEntry { key: "gil", python: "threads, under the GIL (not timed in the post)", seconds: None },
            PublishedEntry { key: "async", python: "asyncio (not timed in the post)", seconds: None },
            PublishedEntry { key: "workers", python: "multiprocessing.Pool().map", seconds: Some(3.23) },
        ],
        memory_first: false,
    },
    Experiment {
        id: "wolf-io",
        title: "Memory efficiency of parallel IO operations in Python",
        author: "Jakub Wolf (Kiwi.com)",
        url: Some("https://code.kiwi.com/articles/memory-efficiency-of-parallel-io-operations-in-python/"),
        year: 2018,
        query: "workload=io&source=sim&requests=100&latency_ms=160&bytes=2048&models=seq,threads@100,threads@20,all",
        scaled: "The post's 100 requests took about 0.29 s each; here 160 ms, so the sequential run stays near 16 s. \
                 Its lesson is memory: 100 threads cost more than 20, gevent (here all, its nearest form) about as \
                 much as asyncio, and asyncio about as little as sync.",
        entries: &[
            PublishedEntry { key: "seq", python: "sync (\"about 29 seconds\")", seconds: Some(29.0) },
            PublishedEntry { key: "threads@100", python: "100 threads (memory, not timed)", seconds: None },
            PublishedEntry {
                key: "threads@20",
                python: "ThreadPoolExecutor (\"~17 sec\"; 20 threads)",
                seconds: Some(17.0),
            },
            PublishedEntry { key: "all", python: "gevent / asyncio, one thread (memory, not timed)", seconds: None },
        ],
        memory_first: true,
    },
];

impl Experiment {
    /// The experiment of `id`, if there is one.
    pub fn find(id: &str) -> Option<&'static Experiment> {
        EXPERIMENTS.iter().find(|experiment| experiment.id == id)
    }

    /// Its query for a browser with `cores` cores.
    pub fn query_for(&self, cores: u32) -> String {
        self.query.replace("{cores}", &cores.to_string())
    }

    /// The post's own speedup of each entry over its sync entry (the first).
    pub fn published_speedup(&self, entry: &PublishedEntry) -> Option<f64> {
        let sync = self.entries.first()?.seconds?;
        entry.seconds.filter(|&s| s > 0.0).map(|seconds| sync / seconds)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_every_entry_is_a_model_of_the_query() {
        let mut ids: Vec<&str> = EXPERIMENTS.iter().map(|e| e.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), EXPERIMENTS.len());
        for experiment in &EXPERIMENTS {
            let query = experiment.query_for(2);
            assert!(!query.contains("{cores}"));
            let models = query.split('&').find_map(|pair| pair.strip_prefix("models=")).unwrap();
            for entry in experiment.entries {
                assert!(models.split(',').any(|key| key == entry.key), "{}: {}", experiment.id, entry.key);
            }
            assert_eq!(experiment.entries[0].key, "seq", "{}: sync first", experiment.id);
        }
    }

    #[test]
    fn published_speedups_are_against_sync() {
        let shaji = Experiment::find("shaji-cpu").unwrap();
        let pool = shaji.entries.iter().find(|e| e.key == "workers").unwrap();
        assert!((shaji.published_speedup(pool).unwrap() - 17.86 / 2.98).abs() < 1e-9);
        assert_eq!(Experiment::find("nope"), None);
    }
}
