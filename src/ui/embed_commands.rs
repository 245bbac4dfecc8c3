//! The embed API acted on: `ready` posted to the tutorial page once a run
//! can start, and each command from it (run, stop, configure, seek, play,
//! pause) carried out or refused, with its reply. The messages' words are
//! `engine::embed_api`'s; hearing and posting them is `platform::page`'s.

use super::state::AppState;
use crate::browser::platform::environment::{no_shared_memory_reason, shared_memory};
use crate::browser::platform::page;
use crate::engine::embed_api::{read_command, Command, Ready, Received, Reply};
use crate::engine::reporting::format::ms;
use leptos::prelude::*;

/// Posts `ready` once the page can first take a run, and answers the
/// embedding page's commands from then on. Nothing when not embedded.
pub fn serve(state: AppState) {
    let posted_ready = StoredValue::new(false);
    Effect::new(move |_| {
        if !posted_ready.get_value() && state.can_run() {
            posted_ready.set_value(true);
            let ready = Ready::here(shared_memory(), &no_shared_memory_reason().unwrap_or_default());
            let _ = page::post_to_parent(&ready.to_json());
        }
    });
    let cores = state.form.hardware_concurrency;
    page::listen_to_parent(move |json| {
        let Some(received) = read_command(&json, cores) else { return };
        let reply = carry_out(state, &received);
        let _ = page::post_to_parent(&reply.to_json());
    });
}

fn carry_out(state: AppState, received: &Received) -> Reply {
    let command = match &received.command {
        Ok(command) => command,
        Err(reason) => return Reply::refused(received, reason.clone()),
    };
    let running = state.runs.running.get_untracked();
    match command {
        Command::Run(_) | Command::Configure(_) if running => {
            Reply::refused(received, "A run is going: send stop, or wait for its results.")
        }
        Command::Run(config) => {
            if let Some(config) = config {
                state.configure(config);
            }
            match untrack(|| state.run_blocked_reason()) {
                Some(reason) => Reply::refused(received, reason),
                None => {
                    state.run_for(Some(received.id.clone()));
                    Reply::done(received)
                }
            }
        }
        Command::Configure(config) => {
            state.configure(config);
            Reply::done(received)
        }
        Command::Stop if running => {
            state.stop();
            Reply::done(received)
        }
        Command::Stop => Reply::refused(received, "No run is going."),
        Command::Seek { .. } | Command::Play { .. } | Command::Pause => {
            let Some(replay) = state.replay.shown() else {
                return Reply::refused(received, "There is no finished run to replay yet.");
            };
            match *command {
                Command::Seek { at_ms } => {
                    let at = replay.seek(at_ms);
                    let mut reply = Reply::done(received);
                    if at < at_ms {
                        reply.messages.push(format!("The run ends at {}: the replay is there.", ms(at)));
                    }
                    reply
                }
                Command::Play { speed } => {
                    replay.play(speed);
                    Reply::done(received)
                }
                _ => {
                    replay.pause();
                    Reply::done(received)
                }
            }
        }
    }
}
