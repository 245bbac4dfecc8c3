//! The `gil` model where threads cannot share one memory (a tutorial page
//! that is not cross-origin isolated, or WebKit): k worker instances that
//! run task code only while they hold one token, which the page keeps and
//! hands over by CPython's rules, the rules `gil.rs` follows with a lock.
//! A thread that wants the token and has waited one switch interval
//! (`sys.getswitchinterval()`) with no hand-off asks the holder to drop it;
//! the holder drops it at its next checkpoint and asks again at once, and
//! the token goes to another waiter first (`FORCE_SWITCHING`). Tasks come
//! with the token, a few at a time (a lease), from one shared queue, as a
//! ThreadPoolExecutor's threads take them.
//!
//! Here: the keeper's rules ([`TokenKeeper`], on the page) and what an
//! instance asks of its side of the link ([`TokenLink`]); the instance's loop
//! is `CpuRun::run_under_token`, the messages the browser layer's.

use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::ops::Range;

/// The most tasks leased at once: a lease doubles each time its holder
/// asks for more, from one, so short tasks cost few messages and long ones
/// do not pile up with one instance.
pub const MAX_LEASE: usize = 4096;

/// An instance's side of the token (the browser layer implements it with
/// messages to and from the page).
#[allow(async_fn_in_trait)]
pub trait TokenLink {
    /// Asks for the token; resolves once this instance holds it, with the
    /// tasks leased with it (perhaps none).
    async fn want(&self) -> Range<usize>;
    /// While holding: more tasks, or `None` when the queue is empty (the
    /// instance is done and gives the token back).
    async fn more(&self) -> Option<Range<usize>>;
    /// Gives the token back at a checkpoint, with the leased tasks it did
    /// not start.
    fn release(&self, unused: Range<usize>);
    /// Whether the page has asked for the token since this instance got it.
    fn drop_requested(&self) -> bool;
    /// Lets the instance's event loop run: the page's messages arrive there.
    async fn yield_now(&self);
}

/// What an instance tells the keeper.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "what", rename_all = "snake_case")]
pub enum TokenRequest {
    Want,
    More,
    Release { unused_start: usize, unused_end: usize },
}

/// What the page sends an instance in answer (the actions addressed to it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "what", rename_all = "snake_case")]
pub enum TokenAnswer {
    Granted { lease_start: usize, lease_end: usize },
    Leased { lease_start: usize, lease_end: usize },
    Finished,
    DropAsked,
}

impl TokenAction {
    /// The lane an action is for, and what to send it; `None` for the
    /// page's own reminders.
    pub fn answer(&self) -> Option<(u32, TokenAnswer)> {
        Some(match self {
            Self::Grant { lane, lease } => {
                (*lane, TokenAnswer::Granted { lease_start: lease.start, lease_end: lease.end })
            }
            Self::Lease { lane, lease } => {
                (*lane, TokenAnswer::Leased { lease_start: lease.start, lease_end: lease.end })
            }
            Self::Finish { lane } => (*lane, TokenAnswer::Finished),
            Self::Drop { lane } => (*lane, TokenAnswer::DropAsked),
            Self::Remind { .. } => return None,
        })
    }
}

/// What the keeper does in answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenAction {
    /// Instance `lane` holds the token now, with these tasks.
    Grant { lane: u32, lease: Range<usize> },
    /// More tasks for the holder, which keeps the token.
    Lease { lane: u32, lease: Range<usize> },
    /// The queue is empty: the holder is done, and gives the token back.
    Finish { lane: u32 },
    /// Another instance has waited a switch interval: drop it at your next checkpoint.
    Drop { lane: u32 },
    /// A waiter began its switch interval: call [`TokenKeeper::interval_passed`]
    /// with `switch_number` once `after_ms` have gone by.
    Remind { after_ms: u32, switch_number: u64 },
}

/// The token's keeper, on the page: who holds it, who waits, the queue of
/// tasks, and the hand-offs counted.
pub struct TokenKeeper {
    switch_ms: u32,
    queue: VecDeque<Range<usize>>,
    holder: Option<u32>,
    /// Waiters in the order they asked.
    waiting: VecDeque<u32>,
    last_holder: Option<u32>,
    /// Bumped at every grant, as CPython's `switch_number`.
    switch_number: u64,
    switches: u32,
    /// Whether the holder has been asked to drop since it got the token.
    drop_sent: bool,
    /// Each lane's next lease size.
    lease: Vec<usize>,
}

impl TokenKeeper {
    pub fn new(task_count: usize, lanes: u32, switch_ms: u32) -> Self {
        Self {
            switch_ms: switch_ms.max(1),
            // One range: every task, in order.
            queue: std::iter::once(0..task_count).collect(),
            holder: None,
            waiting: VecDeque::new(),
            last_holder: None,
            switch_number: 0,
            switches: 0,
            drop_sent: false,
            lease: vec![1; lanes as usize],
        }
    }

    /// Hand-offs so far: grants to another lane than the last holder.
    pub fn switches(&self) -> u32 {
        self.switches
    }

    pub fn handle(&mut self, lane: u32, request: TokenRequest) -> Vec<TokenAction> {
        match request {
            TokenRequest::Want => self.want(lane),
            TokenRequest::More => self.more(lane),
            TokenRequest::Release { unused_start, unused_end } => self.release(lane, unused_start..unused_end),
        }
    }

    fn want(&mut self, lane: u32) -> Vec<TokenAction> {
        if self.holder.is_none() && self.waiting.is_empty() {
            return vec![self.grant(lane)];
        }
        self.waiting.push_back(lane);
        let mut actions = vec![TokenAction::Remind { after_ms: self.switch_ms, switch_number: self.switch_number }];
        // Free, with others waiting before it: the longest waiter first.
        if self.holder.is_none() {
            actions.extend(self.grant_next());
        }
        actions
    }

    fn more(&mut self, lane: u32) -> Vec<TokenAction> {
        if self.holder != Some(lane) {
            return Vec::new();
        }
        match self.take(lane) {
            Some(lease) => vec![TokenAction::Lease { lane, lease }],
            None => {
                self.holder = None;
                let mut actions = vec![TokenAction::Finish { lane }];
                actions.extend(self.grant_next());
                actions
            }
        }
    }

    fn release(&mut self, lane: u32, unused: Range<usize>) -> Vec<TokenAction> {
        if self.holder != Some(lane) {
            return Vec::new();
        }
        if !unused.is_empty() {
            self.queue.push_front(unused);
        }
        self.holder = None;
        // FORCE_SWITCHING: another waiter takes it before the one that
        // dropped it asks again.
        self.grant_next().into_iter().collect()
    }

    /// A waiter's switch interval has passed: if nobody has handed over
    /// since, the holder is asked to drop the token.
    pub fn interval_passed(&mut self, switch_number: u64) -> Vec<TokenAction> {
        match (self.holder, self.switch_number == switch_number, self.waiting.is_empty(), self.drop_sent) {
            (Some(lane), true, false, false) => {
                self.drop_sent = true;
                vec![TokenAction::Drop { lane }]
            }
            _ => Vec::new(),
        }
    }

    fn grant_next(&mut self) -> Option<TokenAction> {
        let lane = self.waiting.pop_front()?;
        Some(self.grant(lane))
    }

    fn grant(&mut self, lane: u32) -> TokenAction {
        self.holder = Some(lane);
        self.switch_number += 1;
        self.drop_sent = false;
        if self.last_holder.is_some_and(|last| last != lane) {
            self.switches += 1;
        }
        self.last_holder = Some(lane);
        let lease = self.take(lane).unwrap_or(0..0);
        TokenAction::Grant { lane, lease }
    }

    /// The next lease for `lane` from the queue's front, doubling its size.
    fn take(&mut self, lane: u32) -> Option<Range<usize>> {
        let size = self.lease.get(lane as usize).copied().unwrap_or(1);
        let front = self.queue.front_mut()?;
        let lease = front.start..(front.start + size).min(front.end);
        front.start = lease.end;
        if front.start >= front.end {
            self.queue.pop_front();
        }
        if let Some(next) = self.lease.get_mut(lane as usize) {
            *next = (size * 2).min(MAX_LEASE);
        }
        Some(lease)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lease_of(actions: &[TokenAction]) -> Option<Range<usize>> {
        actions.iter().find_map(|action| match action {
            TokenAction::Grant { lease, .. } | TokenAction::Lease { lease, .. } => Some(lease.clone()),
            _ => None,
        })
    }

    #[test]
    fn one_holder_at_a_time_handing_over_after_a_switch_interval() {
        let mut keeper = TokenKeeper::new(100, 2, 5);
        // Lane 0 gets it at once; lane 1 waits and is reminded after 5 ms.
        assert_eq!(keeper.handle(0, TokenRequest::Want), vec![TokenAction::Grant { lane: 0, lease: 0..1 }]);
        let waiting = keeper.handle(1, TokenRequest::Want);
        assert_eq!(waiting, vec![TokenAction::Remind { after_ms: 5, switch_number: 1 }]);
        assert_eq!(lease_of(&keeper.handle(0, TokenRequest::More)), Some(1..3), "the lease doubles");
        // The interval passes with no hand-off: the holder is asked, once.
        assert_eq!(keeper.interval_passed(1), vec![TokenAction::Drop { lane: 0 }]);
        assert_eq!(keeper.interval_passed(1), vec![], "asked once per hold");
        // It drops with a task it had not started: lane 1 gets the token and that task first.
        let handed = keeper.handle(0, TokenRequest::Release { unused_start: 2, unused_end: 3 });
        assert_eq!(handed, vec![TokenAction::Grant { lane: 1, lease: 2..3 }]);
        assert_eq!(keeper.switches(), 1);
        // The one that dropped asks again and waits: no holder twice.
        let again = keeper.handle(0, TokenRequest::Want);
        assert!(matches!(again.as_slice(), [TokenAction::Remind { .. }]), "{again:?}");
        // A stale reminder (a hand-off came since) asks nothing.
        assert_eq!(keeper.interval_passed(1), vec![]);
    }

    #[test]
    fn every_task_is_leased_once_and_the_last_holder_finishes_everyone() {
        let mut keeper = TokenKeeper::new(50, 3, 5);
        let mut leased = Vec::new();
        let mut actions = keeper.handle(0, TokenRequest::Want);
        keeper.handle(1, TokenRequest::Want);
        keeper.handle(2, TokenRequest::Want);
        let mut finished = Vec::new();
        // Whoever holds it asks for more until told to finish; then the next.
        for _ in 0..200 {
            if actions.is_empty() {
                break;
            }
            match actions.remove(0) {
                TokenAction::Grant { lane, lease } | TokenAction::Lease { lane, lease } => {
                    leased.extend(lease);
                    actions.extend(keeper.handle(lane, TokenRequest::More));
                }
                TokenAction::Finish { lane } => finished.push(lane),
                _ => {}
            }
        }
        leased.sort_unstable();
        assert_eq!(leased, (0..50).collect::<Vec<_>>());
        finished.sort_unstable();
        assert_eq!(finished, vec![0, 1, 2]);
    }
}
