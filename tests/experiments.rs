//! The posts' experiments, a tutorial author's own figures (`ref=`) and the
//! verdict, natively: an experiment's link runs what the post ran and
//! carries the post's figures beside the measured ones; `ref=` round-trips;
//! the verdict names this run's numbers.

use concurrency_playground::engine::configuration::config::Config;
use concurrency_playground::engine::experiments::{Experiment, EXPERIMENTS};
use concurrency_playground::engine::model_id::ModelId;
use concurrency_playground::engine::reporting::format::pace;
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
    // shaji-cpu as the post ran it, once: the link's own parameters may
    // change how often it runs, not what.
    let results = run("experiment=shaji-cpu&repeat=1&warmup=0");
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
    assert!(results.verdict.contains("In the post"), "{}", results.verdict);
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
fn a_link_or_edit_that_changes_a_posts_sizes_leaves_the_post() {
    let (config, messages) = Config::parse("experiment=shaji-io&requests=50", 2);
    assert_eq!(config.experiment, None, "its figures would stand beside a run of half the size");
    assert_eq!(config.io.requests, 50, "the user's value is what runs");
    let message = messages.iter().find(|m| m.field == "experiment").expect("says so");
    assert!(message.text.contains("requests is 50, the post's 100"), "{}", message.text);
    assert!(!config.to_query().contains("experiment="), "the permalink no longer names the post");
    // What does not change the workload keeps the post: runs, models, k.
    let (config, messages) = Config::parse("experiment=shaji-io&repeat=3&models=seq,all&concurrency=8", 2);
    assert_eq!((config.experiment, messages), (Some("shaji-io"), vec![]));
}

#[test]
fn the_verdict_leads_with_pythons_words_and_names_this_runs_numbers() {
    let results = run("workload=sieve&from=1000&to=5000&models=seq,rayon,workers,gil&threads=2&repeat=1&warmup=0");
    let gil = results.models.iter().find(|m| m.id == ModelId::Gil).unwrap();
    let verdict = &results.verdict;
    assert!(verdict.starts_with("On 2 cores, against one thread: threads under the GIL (gil, 2 threads)"), "{verdict}");
    let speedup = gil.speedup_vs_seq.unwrap();
    let said = [format!("no faster ({speedup:.2}×)"), pace(speedup)];
    assert!(said.iter().any(|s| verdict.contains(&format!("were {s}"))), "names gil's own speedup: {verdict}");
    // Python's systems first, then what Python has no counterpart for.
    let (pool, beyond) =
        (verdict.find("multiprocessing.Pool (workers").unwrap(), verdict.find("Beyond Python").unwrap());
    assert!(verdict.find("threads under the GIL").unwrap() < pool && pool < beyond, "{verdict}");
    assert!(verdict[beyond..].contains("threads with no GIL (rayon, 2 threads)"), "{verdict}");
    assert!(verdict.ends_with('.'));
}
