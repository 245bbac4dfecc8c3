//! The page's side of a Web Worker it sends requests to: post a message,
//! await the worker's answer. A worker answers its messages in the order
//! they came, so requests may be queued and are answered oldest first. A
//! message of type "error" (an exception in the worker script) fails the
//! oldest request; one of type "panic" (the panic hook's words, sent before
//! the instance aborts) and the worker's `error` event fail every pending
//! request, since no further answer will come. Threads and worker instances
//! both use it.

use crate::browser::platform::js_error::{describe_js_error, field};
use futures_channel::oneshot;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    // The URL of our own wasm-bindgen glue, which worker scripts import.
    #[wasm_bindgen(thread_local_v2, js_namespace = ["import", "meta"], js_name = url)]
    static MAIN_JS_URL: String;
}

/// The URL of this module's wasm-bindgen glue: a worker imports it to
/// instantiate the same compiled module.
pub fn main_js_url() -> JsValue {
    MAIN_JS_URL.with(|url| JsValue::from_str(url))
}

/// The requests posted and not yet answered, oldest first.
type Inbox = Rc<RefCell<VecDeque<oneshot::Sender<Result<JsValue, String>>>>>;

/// Answers the oldest pending request.
fn answer_oldest(inbox: &Inbox, outcome: Result<JsValue, String>) {
    if let Some(sender) = inbox.borrow_mut().pop_front() {
        let _ = sender.send(outcome);
    }
}

/// Answers every pending request with `outcome`.
fn answer_all(inbox: &Inbox, outcome: Result<JsValue, String>) {
    for sender in inbox.borrow_mut().drain(..) {
        let _ = sender.send(outcome.clone());
    }
}

/// Where a worker's unasked messages (`type: "event"`) go, if anywhere.
type Events = Rc<RefCell<Option<Box<dyn Fn(JsValue)>>>>;

pub struct WorkerLink {
    worker: web_sys::Worker,
    inbox: Inbox,
    events: Events,
    _on_message: Closure<dyn Fn(web_sys::MessageEvent)>,
    _on_error: Closure<dyn Fn(web_sys::ErrorEvent)>,
}

impl WorkerLink {
    pub fn new(worker: web_sys::Worker) -> Self {
        let inbox: Inbox = Rc::new(RefCell::new(VecDeque::new()));
        let events: Events = Rc::new(RefCell::new(None));
        let answer = inbox.clone();
        let event_handler = events.clone();
        let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let data = event.data();
            match field(&data, "type").as_string().as_deref() {
                // Not an answer: something the worker tells of its own accord.
                Some("event") => {
                    if let Some(handle) = event_handler.borrow().as_ref() {
                        handle(data);
                    }
                }
                Some("panic") => answer_all(
                    &answer,
                    Err(format!("a worker panicked: {}", field(&data, "message").as_string().unwrap_or_default())),
                ),
                Some("error") => answer_oldest(
                    &answer,
                    Err(field(&data, "message").as_string().unwrap_or_else(|| "the worker failed".into())),
                ),
                _ => answer_oldest(&answer, Ok(data)),
            }
        });
        let failed = inbox.clone();
        let on_error = Closure::<dyn Fn(web_sys::ErrorEvent)>::new(move |event: web_sys::ErrorEvent| {
            answer_all(&failed, Err(format!("worker error: {}", event.message())));
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Self { worker, inbox, events, _on_message: on_message, _on_error: on_error }
    }

    /// Sends the worker's events (`type: "event"` messages) to `handle`,
    /// or nowhere with `None`.
    pub fn on_events(&self, handle: Option<Box<dyn Fn(JsValue)>>) {
        *self.events.borrow_mut() = handle;
    }

    /// Posts `message` and awaits the worker's answer to it.
    pub async fn request(&self, message: &JsValue) -> Result<JsValue, String> {
        self.send(message)?.await
    }

    /// Posts `message` now and returns the worker's answer to it, to await
    /// later: the page can queue a worker's next message before it has the
    /// answer to the last.
    pub fn send(
        &self,
        message: &JsValue,
    ) -> Result<impl std::future::Future<Output = Result<JsValue, String>> + 'static, String> {
        let (sender, receiver) = oneshot::channel();
        self.post(message)?;
        self.inbox.borrow_mut().push_back(sender);
        Ok(async move { receiver.await.map_err(|_| "the worker went away".to_string())? })
    }

    /// The worker's next message, posted without being asked (its script
    /// saying it has started).
    pub async fn expect(&self) -> Result<JsValue, String> {
        let (sender, receiver) = oneshot::channel();
        self.inbox.borrow_mut().push_back(sender);
        receiver.await.map_err(|_| "the worker went away".to_string())?
    }

    /// Posts `message` without waiting for an answer.
    pub fn post(&self, message: &JsValue) -> Result<(), String> {
        self.worker.post_message(message).map_err(|e| describe_js_error(&e))
    }

    /// A handle that answers every pending request with `text`, usable
    /// after this link is borrowed elsewhere (a Stop hook).
    pub fn answerer(&self, text: &'static str) -> std::rc::Rc<dyn Fn()> {
        let inbox = self.inbox.clone();
        std::rc::Rc::new(move || answer_all(&inbox, Ok(JsValue::from_str(text))))
    }

    pub fn worker(&self) -> &web_sys::Worker {
        &self.worker
    }
}

/// `{type: kind, ...fields}`: the messages the worker scripts understand.
pub fn message(kind: &str, fields: &[(&str, &JsValue)]) -> JsValue {
    let object = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&object, &"type".into(), &kind.into());
    for (key, value) in fields {
        let _ = js_sys::Reflect::set(&object, &(*key).into(), value);
    }
    object.into()
}
