//! The main thread's heartbeat: a counter bumped by a 20 ms interval. While
//! it ticks, the page is live; a model that blocks the main thread (`main`)
//! stops it. The executor records ticks per run; the UI shows the count.

use crate::browser::platform::clock::CLOCK;
use crate::engine::measurement::probes::Clock;
use std::cell::Cell;
use wasm_bindgen::prelude::*;

pub const PERIOD_MS: i32 = 20;

/// The UI is told every this many ticks (twice a second, in step with the
/// dot's blink), not every tick: each new value shown is a frame the
/// browser must style, lay out, paint and composite, 3.7 ms on the page's
/// thread alone (median of 81 frames, a page with results shown) plus the
/// compositor's and viz's share, in headless Chromium here. A run's
/// threads feel it: on 2 cores, at 50 frames a second an idle page took a
/// third of a core, and at 5 a second a run of 2 worker instances still
/// lost a few percent of a core to drawing. The count itself still moves
/// every 20 ms and each run records it exactly; what is shown is never
/// more than half a second stale, and a tick that ends a freeze is shown
/// at once (below).
pub const SHOW_EVERY_TICKS: u64 = 25;

/// A gap between ticks at least this long means the count shown is stale:
/// the thread was frozen (or the tab hidden, where Chromium runs timers
/// about once a second). `setInterval` does not queue the ticks a frozen
/// thread missed (HTML's timer initialisation steps re-arm it only after
/// each run), so after a 2 s `main` run the count moves by one, and
/// waiting for the next multiple of `SHOW_EVERY_TICKS` could hide every
/// run's end behind one number for the whole model.
const FREEZE_MS: f64 = (SHOW_EVERY_TICKS as i32 * PERIOD_MS) as f64;

thread_local! {
    static TICKS: Cell<u64> = const { Cell::new(0) };
}

/// Ticks so far.
pub fn ticks() -> u64 {
    TICKS.with(Cell::get)
}

/// Starts the interval; `on_tick` gets the count every `SHOW_EVERY_TICKS`,
/// and on the first tick after a freeze (the UI's signal).
pub fn start(on_tick: impl Fn(u64) + 'static) {
    let last_tick_ms = Cell::new(CLOCK.now_ms());
    let tick = Closure::<dyn Fn()>::new(move || {
        let count = TICKS.with(|t| {
            t.set(t.get() + 1);
            t.get()
        });
        let now_ms = CLOCK.now_ms();
        let since_last_ms = now_ms - last_tick_ms.replace(now_ms);
        if count.is_multiple_of(SHOW_EVERY_TICKS) || since_last_ms >= FREEZE_MS {
            on_tick(count);
        }
    });
    if let Some(window) = web_sys::window() {
        let _ = window.set_interval_with_callback_and_timeout_and_arguments_0(tick.as_ref().unchecked_ref(), PERIOD_MS);
    }
    // The interval lives as long as the page.
    tick.forget();
}
