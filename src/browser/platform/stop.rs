//! Stop, as the browser layer needs it: the engine's cancel flag (checked
//! before every task and request) plus hooks that abort what is already in
//! flight (fetches, worker instances' requests, threads blocked in a
//! request). The UI holds one per run and calls [`StopSignal::stop`].

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::Arc;

#[derive(Clone, Default)]
pub struct StopSignal(Rc<Inner>);

/// Registered hooks, by id (so a guard can remove its own).
type Hooks = RefCell<Vec<(u32, Rc<dyn Fn()>)>>;

#[derive(Default)]
struct Inner {
    flag: Arc<AtomicBool>,
    hooks: Hooks,
    next_id: Cell<u32>,
}

impl StopSignal {
    pub fn new() -> Self {
        Self::default()
    }

    /// The flag the engine checks.
    pub fn flag(&self) -> Arc<AtomicBool> {
        self.0.flag.clone()
    }

    pub fn is_stopped(&self) -> bool {
        self.0.flag.load(Relaxed)
    }

    /// Sets the flag and runs every registered hook.
    pub fn stop(&self) {
        self.0.flag.store(true, Relaxed);
        // Copied out first: a hook may end a run, which drops its guard.
        let hooks: Vec<Rc<dyn Fn()>> = self.0.hooks.borrow().iter().map(|(_, hook)| hook.clone()).collect();
        for hook in hooks {
            hook();
        }
    }

    /// Runs `hook` on Stop for as long as the returned guard lives (at once
    /// if Stop already came).
    pub fn on_stop(&self, hook: impl Fn() + 'static) -> StopHook {
        let hook: Rc<dyn Fn()> = Rc::new(hook);
        if self.is_stopped() {
            hook();
        }
        let id = self.0.next_id.get();
        self.0.next_id.set(id + 1);
        self.0.hooks.borrow_mut().push((id, hook));
        StopHook { signal: self.clone(), id }
    }
}

/// Unregisters its hook when dropped.
pub struct StopHook {
    signal: StopSignal,
    id: u32,
}

impl Drop for StopHook {
    fn drop(&mut self) {
        self.signal.0.hooks.borrow_mut().retain(|(id, _)| *id != self.id);
    }
}
