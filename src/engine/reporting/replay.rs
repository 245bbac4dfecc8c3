//! A finished entry as events to replay: every task, request, GIL hold,
//! wait for the GIL and message to a worker instance starting (sent) and
//! ending (its reply read), in time order, what was going on
//! at any moment, and that moment in plain words (the narration). Built
//! from one entry's records, recorded or shared; playing them, and the
//! cursor on the charts, are the UI's.

use super::format::count;
use super::permalink::merged_tasks;
use super::results::ModelResult;
use crate::engine::measurement::records::{TaskRecord, TaskSpan};
use crate::engine::model::Model;
use crate::engine::placement::RunsOn;
use crate::engine::workload::Workload;
use crate::sorting::{sort_by, sort_unique};

/// What an event is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subject {
    /// A task's computing (a run of back-to-back tasks counts as one).
    Compute,
    Request,
    /// A thread holding the simulated GIL.
    GilHold,
    /// A thread waiting for the GIL.
    GilWait,
    /// A message to a worker instance: sent, then its reply read.
    Message,
}

/// One moment where something starts or ends.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ReplayEvent {
    pub at_ms: f64,
    pub subject: Subject,
    pub starts: bool,
    pub lane: u32,
    /// The record's place among its subject's records, in start order.
    pub index: usize,
}

/// A subject's spans, in start order, with their lanes.
struct Spans {
    subject: Subject,
    spans: Vec<(f64, f64, u32)>,
    /// Tasks each span stands for (a run of tasks counts them all).
    tasks: Vec<usize>,
    /// Requests: whether each failed.
    failed: Vec<bool>,
}

impl Spans {
    fn new(subject: Subject, mut spans: Vec<(f64, f64, u32, usize, bool)>) -> Self {
        sort_by(&mut spans, |a, b| a.0.total_cmp(&b.0));
        Self {
            subject,
            tasks: spans.iter().map(|s| s.3).collect(),
            failed: spans.iter().map(|s| s.4).collect(),
            spans: spans.into_iter().map(|(start, end, lane, _, _)| (start, end.max(start), lane)).collect(),
        }
    }

    /// The spans going on at `at_ms` (started at or before it, not yet ended).
    fn active(&self, at_ms: f64) -> impl Iterator<Item = (usize, u32)> + '_ {
        self.spans
            .iter()
            .enumerate()
            .take_while(move |(_, span)| span.0 <= at_ms)
            .filter(move |(_, span)| span.1 > at_ms)
            .map(|(index, span)| (index, span.2))
    }
}

/// What was going on at one moment.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Moment {
    pub at_ms: f64,
    /// (lane, task number from 1) of every compute step going on.
    pub computing: Vec<(u32, usize)>,
    pub requests_in_flight: u32,
    pub requests_answered: u32,
    pub requests_failed: u32,
    pub tasks_done: usize,
    /// The lane holding the GIL, and those waiting for it.
    pub gil_holder: Option<u32>,
    pub gil_waiting: Vec<u32>,
    /// Messages to worker instances sent, and replies read, so far.
    pub messages_sent: u32,
    pub replies_read: u32,
}

impl Moment {
    /// Messages sent to worker instances whose reply is not read yet.
    pub fn messages_out(&self) -> u32 {
        self.messages_sent - self.replies_read
    }
}

/// An entry's records as a replay.
pub struct Replay {
    model: Option<Model>,
    key: String,
    on_page_thread: bool,
    compute: Spans,
    requests: Spans,
    holds: Spans,
    waits: Spans,
    messages: Spans,
    events: Vec<ReplayEvent>,
    tasks_total: usize,
}

impl Replay {
    pub fn of(result: &ModelResult, workload: &Workload) -> Self {
        let mut compute = Vec::new();
        let mut requests = Vec::new();
        // As a share link keeps them, so a shared run replays the same events.
        for record in &merged_tasks(&result.tasks) {
            let (start, end, lane) = (record.start_ms(), record.end_ms(), record.lane());
            match record {
                TaskRecord::Request(span) => requests.push((start, end, lane, 1, span.error.is_some())),
                _ => compute.push((start, end, lane, record.count(), false)),
            }
        }
        let spans = |list: &Option<Vec<TaskSpan>>| -> Vec<(f64, f64, u32, usize, bool)> {
            list.iter().flatten().map(|span| (span.start_ms, span.end_ms, span.lane, 0, false)).collect()
        };
        let compute = Spans::new(Subject::Compute, compute);
        let requests = Spans::new(Subject::Request, requests);
        let holds = Spans::new(Subject::GilHold, spans(&result.gil_holds));
        let waits = Spans::new(Subject::GilWait, spans(&result.gil_waits));
        let messages = Spans::new(Subject::Message, spans(&result.instance_messages));
        let mut events = Vec::new();
        for spans in [&compute, &requests, &holds, &waits, &messages] {
            for (index, &(start, end, lane)) in spans.spans.iter().enumerate() {
                events.push(ReplayEvent { at_ms: start, subject: spans.subject, starts: true, lane, index });
                events.push(ReplayEvent { at_ms: end, subject: spans.subject, starts: false, lane, index });
            }
        }
        // At one instant, what ends goes first: a lock handed over is let
        // go before it is taken, and no count dips below zero. A span that
        // starts and ends at one instant (a clock's tick apart at most)
        // ends after it starts, last.
        let group = |event: &ReplayEvent, spans: &[(f64, f64, u32)]| match event.starts {
            true => 1,
            false if spans[event.index].0 < spans[event.index].1 => 0,
            false => 2,
        };
        let spans_of = |subject: Subject| match subject {
            Subject::Compute => &compute.spans,
            Subject::Request => &requests.spans,
            Subject::GilHold => &holds.spans,
            Subject::GilWait => &waits.spans,
            Subject::Message => &messages.spans,
        };
        sort_by(&mut events, |a, b| {
            a.at_ms.total_cmp(&b.at_ms).then(group(a, spans_of(a.subject)).cmp(&group(b, spans_of(b.subject))))
        });
        Self {
            model: Model::of(workload, result.id),
            key: result.key.clone(),
            on_page_thread: result.runs_on == Some(RunsOn::PageThread),
            tasks_total: compute.tasks.iter().sum::<usize>().max(result.tasks_done),
            compute,
            requests,
            holds,
            waits,
            messages,
            events,
        }
    }

    /// Every event, in time order.
    pub fn events(&self) -> &[ReplayEvent] {
        &self.events
    }

    /// When the last thing ended.
    pub fn end_ms(&self) -> f64 {
        self.events.last().map_or(0.0, |event| event.at_ms)
    }

    /// The first event after `at_ms`, to step forward to.
    pub fn next_event_ms(&self, at_ms: f64) -> Option<f64> {
        let index = self.events.partition_point(|event| event.at_ms <= at_ms);
        self.events.get(index).map(|event| event.at_ms)
    }

    /// The last event before `at_ms`, to step back to.
    pub fn previous_event_ms(&self, at_ms: f64) -> Option<f64> {
        let index = self.events.partition_point(|event| event.at_ms < at_ms);
        index.checked_sub(1).map(|index| self.events[index].at_ms)
    }

    /// What was going on at `at_ms`: every event at or before it has happened.
    pub fn moment(&self, at_ms: f64) -> Moment {
        let happened = &self.events[..self.events.partition_point(|event| event.at_ms <= at_ms)];
        let (mut started, mut answered, mut failed, mut tasks_done) = (0u32, 0u32, 0u32, 0usize);
        let (mut messages_sent, mut replies_read) = (0u32, 0u32);
        for event in happened {
            match (event.subject, event.starts) {
                (Subject::Message, true) => messages_sent += 1,
                (Subject::Message, false) => replies_read += 1,
                (Subject::Request, true) => started += 1,
                (Subject::Request, false) => {
                    answered += 1;
                    failed += self.requests.failed[event.index] as u32;
                }
                (Subject::Compute, false) => tasks_done += self.compute.tasks[event.index],
                _ => {}
            }
        }
        // A mixed task's step count: a task is done when its computing is,
        // a waiting task when its request is.
        if self.compute.spans.is_empty() {
            tasks_done = answered as usize;
        }
        let number = |index: usize| self.compute.tasks[..index].iter().sum::<usize>() + 1;
        Moment {
            at_ms,
            computing: self.compute.active(at_ms).map(|(index, lane)| (lane, number(index))).collect(),
            requests_in_flight: started - answered,
            requests_answered: answered,
            requests_failed: failed,
            tasks_done,
            gil_holder: self.holds.active(at_ms).map(|(_, lane)| lane).next(),
            gil_waiting: self.waits.active(at_ms).map(|(_, lane)| lane).collect(),
            messages_sent,
            replies_read,
        }
    }

    /// Whether this entry made requests.
    pub fn has_requests(&self) -> bool {
        !self.requests.spans.is_empty()
    }

    /// Whether the page sent worker instances messages in this entry.
    pub fn has_messages(&self) -> bool {
        !self.messages.spans.is_empty()
    }

    fn lane(&self, lane: u32) -> String {
        self.model.map_or_else(|| format!("lane {lane}"), |model| model.lane_label(lane))
    }

    /// Lanes in words: "thread 2", "thread 2 and thread 3", "5 threads".
    fn lanes(&self, lanes: &[u32]) -> String {
        match lanes {
            [] => String::new(),
            [one] => self.lane(*one),
            [first, second] => format!("{} and {}", self.lane(*first), self.lane(*second)),
            many => format!("{} lanes", many.len()),
        }
    }

    /// The moment in plain words, naming the numbers the charts show:
    /// "31.2 ms: thread 2 waits for the GIL; thread 1 holds it (task 812);
    /// 0 requests in flight".
    pub fn narrate(&self, at_ms: f64) -> String {
        self.describe(&self.moment(at_ms))
    }

    /// A moment already worked out, in words (see [`Replay::narrate`]).
    pub fn describe(&self, moment: &Moment) -> String {
        let at_ms = moment.at_ms;
        let mut parts: Vec<String> = Vec::new();
        let task_of = |lane: u32| moment.computing.iter().find(|(l, _)| *l == lane).map(|(_, task)| *task);
        if !self.holds.spans.is_empty() {
            if !moment.gil_waiting.is_empty() {
                let verb = if moment.gil_waiting.len() == 1 { "waits" } else { "wait" };
                parts.push(format!("{} {verb} for the GIL", self.lanes(&moment.gil_waiting)));
            }
            match moment.gil_holder {
                Some(holder) => parts.push(match task_of(holder) {
                    Some(task) => format!("{} holds it (task {task})", self.lane(holder)),
                    None => format!("{} holds it", self.lane(holder)),
                }),
                None => parts.push("nobody holds the GIL".to_string()),
            }
        } else if !moment.computing.is_empty() {
            let lanes: Vec<u32> = moment.computing.iter().map(|(lane, _)| *lane).collect();
            parts.push(match moment.computing.as_slice() {
                [(lane, task)] => format!("{} computes task {task}", self.lane(*lane)),
                _ => format!("{} compute", self.lanes(&lanes)),
            });
        }
        if !self.requests.spans.is_empty() {
            let mut requests = format!(
                "{} in flight, {} of {} answered",
                count(moment.requests_in_flight as u64, "request", "requests"),
                moment.requests_answered,
                self.requests.spans.len()
            );
            if moment.requests_failed > 0 {
                requests += &format!(" ({} failed)", moment.requests_failed);
            }
            parts.push(requests);
        }
        if !self.compute.spans.is_empty() {
            parts.push(format!("{} of {} tasks done", moment.tasks_done, self.tasks_total));
        }
        if self.has_messages() {
            let out: Vec<u32> = self.messages.active(at_ms).map(|(_, lane)| lane).collect();
            let mut lanes: Vec<u32> = out.clone();
            sort_unique(&mut lanes);
            let waiting = match out.len() {
                0 => "no message awaits a reply".to_string(),
                1 => format!("1 message to {} awaits a reply", self.lanes(&lanes)),
                n => format!("{n} messages to {} await a reply", self.lanes(&lanes)),
            };
            parts.push(format!("{waiting}; {} of {} replies read", moment.replies_read, self.messages.spans.len()));
        }
        if self.on_page_thread {
            parts.push(match moment.computing.is_empty() {
                true => "the page thread is free".to_string(),
                false => "the page thread is busy computing".to_string(),
            });
        }
        format!("{at_ms:.1}\u{a0}ms, {}: {}", self.key, parts.join("; "))
    }
}
