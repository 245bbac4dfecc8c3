//! Two runs side by side on the results: the choice of the other run (an
//! earlier one of this session, or one from elsewhere: a share link pasted,
//! a results file chosen) and the table of each model's time and memory in
//! both, their ratios, and what differs where they ran. The figures are
//! `reporting::comparison`'s; the charts draw the other run themselves.

use super::state::{RunEntry, RunHistory};
use crate::browser::platform::page;
use crate::engine::reporting::comparison::{self, Comparison};
use crate::engine::reporting::format::{bytes, opt_ms, ratio};
use crate::engine::reporting::results::Results;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Names a run in the comparison picker: its number (or where it came
/// from), workload and models.
pub fn run_label(entry: &RunEntry) -> String {
    let models: Vec<&str> = entry.results.models.iter().map(|m| m.key.as_str()).collect();
    let name = entry.from_elsewhere.clone().unwrap_or_else(|| format!("run {}", entry.number));
    format!("{name} ({}: {})", entry.results.workload.workload.id(), models.join(", "))
}

/// The choice of an earlier run to draw beside the newest.
///
/// It is part of `ResultsBody`, which `ResultsView` re-creates whenever the
/// history or the choice changes, so it renders both as they are now, with
/// untracked reads and no closures of its own: a closure here that read
/// `history` or `compare_with` would leave a dead subscriber in that signal
/// on every re-creation (see "Views made again and again" in ARCHITECTURE.md).
#[component]
pub fn ComparePicker() -> impl IntoView {
    let runs = expect_context::<RunHistory>();
    let chosen = runs.compare_with.get_untracked();
    let other = runs.other.with_untracked(|other| other.as_ref().map(run_label));
    let options = runs.history.with_untracked(|history| {
        let earlier = &history[..history.len().saturating_sub(1)];
        earlier.iter().enumerate().rev().map(|(index, entry)| (index, run_label(entry))).collect::<Vec<_>>()
    });
    let choose = move |event: leptos::ev::Event| {
        let value = event_target_value(&event);
        runs.other.set(None);
        runs.compare_with.set(value.parse::<usize>().ok());
    };
    view! {
        <div class="compare-choice">
            {(!options.is_empty() || other.is_some()).then(|| view! {
                <label class="compare">
                    "Compare with "
                    <select data-testid="compare-select" on:change=choose>
                        <option value="" selected=chosen.is_none() && other.is_none()>"no other run"</option>
                        {other.clone().map(|label| view! { <option value="other" selected=true>{label}</option> })}
                        {options.into_iter().map(|(index, label)| view! {
                            <option value=index.to_string() selected=other.is_none() && chosen == Some(index)>{label}</option>
                        }).collect_view()}
                    </select>
                </label>
            })}
            <OtherRunPicker />
        </div>
    }
}

/// "Compare with a run from elsewhere": a share link pasted, or a results
/// JSON file chosen (the author's run beside the reader's, say).
#[component]
fn OtherRunPicker() -> impl IntoView {
    let runs = expect_context::<RunHistory>();
    let link = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let take = move |read: Result<Results, String>, from: String| match read {
        Ok(results) => {
            problem.set(None);
            runs.compare_with.set(None);
            runs.compare_with_other(results, from);
        }
        Err(error) => problem.set(Some(error)),
    };
    let compare_link = move |_| take(comparison::read_other_run(&link.get_untracked()), "the linked run".to_string());
    let compare_file = move |event: leptos::ev::Event| {
        spawn_local(async move {
            match page::chosen_file_text(&event).await {
                Some(Ok((name, text))) => take(comparison::read_other_run(&text), format!("the file {name}")),
                Some(Err(error)) => problem.set(Some(format!("The file could not be read: {error}"))),
                None => {}
            }
        });
    };
    view! {
        <details class="other-run" data-testid="other-run">
            <summary>"Compare with a run from elsewhere (a share link or a results file)"</summary>
            <div class="other-run-fields">
                <label>"Share link "
                    <input type="url" data-testid="other-run-link" placeholder="https://…#results=…"
                        prop:value=move || link.get() on:input=move |event| link.set(event_target_value(&event)) />
                </label>
                <button type="button" class="small" data-testid="other-run-compare" on:click=compare_link>"Compare"</button>
                <label>"or a results JSON file "
                    <input type="file" accept="application/json,.json" data-testid="other-run-file" on:change=compare_file />
                </label>
            </div>
            {move || problem.get().map(|text| view! { <p class="warning" role="alert" data-testid="other-run-problem">{text}</p> })}
        </details>
    }
}

/// Yours and theirs side by side: each model's time and memory in both,
/// their ratios, and what differs where they ran.
#[component]
pub fn RunComparison(latest: RunEntry, earlier: RunEntry) -> impl IntoView {
    let comparison = Comparison::new(&latest.results, &earlier.results);
    let theirs = run_label(&earlier);
    let memory = |value: Option<u64>| value.map_or("—".to_string(), bytes);
    view! {
        <section class="comparison" data-testid="comparison" aria-labelledby="comparison-title">
            <h3 id="comparison-title">{format!("This run beside {theirs}")}</h3>
            {(!comparison.same_work).then(|| view! {
                <p class="warning" data-testid="comparison-other-work">"The two runs ran different workloads: their ratios compare different work."</p>
            })}
            <div class="table-scroll">
                <table class="results-table comparison-table stack">
                    <caption class="visually-hidden">"Each model's median time and memory held, in this run and the other, and this run's over the other's"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Model"</th>
                            <th scope="col">"Time here"</th>
                            <th scope="col">"Time there"</th>
                            <th scope="col" title="This run's time over the other's: below 1, this one was faster">"Here ÷ there"</th>
                            <th scope="col">"Memory here"</th>
                            <th scope="col">"Memory there"</th>
                            <th scope="col">"Here ÷ there"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {comparison.models.iter().map(|model| {
                            let testid = |what: &str| format!("compare-{what}-{}", model.key);
                            view! {
                                <tr data-testid=format!("comparison-row-{}", model.key) title=comparison::describe(model)>
                                    <th scope="row"><code>{model.key.clone()}</code></th>
                                    <td class="num" data-label="Time here" data-testid=testid("ours-ms")>{opt_ms(model.ours_ms)}</td>
                                    <td class="num" data-label="Time there" data-testid=testid("theirs-ms")>{opt_ms(model.theirs_ms)}</td>
                                    <td class="num" data-label="Time, here ÷ there" data-testid=testid("time-ratio")>{ratio(model.time_ratio())}</td>
                                    <td class="num" data-label="Memory here" data-testid=testid("ours-held")>{memory(model.ours_held_bytes)}</td>
                                    <td class="num" data-label="Memory there" data-testid=testid("theirs-held")>{memory(model.theirs_held_bytes)}</td>
                                    <td class="num" data-label="Memory, here ÷ there" data-testid=testid("memory-ratio")>{ratio(model.memory_ratio())}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            {match comparison.differences.is_empty() {
                true => view! { <p class="axis-note" data-testid="comparison-same-place">"Both ran in the same kind of place: the same cores, browser, isolation and protocol."</p> }.into_any(),
                false => view! {
                    <ul class="comparison-differences" aria-label="Where the runs differ">
                        {comparison.differences.iter().map(|difference| view! {
                            <li data-testid="comparison-difference">
                                <strong>{difference.what}</strong>{format!(": {} here, {} there", difference.ours, difference.theirs)}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}
