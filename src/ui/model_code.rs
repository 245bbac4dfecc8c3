//! The code each model runs, for its card: the Rust is taken from this
//! crate's own source at build time (src/build.rs, `include_str!`), between the markers
//! `// [model-code: <keys>]` and `// [/model-code]`, so what the card shows
//! cannot drift from what runs; the Python is the posts' equivalent. Plain
//! Rust, tested natively (every model must have both).

use crate::engine::cpu::model::CpuModel;
use crate::engine::io::model::IoModel;
use crate::engine::model::Model;

/// The marked regions of the files that hold what the models run, in the
/// order a reader should see them (src/build.rs's `QUOTED`). src/build.rs
/// cuts the regions out at build time, markers included, so only they are
/// in the wasm.
const SOURCE: &str = include_str!(concat!(env!("OUT_DIR"), "/model_code.rs.txt"));

const OPEN: &str = "// [model-code:";
const CLOSE: &str = "// [/model-code]";

/// The key of a model in the markers: `cpu-rayon`, `io-seq`, ...
pub fn key(model: Model) -> String {
    match model {
        Model::Cpu(cpu) => format!("cpu-{}", cpu.id()),
        Model::Io(io) => format!("io-{}", io.id()),
    }
}

/// Every region marked for `model`, each dedented, joined by a blank line.
pub fn rust_code(model: Model) -> String {
    let key = key(model);
    let mut regions: Vec<String> = Vec::new();
    let mut region: Option<Vec<&str>> = None;
    for line in SOURCE.lines() {
        let trimmed = line.trim_start();
        if let Some(keys) = trimmed.strip_prefix(OPEN) {
            if keys.trim_end_matches(']').split_whitespace().any(|k| k == key) {
                region = Some(Vec::new());
            }
        } else if trimmed.starts_with(CLOSE) {
            if let Some(lines) = region.take() {
                regions.push(dedent(&lines));
            }
        } else if let Some(lines) = region.as_mut() {
            lines.push(line);
        }
    }
    regions.join("\n\n")
}

fn dedent(lines: &[&str]) -> String {
    let indent = lines
        .iter()
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.len() - line.trim_start().len())
        .min()
        .unwrap_or(0);
    lines.iter().map(|line| line.get(indent..).unwrap_or("").trim_end()).collect::<Vec<_>>().join("\n")
}

/// The model's idea in a line or two of Rust, shown first on its card:
/// the real code (`rust_code`) adds what measuring needs (timing spans,
/// memory samples, Stop, fault hooks), folded under it. Each idea names
/// the call its real code is built on, which `tests` check is there.
pub fn rust_idea(model: Model) -> &'static str {
    match model {
        Model::Cpu(CpuModel::Main) => {
            "// On the page's own thread: nothing else runs until it ends.\n\
             let total: u128 = tasks.map(run_task).sum();"
        }
        Model::Cpu(CpuModel::Seq) => {
            "// The same loop on one other thread; the page only awaits it.\n\
             let total = run_on_global_pool(|| tasks.map(run_task).sum()).await;"
        }
        Model::Cpu(CpuModel::AsyncNoawait) => {
            "// Coroutines that never await: each runs to its end when polled.\n\
             join_all(tasks.map(|task| async move { run_task(task) })).await;"
        }
        Model::Cpu(CpuModel::Async) => {
            "// Hand the event loop back after every task.\n\
             for task in tasks { total += run_task(task); yield_now().await; }"
        }
        Model::Cpu(CpuModel::Gil) => {
            "// k threads, one lock: task code runs only while holding it.\n\
             gil.take(me); while let Some(task) = next() { run_task(task); gil.yield_if_asked(me); }"
        }
        Model::Cpu(CpuModel::Rayon) => {
            "// Every core at once, sharing one memory; work stealing balances.\n\
             let total: u128 = tasks.into_par_iter().map(run_task).sum();"
        }
        Model::Cpu(CpuModel::Workers) => {
            "// Pool.map: chunks of tasks, each sent to the next free instance.\n\
             for chunk in chunks(tasks, chunksize) { free_instance().await.send(chunk) } // each runs run_chunk"
        }
        Model::Cpu(CpuModel::Executor) => {
            "// One message per task, as submit() sends them.\n\
             for task in tasks { free_instance().await.send(task..task + 1) } // each runs run_chunk"
        }
        Model::Io(IoModel::Seq) => {
            "// Each request awaited before the next.\n\
             for url in urls { fetch(url).await; }"
        }
        Model::Io(IoModel::All) => {
            "// Every request started at once, then joined.\n\
             join_all(urls.map(fetch)).await;"
        }
        Model::Io(IoModel::Bounded) => {
            "// k lanes, each taking the next URL when its request ends.\n\
             join_all((0..k).map(|_| async { while let Some(url) = take_next() { fetch(url).await } })).await;"
        }
        Model::Io(IoModel::Threads) => {
            "// k threads, each blocked in its request until it answers.\n\
             while let Some(url) = take_next() { fetch_blocking(url); } // on each of k threads"
        }
        Model::Io(IoModel::Gil) => {
            "// k threads, one lock: let go while blocked in a request, held to compute.\n\
             while let Some(url) = take_next() { gil.release(me); fetch_blocking(url); gil.take(me); compute(); }"
        }
        Model::Io(IoModel::Workers) => {
            "// k instances, each making its share of the requests at once.\n\
             join_all(share.map(fetch)).await; // in each of k instances: run_share"
        }
        Model::Io(IoModel::Procs) => {
            "// k instances, each making one request at a time.\n\
             fetch(url).await; // in the instance the page sent this URL to: run_share_in_turn"
        }
    }
}

/// The same model in Python, as the posts would write it.
pub fn python_code(model: Model) -> &'static str {
    match model {
        Model::Cpu(CpuModel::Main) => {
            "# A plain loop: nothing else runs until it ends.\n\
             total = sum(count_primes(n) for n in range(1000, 16000))"
        }
        Model::Cpu(CpuModel::Seq) => {
            "# The same loop on one other thread.\n\
             with ThreadPoolExecutor(max_workers=1) as pool:\n    \
                 total = sum(pool.map(count_primes, range(1000, 16000)))"
        }
        Model::Cpu(CpuModel::AsyncNoawait) => {
            "# Coroutines with no await: gather runs them one after another.\n\
             async def task(n):\n    \
                 return count_primes(n)\n\n\
             total = sum(await asyncio.gather(*(task(n) for n in range(1000, 16000))))"
        }
        Model::Cpu(CpuModel::Async) => {
            "# Each coroutine hands the loop back after its work.\n\
             async def task(n):\n    \
                 primes = count_primes(n)\n    \
                 await asyncio.sleep(0)\n    \
                 return primes\n\n\
             total = sum(await asyncio.gather(*(task(n) for n in range(1000, 16000))))"
        }
        Model::Cpu(CpuModel::Gil) => {
            "# k threads, but CPython's GIL lets one run at a time.\n\
             sys.setswitchinterval(0.005)  # the default\n\
             with ThreadPoolExecutor(max_workers=k) as pool:\n    \
                 total = sum(pool.map(count_primes, range(1000, 16000)))"
        }
        Model::Cpu(CpuModel::Rayon) => {
            "# No CPython equivalent: threads that compute at once need no GIL\n\
             # (free-threaded CPython 3.13t comes closest).\n\
             with ThreadPoolExecutor(max_workers=k) as pool:  # python3.13t\n    \
                 total = sum(pool.map(count_primes, range(1000, 16000)))"
        }
        Model::Cpu(CpuModel::Workers) => {
            "# k processes; chunks and results are pickled between them.\n\
             with multiprocessing.Pool(k) as pool:\n    \
                 total = sum(pool.map(count_primes, range(1000, 16000), chunksize))"
        }
        Model::Cpu(CpuModel::Executor) => {
            "# k processes, one task per submit(): a round trip per task.\n\
             with ProcessPoolExecutor(max_workers=k) as pool:\n    \
                 futures = [pool.submit(count_primes, n) for n in range(1000, 16000)]\n    \
                 total = sum(f.result() for f in futures)"
        }
        Model::Io(IoModel::Seq) => {
            "with requests.Session() as session:\n    \
                 for url in urls:\n        \
                     session.get(url).content"
        }
        Model::Io(IoModel::All) => {
            "async def fetch(session, url):\n    \
                 async with session.get(url) as response:\n        \
                     return await response.read()\n\n\
             async with aiohttp.ClientSession() as session:\n    \
                 await asyncio.gather(*(fetch(session, url) for url in urls))"
        }
        Model::Io(IoModel::Bounded) => {
            "limit = asyncio.Semaphore(k)  # or ThreadPoolExecutor(max_workers=k)\n\n\
             async def fetch(session, url):\n    \
                 async with limit, session.get(url) as response:\n        \
                     return await response.read()\n\n\
             async with aiohttp.ClientSession() as session:\n    \
                 await asyncio.gather(*(fetch(session, url) for url in urls))"
        }
        Model::Io(IoModel::Threads) => {
            "session = requests.Session()\n\
             with ThreadPoolExecutor(max_workers=k) as pool:  # each thread blocks in get()\n    \
                 list(pool.map(lambda url: session.get(url).content, urls))"
        }
        Model::Io(IoModel::Gil) => {
            "def fetch_then_parse(url):  # in each of k threads of CPython\n    \
                 body = session.get(url).content  # the GIL is let go while blocked\n    \
                 return parse(body)  # the GIL is held: one thread parses at a time\n\n\
             with ThreadPoolExecutor(max_workers=k) as pool:\n    \
                 list(pool.map(fetch_then_parse, urls))"
        }
        Model::Io(IoModel::Workers) => {
            "def fetch_share(share):  # in each process: asyncio on its share\n    \
                 return asyncio.run(fetch_all(share))\n\n\
             with multiprocessing.Pool(k) as pool:\n    \
                 pool.map(fetch_share, split(urls, k))"
        }
        Model::Io(IoModel::Procs) => {
            "def get(url):  # in a process, blocked until the answer\n    \
                 return requests.get(url).content\n\n\
             with ProcessPoolExecutor(max_workers=k) as pool:\n    \
                 list(pool.map(get, urls))"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_models() -> Vec<Model> {
        CpuModel::ALL.map(Model::Cpu).into_iter().chain(IoModel::ALL.map(Model::Io)).collect()
    }

    #[test]
    fn every_model_shows_the_code_that_runs_it() {
        let expect = [
            ("cpu-main", "fn run_sequential"),
            ("cpu-seq", "run_on_global_pool"),
            ("cpu-async_noawait", "join_all"),
            ("cpu-async", "yield_now().await"),
            ("cpu-gil", "fn yield_if_asked"),
            ("cpu-rayon", "into_par_iter"),
            ("cpu-workers", "fn run_chunk"),
            ("cpu-executor", "fn run_chunk"),
            ("io-seq", "fn run_in_turn"),
            ("io-all", "join_all"),
            ("io-bounded", "fn run_bounded"),
            ("io-threads", "fetch_blocking"),
            ("io-gil", "fn yield_if_asked"),
            ("io-workers", "fn run_share"),
            ("io-procs", "fn run_share_in_turn"),
        ];
        let idea_calls = [
            ("cpu-main", "run_task"),
            ("cpu-seq", "run_on_global_pool"),
            ("cpu-async_noawait", "join_all"),
            ("cpu-async", "yield_now()"),
            ("cpu-gil", "yield_if_asked"),
            ("cpu-rayon", "into_par_iter()"),
            ("cpu-workers", "run_chunk"),
            ("cpu-executor", "run_chunk"),
            ("io-seq", ".await"),
            ("io-all", "join_all"),
            ("io-bounded", "take_next()"),
            ("io-threads", "fetch_blocking"),
            ("io-gil", "fetch_blocking"),
            ("io-workers", "run_share"),
            ("io-procs", "run_share_in_turn"),
        ];
        for model in all_models() {
            let code = rust_code(model);
            let (_, needle) = expect.iter().find(|(k, _)| *k == key(model)).unwrap();
            assert!(code.contains(needle), "{}: {code}", key(model));
            // The idea names a call the real code is built on.
            let (_, call) = idea_calls.iter().find(|(k, _)| *k == key(model)).unwrap();
            assert!(code.contains(call) && rust_idea(model).contains(call), "{}: {call}", key(model));
            assert!(!code.contains("model-code"), "markers are not shown");
            assert!(!code.lines().next().unwrap().starts_with(' '), "dedented");
            assert!(!python_code(model).is_empty());
        }
    }

    #[test]
    fn markers_are_balanced() {
        let opens = SOURCE.lines().filter(|l| l.trim_start().starts_with(OPEN)).count();
        let closes = SOURCE.lines().filter(|l| l.trim_start().starts_with(CLOSE)).count();
        assert_eq!(opens, closes);
    }
}
