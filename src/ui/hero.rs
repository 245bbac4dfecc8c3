//! The masthead's one action: run the classic comparison. The masthead's
//! words are static HTML (index.html), painted before the wasm arrives;
//! this fills the slot it leaves for the buttons (`hero-run`).

use super::run_buttons::{RunButtons, RunControls};
use leptos::prelude::*;

#[component]
pub fn HeroActions(run: RunControls) -> impl IntoView {
    view! {
        <RunButtons run=run label=Signal::derive(|| "Run the classic comparison".to_string())
            run_id="run-classic" stop_id="stop-classic" />
    }
}
