//! Run and Stop, as one pair wherever a run can start (the masthead's
//! classic comparison, the form): Run says why it waits, and the keyboard
//! focus follows the run, to Stop when it starts from these controls and
//! back to Run when it ends, so it never drops to the page while Run is
//! disabled. What Run and Stop do is the page's (`RunControls`).

use crate::browser::page;
use leptos::html::Button;
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

/// The CSS selector of the area whose focus Stop takes over: the form the
/// buttons submit, or the masthead's actions.
const FOCUS_SCOPE: &str = "form, .hero-actions";

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
    let run_button = NodeRef::<Button>::new();
    let stop_button = NodeRef::<Button>::new();
    // Whether these controls took the focus for the run going now.
    let holding_focus = StoredValue::new(false);
    Effect::new(move |was_running: Option<bool>| {
        let running = run.running.get();
        match (was_running, running) {
            (Some(false) | None, true) => {
                let ours = run_button.get_untracked().is_some_and(|button| page::focus_is_near(&button, FOCUS_SCOPE));
                holding_focus.set_value(ours);
                if ours {
                    // After this frame's render, when Stop is enabled.
                    request_animation_frame(move || {
                        if let Some(stop) = stop_button.get_untracked() {
                            page::focus(&stop);
                        }
                    });
                }
            }
            (Some(true), false) if holding_focus.get_value() => {
                holding_focus.set_value(false);
                request_animation_frame(move || {
                    let on_stop = stop_button.get_untracked().is_some_and(|stop| page::focus_is_near(&stop, "button"));
                    if let (true, Some(button)) = (on_stop || page::focus_is_lost(), run_button.get_untracked()) {
                        page::focus(&button);
                    }
                });
            }
            _ => {}
        }
        running
    });
    view! {
        <div class="actions run-buttons">
            <button type=if submit { "submit" } else { "button" } class="primary" data-testid=run_id node_ref=run_button
                disabled=move || !run.can_run.get()
                on:click=move |event| {
                    if !submit {
                        event.prevent_default();
                        run.on_run.run(());
                    }
                }>
                {move || if run.running.get() { "Running…".to_string() } else { label.get() }}
            </button>
            <button type="button" data-testid=stop_id node_ref=stop_button
                disabled=move || !run.running.get() || run.stop_requested.get()
                on:click=move |_| run.on_stop.run(())>
                "Stop"
            </button>
            <span class="run-hint" data-testid=format!("{run_id}-hint")>{move || run.blocked_reason.get()}</span>
        </div>
    }
}
