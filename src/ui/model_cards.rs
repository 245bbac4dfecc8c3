//! One card per model of the chosen workload: what it is, why it behaves as
//! it does, where the browser differs from Python, its idea in a line of
//! Rust, then folded under it the Rust that actually runs it (taken from
//! the source at build time, `model_code`) and the Python the posts would
//! write.

use super::model_code::{key, python_code, rust_code, rust_idea};
use super::startup::Later;
use super::state::FormState;
use crate::engine::configuration::config::WorkloadKind;
use crate::engine::cpu::model::CpuModel;
use crate::engine::io::model::IoModel;
use crate::engine::model::Model;
use leptos::prelude::*;

#[component]
pub fn ModelCards() -> impl IntoView {
    let state = expect_context::<FormState>();
    let models = move || match state.form.with(|f| f.workload()) {
        WorkloadKind::Io | WorkloadKind::Mixed => IoModel::ALL.map(Model::Io).to_vec(),
        _ => CpuModel::ALL.map(Model::Cpu).to_vec(),
    };
    view! {
        <section class="panel explain" aria-labelledby="models-title">
            <h2 id="models-title">"The models, and the code that runs them"</h2>
            <div class="cards">
                {move || models().into_iter().map(|model| view! { <Later><ModelCard model=model /></Later> }).collect_view()}
            </div>
        </section>
    }
}

#[component]
fn ModelCard(model: Model) -> impl IntoView {
    view! {
        <article class="card" data-testid=format!("model-card-{}", key(model))>
            <h3><code>{model.id().as_str()}</code>" — "{model.label()}</h3>
            <p>{model.explanation()}</p>
            {model.caveat().map(|caveat| view! { <p class="caveat">{caveat}</p> })}
            <p class="idea-label">"The idea, in Rust"</p>
            // Wrapped, not scrolled: the idea is two lines, read whole.
            <pre class="idea"><code class="rust" data-testid=format!("rust-idea-{}", key(model))>{rust_idea(model)}</code></pre>
            <details>
                <summary>"The Rust that runs it, with its bookkeeping (timing, memory samples, Stop)"</summary>
                <pre tabindex="0" role="region" aria-label=format!("{}: the Rust that runs it", model.id())>
                    <code class="rust" data-testid=format!("rust-code-{}", key(model))>{rust_code(model)}</code>
                </pre>
            </details>
            <details>
                <summary>"In Python: "<code>{model.python_counterpart()}</code></summary>
                <pre tabindex="0" role="region" aria-label=format!("{}: in Python", model.id())>
                    <code class="python" data-testid=format!("python-code-{}", key(model))>{python_code(model)}</code>
                </pre>
            </details>
        </article>
    }
}
