//! Run and Stop, as one pair wherever a run can start (the masthead's
//! classic comparison, the form): Run says why it waits. What Run and Stop
//! do is the page's (`RunControls`); where the keyboard focus goes while a
//! run goes is the results' (their own Stop is the one in view).

use leptos::prelude::*;

/// What the Run and Stop buttons show, and what they do.
#[derive(Clone, Copy)]
pub struct RunControls {
    pub can_run: Signal<bool>,
    /// Why Run cannot start now, shown beside it.
    pub blocked_reason: Signal<Option<String>>,
    pub running: Signal<bool>,
    pub stop_requested: Signal<bool>,
    pub on_run: Callback<()>,
    pub on_stop: Callback<()>,
}

#[component]
pub fn RunButtons(
    run: RunControls,
    /// Run's text while no run goes.
    label: Signal<String>,
    /// `data-testid` of Run and of Stop.
    run_id: &'static str,
    stop_id: &'static str,
    /// Run submits its form (Enter in a field runs too) instead of acting on a click.
    #[prop(optional)]
    submit: bool,
) -> impl IntoView {
    view! {
        <div class="actions run-buttons">
            <button type=if submit { "submit" } else { "button" } class="primary" data-testid=run_id
                disabled=move || !run.can_run.get()
                on:click=move |event| {
                    if !submit {
                        event.prevent_default();
                        run.on_run.run(());
                    }
                }>
                {move || if run.running.get() { "Running…".to_string() } else { label.get() }}
            </button>
            <button type="button" data-testid=stop_id
                disabled=move || !run.running.get() || run.stop_requested.get()
                on:click=move |_| run.on_stop.run(())>
                "Stop"
            </button>
            <span class="run-hint" data-testid=format!("{run_id}-hint")>{move || run.blocked_reason.get()}</span>
        </div>
    }
}
