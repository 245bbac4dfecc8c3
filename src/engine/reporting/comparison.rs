//! Two runs side by side: yours (the newest on the page) and theirs (an
//! earlier run of this session, a share link, a results file): each
//! model's time and memory in both, their ratio, and what differs in where
//! they ran (cores, browser, isolation, the page's protocol). Reading the
//! other run from what a user pastes or picks is here too; drawing the
//! comparison is the UI's.

use super::format::{bytes, opt_ms, ratio};
use super::permalink::{self, FRAGMENT_KEY};
use super::results::{Environment, Results};

/// The fragment key of the second run a link carries: `#results=…&compare=…`.
pub const COMPARE_KEY: &str = "compare=";

/// One model in both runs (matched by its key, `rayon@2` and all).
#[derive(Clone, Debug, PartialEq)]
pub struct ComparedModel {
    pub key: String,
    pub ours_ms: Option<f64>,
    pub theirs_ms: Option<f64>,
    pub ours_held_bytes: Option<u64>,
    pub theirs_held_bytes: Option<u64>,
}

impl ComparedModel {
    /// Your time over theirs: below 1, yours was faster.
    pub fn time_ratio(&self) -> Option<f64> {
        divide(self.ours_ms?, self.theirs_ms?)
    }

    /// Your memory over theirs.
    pub fn memory_ratio(&self) -> Option<f64> {
        divide(self.ours_held_bytes? as f64, self.theirs_held_bytes? as f64)
    }
}

fn divide(top: f64, bottom: f64) -> Option<f64> {
    (top.is_finite() && bottom > 0.0).then(|| top / bottom)
}

/// Something of where the runs ran that differs, in words.
#[derive(Clone, Debug, PartialEq)]
pub struct Difference {
    pub what: &'static str,
    pub ours: String,
    pub theirs: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    /// Models of either run, yours first in your order, then theirs alone.
    pub models: Vec<ComparedModel>,
    pub differences: Vec<Difference>,
    /// The runs ran different workloads (their queries' workload parts
    /// differ): a ratio then compares different work, and says so.
    pub same_work: bool,
}

impl Comparison {
    pub fn new(ours: &Results, theirs: &Results) -> Self {
        let mut models: Vec<ComparedModel> = ours
            .models
            .iter()
            .map(|model| {
                let other = theirs.models.iter().find(|m| m.key == model.key);
                ComparedModel {
                    key: model.key.clone(),
                    ours_ms: model.median_ms,
                    theirs_ms: other.and_then(|m| m.median_ms),
                    ours_held_bytes: model.held_at_peak_bytes(),
                    theirs_held_bytes: other.and_then(|m| m.held_at_peak_bytes()),
                }
            })
            .collect();
        models.extend(theirs.models.iter().filter(|m| !ours.models.iter().any(|o| o.key == m.key)).map(|model| {
            ComparedModel {
                key: model.key.clone(),
                ours_ms: None,
                theirs_ms: model.median_ms,
                ours_held_bytes: None,
                theirs_held_bytes: model.held_at_peak_bytes(),
            }
        }));
        Self {
            models,
            differences: differences(&ours.environment, &theirs.environment),
            same_work: ours.workload.workload == theirs.workload.workload,
        }
    }
}

fn differences(ours: &Environment, theirs: &Environment) -> Vec<Difference> {
    let yes_no = |on: bool| if on { "yes" } else { "no" }.to_string();
    let protocol = |environment: &Environment| environment.page_protocol.clone().unwrap_or_else(|| "unknown".into());
    [
        ("cores", ours.hardware_concurrency.to_string(), theirs.hardware_concurrency.to_string()),
        ("browser", browser_of(&ours.user_agent), browser_of(&theirs.user_agent)),
        ("cross-origin isolated", yes_no(ours.cross_origin_isolated), yes_no(theirs.cross_origin_isolated)),
        ("threads share memory", yes_no(ours.shared_memory), yes_no(theirs.shared_memory)),
        ("page protocol", protocol(ours), protocol(theirs)),
        ("embedded", yes_no(ours.embedded), yes_no(theirs.embedded)),
    ]
    .into_iter()
    .filter(|(_, a, b)| a != b)
    .map(|(what, ours, theirs)| Difference { what, ours, theirs })
    .collect()
}

/// A browser's name and major version from its user agent, as people say
/// it ("Firefox 128", "Chrome 131", "Safari 17", "WebKit"); the order
/// matters, as Chrome's agent names Safari and Edge's names Chrome.
pub fn browser_of(user_agent: &str) -> String {
    let version = |token: &str| {
        user_agent
            .split_whitespace()
            .find_map(|part| part.strip_prefix(token))
            .map(|rest| rest.split('.').next().unwrap_or(rest).to_string())
    };
    for (token, name) in [("Edg/", "Edge"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Version/", "Safari")] {
        if let Some(major) = version(token) {
            return format!("{name} {major}");
        }
    }
    match user_agent {
        "" => "unknown".to_string(),
        ua if ua.contains("AppleWebKit") => "WebKit".to_string(),
        ua => ua.chars().take(40).collect(),
    }
}

/// Another run as a user gives it: a share link (or just its fragment),
/// or a results file's JSON.
pub fn read_other_run(text: &str) -> Result<Results, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("Paste a share link, or choose a results JSON file.".to_string());
    }
    if text.starts_with('{') {
        return Results::from_json(text).map_err(|error| format!("The file is not a results record: {error}"));
    }
    let fragment = text.split_once('#').map_or(text, |(_, fragment)| fragment);
    let (ours, _) = split_fragment(fragment);
    let encoded = ours.ok_or("That is not a share link: it carries no results (“#results=…”).")?;
    permalink::decode(encoded).map_err(|error| format!("The link's results could not be read: {error}."))
}

/// A link's fragment as its two runs' encodings: `results=…` and, if the
/// link carries a second run to compare with, `&compare=…`.
pub fn split_fragment(fragment: &str) -> (Option<&str>, Option<&str>) {
    let mut ours = None;
    let mut theirs = None;
    for part in fragment.trim_start_matches('#').split('&') {
        if let Some(encoded) = part.strip_prefix(FRAGMENT_KEY) {
            ours = Some(encoded);
        } else if let Some(encoded) = part.strip_prefix(COMPARE_KEY) {
            theirs = Some(encoded);
        }
    }
    (ours, theirs)
}

/// One model's line in words, for a screen reader or a caption:
/// "rayon@2: 61 ms here, 122 ms there (0.50x); holds 2.1 MiB here, 2.0 MiB there".
pub fn describe(model: &ComparedModel) -> String {
    let memory = |value: Option<u64>| value.map_or("—".to_string(), bytes);
    format!(
        "{}: {} here, {} there ({}); holds {} here, {} there",
        model.key,
        opt_ms(model.ours_ms),
        opt_ms(model.theirs_ms),
        ratio(model.time_ratio()),
        memory(model.ours_held_bytes),
        memory(model.theirs_held_bytes)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::running::native::{run_query, NativeExecutor};
    use std::sync::atomic::AtomicBool;
    use std::sync::Arc;

    fn run(query: &str) -> Results {
        run_query(query, 2, &mut NativeExecutor::default(), &Arc::new(AtomicBool::new(false))).unwrap()
    }

    #[test]
    fn models_meet_by_key_with_their_ratios_and_the_differences_named() {
        let ours = run("workload=sieve&from=1000&to=3000&models=seq,rayon&threads=2&repeat=1&warmup=0");
        let mut theirs = run("workload=sieve&from=1000&to=3000&models=seq,workers&threads=2&repeat=1&warmup=0");
        theirs.environment.user_agent =
            "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0".to_string();
        theirs.environment.hardware_concurrency = 8;
        theirs.models[0].median_ms = Some(ours.models[0].median_ms.unwrap() * 2.0);
        let comparison = Comparison::new(&ours, &theirs);
        let keys: Vec<&str> = comparison.models.iter().map(|m| m.key.as_str()).collect();
        assert_eq!(keys, ["seq", "rayon", "workers"]);
        let seq = &comparison.models[0];
        assert!((seq.time_ratio().unwrap() - 0.5).abs() < 1e-9);
        assert!(seq.memory_ratio().is_some());
        assert_eq!((comparison.models[1].theirs_ms, comparison.models[2].ours_ms), (None, None));
        assert!(comparison.same_work);
        let named: Vec<(&str, &str, &str)> =
            comparison.differences.iter().map(|d| (d.what, d.ours.as_str(), d.theirs.as_str())).collect();
        assert_eq!(named, [("cores", "2", "8"), ("browser", "native", "Firefox 128")]);
        assert!(describe(seq).starts_with("seq: "), "{}", describe(seq));
        let other_work = run("workload=sieve&from=1000&to=2000&models=seq&repeat=1&warmup=0");
        assert!(!Comparison::new(&ours, &other_work).same_work);
    }

    #[test]
    fn another_run_is_read_from_a_link_a_fragment_or_a_file() {
        let results = run("workload=squares&base=10&count=20&models=seq&repeat=1&warmup=0");
        let encoded = permalink::encode(&results);
        let link = format!("https://example.org/playground/?workload=squares#results={encoded}");
        assert_eq!(read_other_run(&link).unwrap().models[0].checksum, results.models[0].checksum);
        assert!(read_other_run(&format!("results={encoded}&compare=x")).is_ok());
        assert!(read_other_run(&results.to_json()).is_ok());
        assert!(read_other_run("https://example.org/#nothing").unwrap_err().contains("not a share link"));
        assert!(read_other_run("{\"schema\": 1}").unwrap_err().contains("not a results record"));
        assert!(read_other_run("  ").is_err());
        assert!(read_other_run("#results=garbage!").unwrap_err().contains("could not be read"));
        assert_eq!(split_fragment("#results=a&compare=b"), (Some("a"), Some("b")));
    }

    #[test]
    fn browsers_are_named_as_people_say_them() {
        let chrome =
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
        let safari = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1";
        let edge =
            "Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36 Edg/131.0";
        let minibrowser = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko)";
        assert_eq!(browser_of(chrome), "Chrome 131");
        assert_eq!(browser_of(safari), "Safari 17");
        assert_eq!(browser_of(edge), "Edge 131");
        assert_eq!(browser_of(minibrowser), "WebKit");
        assert_eq!(browser_of(""), "unknown");
    }
}
