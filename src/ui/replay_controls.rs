//! The replay of a finished entry: play and pause, a speed from 1/20 of
//! real time to real time, a step to the previous and the next event, a
//! slider to seek, Home and End, and the narration of the moment under
//! the cursor (an ARIA live region while stepping). The events and the
//! words are the engine's (`reporting::replay`); the cursor is a signal
//! the timeline draws.

use crate::browser::platform::page::prefers_reduced_motion;
use crate::browser::platform::timers::next_frame;
use crate::engine::configuration::config::{ReplaySpeed, ReplayStart};
use crate::engine::reporting::format::{count, ms};
use crate::engine::reporting::replay::Replay;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::sync::Arc;

/// What outlives one drawing of the results: the link's start (for the
/// first finished run only), and the moment and speed last shown, for the
/// Embed dialog and for the same run drawn again. Page-wide, so the
/// replay's views only write it, and read it once, untracked, when they
/// are made: a read in a view would leave a dead subscriber here each time
/// the results are drawn again (ARCHITECTURE.md, "Views made again and again").
#[derive(Clone, Copy)]
pub struct ReplayShared {
    start: StoredValue<Option<ReplayStart>>,
    /// The results the moment belongs to (their address).
    of_results: StoredValue<usize>,
    pub cursor: RwSignal<Option<f64>>,
    pub speed: RwSignal<ReplaySpeed>,
    /// The replay drawn now, for the embed API's seek, play and pause.
    shown: StoredValue<Option<ReplayHandle>>,
}

impl ReplayShared {
    pub fn new(start: ReplayStart) -> Self {
        Self {
            start: StoredValue::new(Some(start)),
            of_results: StoredValue::new(0),
            cursor: RwSignal::new(None),
            speed: RwSignal::new(start.speed),
            shown: StoredValue::new(None),
        }
    }

    /// The replay drawn now, if its drawing still stands (none while a run
    /// goes, or before the first).
    pub fn shown(&self) -> Option<ReplayHandle> {
        self.shown.get_value().filter(|handle| handle.state.cursor.try_get_untracked().is_some())
    }

    /// The state of one drawing of a run's replay, owned by that drawing: a
    /// new run opens where the link said (the first) or at no moment,
    /// paused; the same run drawn again keeps its moment.
    /// `prefers-reduced-motion` starts paused whatever the link says.
    pub fn state_for(&self, results: usize) -> ReplayState {
        let same = self.of_results.get_value() == results;
        self.of_results.set_value(results);
        let (cursor, play) = match same {
            true => (self.cursor.get_untracked(), false),
            false => {
                let start = self.start.try_update_value(Option::take).flatten();
                let at = start.and_then(|start| start.at_us).map(|us| us as f64 / 1000.0);
                (at, start.is_some_and(|start| start.play) && !prefers_reduced_motion())
            }
        };
        let state = ReplayState {
            cursor: RwSignal::new(cursor),
            playing: RwSignal::new(play),
            speed: RwSignal::new(self.speed.get_untracked()),
            looping: StoredValue::new(false),
        };
        // Mirrored out for the Embed dialog; the effect is the drawing's own.
        let shared = *self;
        Effect::new(move |_| {
            shared.cursor.set(state.cursor.get());
            shared.speed.set(state.speed.get());
        });
        state
    }
}

/// One drawing's replay: the cursor the timeline draws, and how it plays.
#[derive(Clone, Copy)]
pub struct ReplayState {
    pub cursor: RwSignal<Option<f64>>,
    pub playing: RwSignal<bool>,
    pub speed: RwSignal<ReplaySpeed>,
    /// Whether a playing loop runs: the controls drawn again for another
    /// tab must not start a second.
    looping: StoredValue<bool>,
}

/// One drawn replay, as the embed API drives it.
#[derive(Clone, Copy)]
pub struct ReplayHandle {
    state: ReplayState,
    end_ms: f64,
}

impl ReplayHandle {
    /// The cursor to `at_ms` (the run's end at most), paused: where it went.
    pub fn seek(&self, at_ms: f64) -> f64 {
        let to = at_ms.clamp(0.0, self.end_ms);
        self.state.playing.try_set(false);
        self.state.cursor.try_set(Some(to));
        to
    }

    pub fn play(&self, speed: Option<ReplaySpeed>) {
        if let Some(speed) = speed {
            self.state.speed.try_set(speed);
        }
        play(self.state, self.end_ms);
    }

    pub fn pause(&self) {
        self.state.playing.try_set(false);
    }

    pub fn end_ms(&self) -> f64 {
        self.end_ms
    }
}

/// Plays from the cursor, a frame at a time, until the end or a pause.
fn play(state: ReplayState, end_ms: f64) {
    if state.cursor.get_untracked().is_none_or(|t| t >= end_ms) {
        state.cursor.set(Some(0.0));
    }
    state.playing.set(true);
    if state.looping.get_value() {
        return;
    }
    state.looping.set_value(true);
    spawn_local(async move {
        let mut last = next_frame().await;
        loop {
            let now = next_frame().await;
            // Results drawn again drop this drawing's signals: the loop ends with them.
            let (Some(true), Some(Some(at)), Some(speed)) =
                (state.playing.try_get_untracked(), state.cursor.try_get_untracked(), state.speed.try_get_untracked())
            else {
                return;
            };
            let next = at + (now - last) * speed.fraction();
            last = now;
            if next >= end_ms {
                state.cursor.set(Some(end_ms));
                state.playing.set(false);
                break;
            }
            state.cursor.set(Some(next));
        }
        state.looping.try_set_value(false);
    });
}

#[component]
pub fn ReplayControls(replay: Arc<Replay>, state: ReplayState) -> impl IntoView {
    let end_ms = replay.end_ms();
    // The tab shown is the one the embed API drives.
    expect_context::<ReplayShared>().shown.set_value(Some(ReplayHandle { state, end_ms }));
    // A link's t= beyond this run's end opens at the end.
    if state.cursor.get_untracked().is_some_and(|t| t > end_ms) {
        state.cursor.set(Some(end_ms));
    }
    if state.playing.get_untracked() {
        play(state, end_ms);
    }
    let step = {
        let replay = replay.clone();
        move |forward: bool| {
            state.playing.set(false);
            let at = state.cursor.get_untracked().unwrap_or(if forward { -1.0 } else { end_ms + 1.0 });
            let to = if forward { replay.next_event_ms(at) } else { replay.previous_event_ms(at) };
            if let Some(to) = to {
                state.cursor.set(Some(to));
            }
        }
    };
    let step_back = step.clone();
    let step_on = step.clone();
    let seek = move |to: f64| {
        state.playing.set(false);
        state.cursor.set(Some(to.clamp(0.0, end_ms)));
    };
    let toggle = move || match state.playing.get_untracked() {
        true => state.playing.set(false),
        false => play(state, end_ms),
    };
    let on_key = move |event: leptos::ev::KeyboardEvent| {
        let handled = match event.key().as_str() {
            " " => {
                toggle();
                true
            }
            "ArrowRight" => {
                step(true);
                true
            }
            "ArrowLeft" => {
                step(false);
                true
            }
            "Home" => {
                seek(0.0);
                true
            }
            "End" => {
                seek(end_ms);
                true
            }
            _ => false,
        };
        if handled {
            event.prevent_default();
        }
    };
    let (has_requests, has_messages) = (replay.has_requests(), replay.has_messages());
    // Worked out once per move of the cursor, for the words and the counts.
    let moment = {
        let replay = replay.clone();
        Memo::new(move |_| state.cursor.get().map(|at| replay.moment(at)))
    };
    let narration = move || {
        moment.with(|moment| match moment {
            Some(moment) => replay.describe(moment),
            None => "Play, step (← →) or drag to replay this run; Space plays and pauses.".to_string(),
        })
    };
    let in_flight = move || moment.with(|m| m.as_ref().map_or(0, |m| m.requests_in_flight));
    let messages_out = move || moment.with(|m| m.as_ref().map_or(0, |m| m.messages_out()));
    view! {
        <div class="replay" role="group" aria-label="Replay of this run" tabindex="0" data-testid="replay" on:keydown=on_key>
            <div class="replay-buttons">
                <button type="button" class="small" data-testid="replay-start" title="To the start (Home)" on:click=move |_| seek(0.0)>"Start"</button>
                <button type="button" class="small" data-testid="replay-back" aria-label="The previous event (←)" on:click=move |_| step_back(false)>"◀"</button>
                <button type="button" class="small replay-play" data-testid="replay-play" aria-pressed=move || state.playing.get().to_string()
                    on:click=move |_| toggle()>{move || if state.playing.get() { "Pause" } else { "Play" }}</button>
                <button type="button" class="small" data-testid="replay-next" aria-label="The next event (→)" on:click=move |_| step_on(true)>"▶"</button>
                <button type="button" class="small" data-testid="replay-end" title="To the end (End)" on:click=move |_| seek(end_ms)>"End"</button>
                <label class="replay-speed">"speed "
                    <select data-testid="replay-speed" prop:value=move || state.speed.get().id()
                        on:change=move |event| {
                            let id = event_target_value(&event);
                            if let Some(speed) = ReplaySpeed::ALL.into_iter().find(|s| s.id() == id) {
                                state.speed.set(speed);
                            }
                        }>
                        {ReplaySpeed::ALL.map(|speed| view! { <option value=speed.id()>{speed.label()}</option> }).collect_view()}
                    </select>
                </label>
                <output class="replay-time" data-testid="replay-time">{move || state.cursor.get().map_or("—".to_string(), ms)}</output>
                {has_requests.then(|| view! {
                    <output class="replay-in-flight" data-testid="replay-in-flight" title="Requests in flight at the cursor">
                        {move || format!("{} in flight", in_flight())}
                    </output>
                })}
                {has_messages.then(|| view! {
                    <output class="replay-in-flight" data-testid="replay-messages" title="Messages sent to worker instances whose reply the page has not read yet, at the cursor">
                        {move || count(messages_out() as u64, "message awaiting a reply", "messages awaiting replies")}
                    </output>
                })}
            </div>
            <input type="range" class="replay-seek" data-testid="replay-seek" aria-label="The moment of the run, ms"
                min="0" max=end_ms.to_string() step="any"
                prop:value=move || state.cursor.get().unwrap_or(0.0).to_string()
                on:input=move |event| seek(event_target_value(&event).parse().unwrap_or(0.0)) />
            // Announced while stepping or seeking, not while playing (a
            // screen reader cannot keep up with sixty lines a second).
            <p class="narration" data-testid="narration" aria-live=move || if state.playing.get() { "off" } else { "polite" }>
                {narration}
            </p>
        </div>
    }
}
