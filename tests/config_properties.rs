//! The configuration parser against thousands of generated queries, and
//! against the corpus of bad links the browser test also opens: it never
//! panics, always yields a configuration inside the documented limits, and
//! its canonical query reads back as itself without a message.

use concurrency_playground::engine::configuration::config::{
    max_threads, Config, SweepKind, WorkloadKind, MIX_SHARES_PCT,
};
use concurrency_playground::engine::configuration::limits::*;
use concurrency_playground::engine::configuration::parameters::known_keys;
use concurrency_playground::engine::configuration::query::encode_component;
use concurrency_playground::engine::cpu::workload::CpuWorkload;
use concurrency_playground::engine::io::workload::{IoSource, STATIC_FILES};
use proptest::prelude::*;

/// Every accepted configuration is inside the limits README documents.
fn assert_within_limits(config: &Config, cores: u32) {
    assert!(config.sieve.from < config.sieve.to && config.sieve.to <= MAX_SIEVE_N + 1, "{config:?}");
    assert!(config.sieve.to - config.sieve.from <= MAX_TASKS, "{config:?}");
    let sieve = CpuWorkload::Sieve(config.sieve);
    assert!(sieve.work_units() <= MAX_WORK_UNITS as u128, "{config:?}");
    assert!(config.squares.count >= 1 && config.squares.base + config.squares.count <= MAX_SQUARES_M, "{config:?}");
    let squares = CpuWorkload::Squares(config.squares);
    assert!(squares.work_units() <= MAX_SQUARES_WORK_UNITS as u128, "{config:?}");
    let io = &config.io;
    assert!((1..=MAX_REQUESTS).contains(&io.requests) && (1..=MAX_REQUESTS).contains(&config.tasks), "{config:?}");
    assert!(io.latency_ms <= MAX_LATENCY_MS && io.bytes <= MAX_RESPONSE_BYTES, "{config:?}");
    // The requests that run: `requests`, or one per mixed task.
    let requests = if config.kind == WorkloadKind::Mixed { config.tasks } else { io.requests } as u64;
    assert!(requests * io.bytes as u64 <= MAX_IO_TOTAL_BYTES, "{config:?}");
    assert!(requests * io.latency_ms as u64 <= MAX_SEQUENTIAL_MS, "{config:?}");
    if config.kind == WorkloadKind::Mixed {
        assert!(config.compute_n <= MAX_COMPUTE_N, "{config:?}");
        assert!(config.tasks as u64 * config.compute_n <= MAX_WORK_UNITS, "{config:?}");
        // A task's time as given, or a crossover task at every share, in turn.
        assert!(
            config.cpu_ms.is_none_or(|ms| (1..=MAX_CPU_MS).contains(&ms)) && config.task_ms <= MAX_CPU_MS,
            "{config:?}"
        );
        let task_ms = match config.sweep {
            SweepKind::Mix => config.task_ms as u64 * MIX_SHARES_PCT.len() as u64,
            _ => (io.latency_ms + config.cpu_ms.unwrap_or(0)) as u64,
        };
        assert!(config.tasks as u64 * task_ms <= MAX_SEQUENTIAL_MS, "{config:?}");
        // The largest task, whatever the spread.
        let largest = config.mixed_workload().compute_sizes().into_iter().max().unwrap_or(0);
        assert!(largest <= MAX_COMPUTE_N, "{config:?}");
    }
    assert!((MIN_TIMEOUT_MS..=MAX_TIMEOUT_MS).contains(&io.timeout_ms), "{config:?}");
    assert!(io.fail_permille <= 1000, "{config:?}");
    if io.source == IoSource::Static {
        assert!(STATIC_FILES.iter().any(|(size, _)| *size == io.bytes), "{config:?}");
    }
    if let Some(url) = &io.url {
        let lower = url.to_ascii_lowercase();
        assert!(lower.starts_with("http://") || lower.starts_with("https://"), "{config:?}");
        assert!(url.chars().count() <= MAX_URL_CHARS && !url.chars().any(char::is_whitespace), "{config:?}");
    }
    let models = config.models();
    assert!(!models.is_empty(), "{config:?}");
    // Sorted first: dedup only removes neighbours.
    let mut keys: Vec<String> = models.iter().map(|m| m.key()).collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), models.len(), "no model twice: {config:?}");
    assert!((1..=max_threads(cores)).contains(&config.threads), "{config:?}");
    assert!((1..=MAX_CONCURRENCY).contains(&config.concurrency), "{config:?}");
    assert!((1..=MAX_REPEAT).contains(&config.repeat) && config.warmup <= MAX_WARMUP, "{config:?}");
}

/// Reads `query`, checks the outcome, and checks that the canonical query
/// is a fixed point that raises no message (beyond a missing URL, which
/// is the one thing without a safe stand-in).
fn check(query: &str, cores: u32) -> Config {
    let (config, messages) = Config::parse(query, cores);
    assert_within_limits(&config, cores);
    for message in &messages {
        assert!(!message.text.is_empty());
        assert!(message.field.is_empty() || known_keys().any(|key| key == message.field), "{message:?}");
    }
    // The canonical query names only the chosen workload's parameters (the
    // form keeps the others for when the user switches back): what must
    // read back is that query and what would run.
    let (again, again_messages) = Config::parse(&config.to_query(), cores);
    assert_eq!(again.to_query(), config.to_query(), "canonical query of {query:?}");
    assert_eq!((again.workload(), again.models()), (config.workload(), config.models()), "{query:?}");
    assert_eq!((again.threads, again.repeat, again.warmup), (config.threads, config.repeat, config.warmup));
    if config.kind.waits() {
        assert_eq!(again.concurrency, config.concurrency, "{query:?}");
    }
    let blocked = config.blocking_reason().is_some();
    assert!(again_messages.iter().all(|m| blocked && m.field == "url"), "{query:?} -> {again_messages:?}");
    config
}

/// Values that a person or a broken link might put in a query.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u64..3_000_000).prop_map(|n| n.to_string()),
        any::<u64>().prop_map(|n| n.to_string()),
        Just("99999999999999999999999999999".to_string()),
        (-1_000_000i64..0).prop_map(|n| n.to_string()),
        (0.0f64..1e6).prop_map(|n| n.to_string()),
        Just(String::new()),
        Just("  42 ".to_string()),
        Just("٣".to_string()),
        prop::sample::select(vec![
            "sieve",
            "squares",
            "io",
            "mixed",
            "IO",
            "wait_first",
            "compute_first",
            "gevent",
            "sim",
            "static",
            "url",
            "1",
            "0",
            "true",
            "yes"
        ])
        .prop_map(String::from),
        prop::collection::vec(
            prop::sample::select(vec![
                "main", "seq", "rayon", "workers", "all", "bounded", "threads", "gevent", "", " "
            ]),
            0..8
        )
        .prop_map(|ids| ids.join(",")),
        prop::sample::select(vec![
            "https://httpbin.org/ip",
            "http://127.0.0.1:9/x",
            "javascript:alert(1)",
            "ftp://x",
            "http://",
            "https://user:pw@h/",
            "//evil",
            "http://a b",
            "HTTPS://Example.org/ü?q=1#f",
        ])
        .prop_map(String::from),
        ".{0,60}",
    ]
}

fn pair() -> impl Strategy<Value = String> {
    let key =
        prop_oneof![prop::sample::select(known_keys().collect::<Vec<_>>()).prop_map(String::from), "[a-z_%]{0,12}"];
    (key, value(), any::<bool>()).prop_map(|(key, value, encode)| {
        let value = if encode { encode_component(&value) } else { value };
        format!("{key}={value}")
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4000, ..ProptestConfig::default() })]

    #[test]
    fn any_query_gives_a_valid_configuration(pairs in prop::collection::vec(pair(), 0..14), cores in 1u32..130, question in any::<bool>()) {
        let query = format!("{}{}", if question { "?" } else { "" }, pairs.join("&"));
        check(&query, cores);
    }

    #[test]
    fn any_text_at_all_gives_a_valid_configuration(query in ".{0,300}", cores in 1u32..130) {
        check(&query, cores);
    }

    #[test]
    fn malformed_percent_escapes_are_read_literally(junk in "[%0-9a-fA-Fg-z=&]{0,80}") {
        check(&junk, 4);
    }
}

/// The corpus the browser test opens with autorun: each has something
/// wrong, and each must say so.
#[test]
fn every_bad_link_in_the_corpus_gets_a_message_and_a_safe_value() {
    let corpus =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/bad_queries.txt")).unwrap();
    let queries: Vec<&str> = corpus.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')).collect();
    assert!(queries.len() >= 30, "{} queries", queries.len());
    for query in queries {
        let (_, messages) = Config::parse(query, 2);
        assert!(!messages.is_empty(), "no message for {query:?}");
        check(query, 2);
    }
}

#[test]
fn the_io_workload_survives_too() {
    let config = check("workload=io&source=url&url=&requests=0&latency_ms=-1&models=", 2);
    assert_eq!(config.kind, WorkloadKind::Io);
    assert!(config.blocking_reason().is_some(), "no URL: Run waits for one");
}

/// A seed nothing is drawn from is left out of the canonical query, and
/// the workload read back from it is the same (the property test's find).
#[test]
fn a_seed_that_draws_nothing_reads_back_the_same_workload() {
    check("workload=mixed&seed=2821941", 2);
    check("workload=io&seed=9&latency_spread=fixed", 2);
    let drawn = check("workload=mixed&spread=random&seed=9", 2);
    assert_eq!(drawn.mixed_workload().seed, 9);
    assert!(drawn.to_query().contains("seed=9"));
}
