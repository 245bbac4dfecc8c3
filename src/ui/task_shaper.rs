//! The shaper of mixed tasks: presets with their one-line lessons, a small
//! drawing of one task (its wait hollow, its computing solid, in the order
//! chosen) that follows the form's values, how the answers vary, and the
//! crossover switch. It reads the parsed configuration and sets form
//! fields; it measures nothing (a task's compute time is `cpu_ms` when
//! given, else an estimate it says is one).

use super::form::FormFields;
use super::state::FormState;
use crate::engine::configuration::config::{Config, SweepKind, WorkloadKind, MIX_SHARES_PCT};
use crate::engine::cpu::calibrate::NOMINAL_NS_PER_N;
use crate::engine::io::workload::{IoSource, LatencySpread};
use crate::engine::mixed::{Order, PRESETS};
use crate::engine::reporting::format::ms;
use leptos::prelude::*;

/// The drawing's width and bar height, in SVG units.
const DRAWING_WIDTH: f64 = 320.0;
const BAR_HEIGHT: f64 = 18.0;

/// One task's two steps as the drawing shows them: (wait ms, compute ms,
/// whether the compute time is an estimate).
fn task_steps(config: &Config) -> (f64, f64, bool) {
    if config.sweep == SweepKind::Mix {
        let half = config.task_ms as f64 / 2.0;
        return (half, half, false);
    }
    match config.cpu_ms {
        Some(cpu_ms) => (config.io.latency_ms as f64, cpu_ms as f64, false),
        None => (config.io.latency_ms as f64, config.compute_n as f64 * NOMINAL_NS_PER_N / 1e6, true),
    }
}

/// One task, drawn to scale: the wait hollow, the computing solid.
#[component]
fn TaskDrawing() -> impl IntoView {
    let state = expect_context::<FormState>();
    let drawing = move || {
        state.parsed.with(|(config, _)| {
            let (wait_ms, compute_ms, estimated) = task_steps(config);
            let total = (wait_ms + compute_ms).max(1e-9);
            // Each step at least 3 units wide, so a tiny one still shows.
            let wait_width = (DRAWING_WIDTH * wait_ms / total).clamp(3.0, DRAWING_WIDTH - 3.0);
            let compute_width = DRAWING_WIDTH - wait_width;
            let (wait_x, compute_x) = match config.order {
                Order::WaitFirst => (0.0, wait_width),
                Order::ComputeFirst => (compute_width, 0.0),
            };
            let approx = if estimated { "≈\u{a0}" } else { "" };
            let wait_text = match config.io.source {
                IoSource::Sim => format!("wait {}", ms(wait_ms)),
                _ => "wait: the server's".to_string(),
            };
            let compute_text = format!("compute {approx}{}", ms(compute_ms));
            let sweep_note = (config.sweep == SweepKind::Mix).then(|| {
                let shares: Vec<String> = MIX_SHARES_PCT.iter().map(|s| s.to_string()).collect();
                format!(
                    "The crossover moves the split of each {} ms task through {} % computing; drawn at 50 %.",
                    config.task_ms,
                    shares.join(", ")
                )
            });
            let estimate_note = estimated.then(|| {
                format!(
                    "The computing is an estimate (about {NOMINAL_NS_PER_N} ns per n, Chromium on a modest VM); set cpu_ms to size it on this machine."
                )
            });
            let label = format!("One task: {wait_text}, then {compute_text}");
            view! {
                <svg class="task-drawing" viewBox=format!("0 0 {DRAWING_WIDTH} 44") role="img" aria-label=label data-testid="task-drawing">
                    <rect class="task-wait" x=wait_x + 0.75 y="2.75" width=(wait_width - 1.5).max(0.5) height=BAR_HEIGHT - 1.5
                        data-testid="task-drawing-wait" />
                    <rect class="task-compute" x=compute_x y="2" width=compute_width height=BAR_HEIGHT
                        data-testid="task-drawing-compute" />
                    <text x="0" y="38" class="task-drawing-label">{wait_text}</text>
                    <text x=DRAWING_WIDTH y="38" text-anchor="end" class="task-drawing-label">{compute_text}</text>
                </svg>
                {sweep_note.map(|note| view! { <small class="field-hint">{note}</small> })}
                {estimate_note.map(|note| view! { <small class="field-hint">{note}</small> })}
            }
        })
    };
    view! { <div class="task-drawing-box">{drawing}</div> }
}

/// The presets: a row of buttons, and the lesson of the one chosen last.
#[component]
fn Presets() -> impl IntoView {
    let state = expect_context::<FormState>();
    let chosen = RwSignal::new(None::<usize>);
    let choose = move |index: usize| {
        let (config, _) = Config::parse(PRESETS[index].query, state.hardware_concurrency);
        state.form.set(FormFields::from_config(&config));
        chosen.set(Some(index));
    };
    let lesson = move || match chosen.get() {
        Some(index) => format!("{}: {}", PRESETS[index].label, PRESETS[index].lesson),
        None => "Start from a shape: each sets the tasks and models, and says what it shows.".to_string(),
    };
    view! {
        <div class="presets" role="group" aria-label="Shapes to start from">
            {PRESETS.iter().enumerate().map(|(index, preset)| view! {
                <button type="button" class="small" data-testid=format!("preset-{}", preset.id)
                    aria-pressed=move || (chosen.get() == Some(index)).to_string()
                    on:click=move |_| choose(index)>
                    {preset.label}
                </button>
            }).collect_view()}
        </div>
        <p class="preset-lesson" data-testid="preset-lesson" aria-live="polite">{lesson}</p>
    }
}

/// How the latency source's answers vary (`latency_spread`): for every
/// workload that waits, on the `sim` source.
#[component]
pub fn AnswerShape() -> impl IntoView {
    let state = expect_context::<FormState>();
    let hidden = move || state.form.with(|f| !f.workload().waits() || f.source() != IoSource::Sim);
    view! {
        <fieldset class="orders" hidden=hidden>
            <legend>"Each answer's delay"</legend>
            {LatencySpread::ALL.into_iter().map(|spread| view! {
                <label class="choice">
                    <input type="radio" name="latency_spread" value=spread.id() data-testid=format!("latency_spread-{}", spread.id())
                        prop:checked=move || state.form.with(|f| f.value("latency_spread") == spread.id())
                        on:change=move |_| state.form.update(|f| f.set("latency_spread", spread.id().to_string())) />
                    " "{spread.label()}
                </label>
            }).collect_view()}
        </fieldset>
    }
}

/// The shaper: presets, the drawing, and the crossover switch (mixed tasks).
#[component]
pub fn TaskShaper() -> impl IntoView {
    let state = expect_context::<FormState>();
    let hidden = move || state.form.with(|f| f.workload() != WorkloadKind::Mixed);
    let crossover = move || state.form.with(|f| f.value("sweep") == SweepKind::Mix.id());
    view! {
        <div class="task-shaper" hidden=hidden data-testid="task-shaper">
            <Presets />
            <TaskDrawing />
            <label class="choice" title="Every model at 0, 10, 25, 50, 75, 90 and 100 % computing, in tasks of task_ms">
                <input type="checkbox" data-testid="input-sweep-mix" prop:checked=crossover
                    on:change=move |event| {
                        let on = event_target_checked(&event);
                        state.form.update(|f| f.set("sweep", if on { SweepKind::Mix } else { SweepKind::Off }.id().to_string()))
                    } />
                " Crossover: run every model from all waiting to all computing, and find where the best model changes"
            </label>
        </div>
    }
}
