//! The start-up's queue: the parts of the page below what is first in view
//! are drawn one per task, in document order, so no task of the start-up is
//! long (Lighthouse's total blocking time counts every task over 50 ms at a
//! phone's 4x slower CPU, and a first tap waits for the task going on).
//! Where it stops: it orders and spaces the drawing; what is drawn is the
//! components'.

use leptos::prelude::*;
use std::collections::VecDeque;
use std::time::Duration;

type Step = Box<dyn FnOnce()>;

/// The steps still to take, and where a step issued now goes: steps issued
/// while a part is drawn go before the parts queued earlier (its children
/// come before its next sibling), so the page fills in document order and
/// nothing drawn is pushed down by a part above it. Once the queue has run
/// dry the start-up is over, and a step runs at once (a part drawn again
/// later, as the cards on a change of workload, does not blink).
#[derive(Clone, Copy)]
pub struct Startup {
    steps: StoredValue<VecDeque<Step>, LocalStorage>,
    insert_at: StoredValue<usize>,
    scheduled: StoredValue<bool>,
    over: StoredValue<bool>,
}

impl Startup {
    pub fn provide() -> Self {
        let startup = Self {
            steps: StoredValue::new_local(VecDeque::new()),
            insert_at: StoredValue::new(0),
            scheduled: StoredValue::new(false),
            over: StoredValue::new(false),
        };
        provide_context(startup);
        startup
    }

    /// Runs `step` in a task of its own, after the steps issued before it;
    /// at once when the start-up is over.
    pub fn then(self, step: impl FnOnce() + 'static) {
        if self.over.get_value() {
            return step();
        }
        let at = self.insert_at.get_value();
        self.steps.update_value(|steps| steps.insert(at.min(steps.len()), Box::new(step)));
        self.insert_at.set_value(at + 1);
        if !self.scheduled.get_value() {
            self.scheduled.set_value(true);
            self.next_task();
        }
    }

    fn next_task(self) {
        set_timeout(
            move || {
                self.insert_at.set_value(0);
                match self.steps.try_update_value(VecDeque::pop_front).flatten() {
                    // A drawn part's own steps are issued as it renders, in
                    // this task's microtasks: the next task takes them first.
                    Some(step) => {
                        step();
                        self.next_task();
                    }
                    None => {
                        self.scheduled.set_value(false);
                        self.over.set_value(true);
                    }
                }
            },
            Duration::ZERO,
        );
    }
}

/// Its children, drawn in a task of their own (in document order, after
/// what is above them); an empty spot until then.
#[component]
pub fn Later(children: ChildrenFn) -> impl IntoView {
    let drawn = RwSignal::new(false);
    match use_context::<Startup>() {
        Some(startup) => startup.then(move || drawn.set(true)),
        None => drawn.set(true),
    }
    move || drawn.get().then(|| children())
}
