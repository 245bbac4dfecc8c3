//! The posts' experiments, a tutorial author's own figures (`ref=`) and the
//! verdict, natively: an experiment's link runs what the post ran and
//! carries the post's figures beside the measured ones; `ref=` round-trips;
//! the verdict names this run's numbers.

use concurrency_playground::engine::configuration::config::Config;
use concurrency_playground::engine::experiments::{Experiment, EXPERIMENTS};
use concurrency_playground::engine::reporting::results::Results;
use concurrency_playground::engine::running::native::{run_query, NativeExecutor};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

fn run(query: &str) -> Results {
    run_query(query, 2, &mut NativeExecutor::default(), &Arc::new(AtomicBool::new(false))).unwrap()
}

#[test]
fn every_experiment_parses_without_a_message() {
    for experiment in &EXPERIMENTS {
        let (config, messages) = Config::parse(&format!("experiment={}", experiment.id), 2);
        assert_eq!(messages, vec![], "{}", experiment.id);
        assert_eq!(config.experiment, Some(experiment.id));
        let keys: Vec<String> = config.models().iter().map(|item| item.key()).collect();
        for entry in experiment.entries {
            assert!(keys.contains(&entry.key.to_string()), "{}: {}", experiment.id, entry.key);
        }
        // The canonical query reproduces it, experiment included.
        assert_eq!(Config::parse(&config.to_query(), 2).0, config, "{}", experiment.id);
    }
}

#[test]
fn an_experiment_carries_the_posts_figures_beside_the_measured_ones() {
    // shaji-cpu with a smaller range, so the native test stays quick: the
    // link's own parameters change what the experiment set.
    let results = run("experiment=shaji-cpu&from=1000&to=3000&repeat=1&warmup=0");
    let experiment = results.experiment.as_ref().expect("the experiment block");
    assert_eq!(
        (experiment.id.as_str(), experiment.author.as_str(), experiment.year),
        ("shaji-cpu", "Amal Shaji", 2020)
    );
    let published: Vec<(&str, Option<f64>)> =
        experiment.entries.iter().map(|e| (e.key.as_str(), e.published_s)).collect();
    assert_eq!(published, vec![("seq", Some(17.86)), ("workers", Some(2.98)), ("executor", Some(4.45))]);
    let pool = &experiment.entries[1];
    assert!((pool.published_speedup.unwrap() - 17.86 / 2.98).abs() < 1e-9);
    assert_eq!(pool.measured_ms, results.models[1].median_ms);
    assert!(experiment.cores_note.as_deref().unwrap().contains("2"), "says which cores it used");
    assert!(results.models.iter().all(|m| m.checksum_ok));
    assert!(results.verdict.contains("in the post"), "{}", results.verdict);
}

#[test]
fn a_tutorial_authors_figures_round_trip() {
    let query = "workload=io&source=sim&requests=4&latency_ms=1&models=seq,threads@20,all&ref=seq:16.3,threads@20:1.1,all:0.21&repeat=1&warmup=0";
    let (config, messages) = Config::parse(query, 2);
    assert_eq!(messages, vec![]);
    assert_eq!(
        config.reference_ms,
        vec![("seq".to_string(), 16_300), ("threads@20".to_string(), 1_100), ("all".to_string(), 210)]
    );
    assert!(config.to_query().contains("ref=seq:16.3,threads@20:1.1,all:0.21"), "{}", config.to_query());
    let results = run(query);
    let reference = results.reference.as_ref().expect("the reference block");
    assert_eq!(reference.entries[1].published_s, Some(1.1));
    assert!((reference.entries[1].published_speedup.unwrap() - 16.3 / 1.1).abs() < 1e-9);
    assert_eq!(Results::from_json(&results.to_json()).unwrap(), results);
}

#[test]
fn bad_experiments_and_references_are_explained() {
    let (config, messages) = Config::parse("experiment=made-up&ref=seq:fast,rayon:3,nonsense,seq:2,seq:-1", 2);
    assert_eq!(config.experiment, None);
    let fields: Vec<&str> = messages.iter().map(|m| m.field.as_str()).collect();
    assert_eq!(fields, vec!["experiment", "ref", "ref", "ref"], "{messages:?}");
    assert!(messages[0].text.contains("shaji-io"), "names the experiments there are");
    assert_eq!(config.reference_ms, vec![("rayon".to_string(), 3000), ("seq".to_string(), 2000)]);
    let (config, messages) = Config::parse("workload=io&models=seq&ref=gil:2", 2);
    assert!(config.reference_ms.is_empty());
    assert!(messages[0].text.contains("not a model of this run"), "{messages:?}");
    assert_eq!(Experiment::find("wolf-io").map(|e| e.memory_first), Some(true));
}

#[test]
fn the_verdict_names_this_runs_numbers() {
    let results = run("workload=sieve&from=1000&to=5000&models=seq,gil,rayon&threads=2&repeat=1&warmup=0");
    let gil = results.models.iter().find(|m| m.id == "gil").unwrap();
    assert!(results.verdict.contains("threads under a GIL"), "{}", results.verdict);
    assert!(results.verdict.contains(&format!("{:.2}×", gil.speedup_vs_seq.unwrap())), "{}", results.verdict);
    assert!(results.verdict.ends_with('.'));
}
