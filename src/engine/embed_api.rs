//! The embed API's messages, a public contract like the URL: `ready` (what
//! this frame can run), the commands a tutorial page sends (`run`, `stop`,
//! `configure`, `seek`, `play`, `pause`), the reply to each, and the
//! results message that names the command it answers. Reading a command
//! validates its values as the URL's are validated. Receiving and posting
//! them are the browser layer's; acting on them is the UI's.

use crate::engine::configuration::config::{Config, ReplaySpeed};
use crate::engine::configuration::query::encode_component;
use crate::engine::cpu::model::CpuModel;
use crate::engine::io::model::IoModel;
use crate::engine::model::Model;
use crate::engine::reporting::comparison::COMPARE_KEY;
use crate::engine::reporting::results::Results;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The `type` of the message posted to `window.parent` when a run ends.
pub const POST_MESSAGE_TYPE: &str = "concurrency-playground:results";

/// The `type` of the message an embedded page posts with its content's
/// height (`{type, height}`), whenever it changes.
pub const HEIGHT_MESSAGE_TYPE: &str = "concurrency-playground:height";

pub const READY_TYPE: &str = "concurrency-playground:ready";
pub const COMMAND_TYPE: &str = "concurrency-playground:command";
pub const REPLY_TYPE: &str = "concurrency-playground:reply";

/// The API's version, raised only when a public name changes meaning.
pub const API_VERSION: u32 = 1;

/// The commands by their public names, as `ready` lists them.
pub const COMMANDS: [&str; 6] = ["run", "stop", "configure", "seek", "play", "pause"];

/// A command, its values validated.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Run this configuration, or the current one.
    Run(Option<Box<Config>>),
    Stop,
    /// Set the configuration without running it.
    Configure(Box<Config>),
    /// The replay's cursor to this moment (ms), paused.
    Seek {
        at_ms: f64,
    },
    /// Play the replay, at this speed if given.
    Play {
        speed: Option<ReplaySpeed>,
    },
    Pause,
}

/// A command as it came: its id (any JSON value, echoed in the reply and
/// in the results it starts), the command or why it is none, and what its
/// values' validation said (a value out of range and the one used instead).
#[derive(Clone, Debug, PartialEq)]
pub struct Received {
    pub id: Value,
    pub command: Result<Command, String>,
    pub messages: Vec<String>,
}

/// A command as JSON: `{type, id, command, query?, t?, speed?}`.
#[derive(Deserialize)]
struct CommandWire {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    id: Value,
    #[serde(default)]
    command: Value,
    #[serde(default)]
    query: Value,
    #[serde(default)]
    t: Value,
    #[serde(default)]
    speed: Value,
}

/// A JSON number or string as the text a URL would carry; `None` if absent.
fn as_text(value: &Value, name: &str) -> Result<Option<String>, String> {
    match value {
        Value::Null => Ok(None),
        Value::String(text) => Ok(Some(text.clone())),
        Value::Number(number) => Ok(Some(number.to_string())),
        _ => Err(format!("“{name}” is a string or a number, not {value}.")),
    }
}

/// Reads a message the page received. `None` if it is not a command (the
/// page hears other messages too, and ignores them).
pub fn read_command(json: &str, hardware_concurrency: u32) -> Option<Received> {
    let wire: CommandWire = serde_json::from_str(json).ok()?;
    if wire.kind != COMMAND_TYPE {
        return None;
    }
    let mut messages = Vec::new();
    let command = command_of(&wire, hardware_concurrency, &mut messages);
    Some(Received { id: wire.id, command, messages })
}

fn command_of(wire: &CommandWire, cores: u32, messages: &mut Vec<String>) -> Result<Command, String> {
    let name = match &wire.command {
        Value::String(name) => name.as_str(),
        Value::Null => return Err(format!("A command needs “command”, one of {}.", COMMANDS.join(", "))),
        other => return Err(format!("“command” is one of {}, not {other}.", COMMANDS.join(", "))),
    };
    // The same reader as the URL's, so a command's value is checked as a link's is.
    let parse = |query: &str| {
        let (config, said) = Config::parse(query, cores);
        (config, said.into_iter().map(|message| message.text).collect::<Vec<String>>())
    };
    let query = as_text(&wire.query, "query")?;
    match name {
        "run" | "configure" => {
            let config = query.map(|query| {
                let (config, said) = parse(&query);
                messages.extend(said);
                Box::new(config)
            });
            match (name, config) {
                ("run", config) => Ok(Command::Run(config)),
                (_, Some(config)) => Ok(Command::Configure(config)),
                (_, None) => Err("“configure” needs a “query”, as the page's URL would carry it.".to_string()),
            }
        }
        "stop" => Ok(Command::Stop),
        "seek" => {
            let t = as_text(&wire.t, "t")?.ok_or("“seek” needs “t”, the moment of the run in ms.")?;
            let (config, said) = parse(&format!("t={}", encode_component(&t)));
            match config.replay.at_us {
                Some(us) => Ok(Command::Seek { at_ms: us as f64 / 1000.0 }),
                // The reader said why; a seek to nowhere is refused, not guessed.
                None => Err(said.into_iter().next().unwrap_or_else(|| "“t” is a moment of the run in ms.".to_string())),
            }
        }
        "play" => match as_text(&wire.speed, "speed")? {
            None => Ok(Command::Play { speed: None }),
            Some(speed) => {
                let (config, said) = parse(&format!("speed={}", encode_component(&speed)));
                // "speed is …" refuses a value that is none; "… is nearest …" only rounds it.
                match said.iter().find(|text| text.starts_with("speed is")) {
                    Some(refusal) => Err(refusal.clone()),
                    None => {
                        messages.extend(said);
                        Ok(Command::Play { speed: Some(config.replay.speed) })
                    }
                }
            }
        },
        "pause" => Ok(Command::Pause),
        other => Err(format!("“{other}” is not a command; the commands are {}.", COMMANDS.join(", "))),
    }
}

/// The answer to one command: `{type, id, ok, reason, messages?}`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Reply {
    #[serde(rename = "type")]
    kind: &'static str,
    pub id: Value,
    pub ok: bool,
    /// Why it was refused (`null` when done).
    pub reason: Option<String>,
    /// What the validation of its values said.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub messages: Vec<String>,
}

impl Reply {
    pub fn done(received: &Received) -> Self {
        Self { kind: REPLY_TYPE, id: received.id.clone(), ok: true, reason: None, messages: received.messages.clone() }
    }

    pub fn refused(received: &Received, reason: impl Into<String>) -> Self {
        Self {
            kind: REPLY_TYPE,
            id: received.id.clone(),
            ok: false,
            reason: Some(reason.into()),
            messages: received.messages.clone(),
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("plain data")
    }
}

/// A model that cannot run in this frame, and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CannotRun {
    pub id: &'static str,
    pub reason: String,
}

/// What the page posts to its parent once it can take a run:
/// `{type, version, can_run, cannot_run, commands}`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Ready {
    #[serde(rename = "type")]
    kind: &'static str,
    pub version: u32,
    /// The models (their ids) that can run here.
    pub can_run: Vec<&'static str>,
    pub cannot_run: Vec<CannotRun>,
    pub commands: [&'static str; 6],
}

impl Ready {
    /// Which models can run where shared memory is (or is not) to be had;
    /// `why_not` says why it is not.
    pub fn here(shared_memory: bool, why_not: &str) -> Self {
        let models = CpuModel::ALL.into_iter().map(Model::Cpu).chain(IoModel::ALL.into_iter().map(Model::Io));
        let (mut can_run, mut cannot_run) = (Vec::new(), Vec::<CannotRun>::new());
        for model in models {
            let id = model.id().as_str();
            match model.placement(shared_memory).is_some() {
                true if !can_run.contains(&id) => can_run.push(id),
                false if !cannot_run.iter().any(|c| c.id == id) => {
                    cannot_run.push(CannotRun { id, reason: why_not.to_string() })
                }
                _ => {}
            }
        }
        // An id one family can run is listed as runnable only.
        cannot_run.retain(|c| !can_run.contains(&c.id));
        Self { kind: READY_TYPE, version: API_VERSION, can_run, cannot_run, commands: COMMANDS }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("plain data")
    }
}

/// `{type: "concurrency-playground:results", results, command_id?}`: the
/// results of a run, naming the command that started it, if one did.
/// Written straight to text: going through a `Value` compiled every results
/// type's serializer a second time (21 KB of the page's wasm).
pub fn results_message(results: &Results, command_id: Option<&Value>) -> String {
    #[derive(Serialize)]
    struct ResultsMessage<'a> {
        #[serde(rename = "type")]
        kind: &'static str,
        results: &'a Results,
        #[serde(skip_serializing_if = "Option::is_none")]
        command_id: Option<&'a Value>,
    }
    serde_json::to_string(&ResultsMessage { kind: POST_MESSAGE_TYPE, results, command_id }).expect("plain data")
}

/// `{type: "concurrency-playground:height", height}`.
pub fn height_message(height_px: f64) -> String {
    serde_json::json!({ "type": HEIGHT_MESSAGE_TYPE, "height": height_px.ceil() }).to_string()
}

/// The snippets a tutorial author pastes, one per kind of page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SnippetKind {
    /// `embed.js` and the `<concurrency-playground>` tag.
    Tag,
    /// A bare iframe and a listener.
    Iframe,
    /// Markdown static sites (MkDocs, mdBook) pass raw HTML through.
    Markdown,
    /// Sphinx: `.. raw:: html`.
    Sphinx,
    /// Jupyter: `IPython.display.IFrame`, or the tag in an HTML cell.
    Jupyter,
}

impl SnippetKind {
    pub const ALL: [SnippetKind; 5] = [Self::Tag, Self::Iframe, Self::Markdown, Self::Sphinx, Self::Jupyter];

    pub fn id(self) -> &'static str {
        match self {
            Self::Tag => "tag",
            Self::Iframe => "iframe",
            Self::Markdown => "markdown",
            Self::Sphinx => "sphinx",
            Self::Jupyter => "jupyter",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Tag => "HTML: one tag (embed.js)",
            Self::Iframe => "HTML: a bare iframe",
            Self::Markdown => "Markdown (MkDocs, mdBook)",
            Self::Sphinx => "Sphinx (reStructuredText)",
            Self::Jupyter => "Jupyter",
        }
    }

    /// What the snippet does, in a line above it.
    pub fn about(self) -> &'static str {
        match self {
            Self::Tag => "The tag loads the playground when a reader scrolls near it, sizes it to its content, and fires a results event; its run() and stop() drive it.",
            Self::Iframe => "The frame, and a listener that sizes it to its content and keeps its results (window.playgroundResults).",
            Self::Markdown => "MkDocs and mdBook pass raw HTML through: paste the tag between blank lines.",
            Self::Sphinx => "A raw HTML block in any .rst page.",
            Self::Jupyter => "In a code cell (the frame), or the tag in a %%html cell.",
        }
    }
}

/// `&`, `<`, `>` and `"` escaped, for an HTML attribute's value.
fn attribute(text: &str) -> String {
    text.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
}

/// How an embed opens: with the form or the charts only, running or not,
/// and with a run to compare the reader's with (a share link's encoding).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EmbedOptions<'a> {
    pub charts_only: bool,
    pub autorun: bool,
    pub compare: Option<&'a str>,
}

/// The snippet of `kind` for the playground at `address` (ending in `/`)
/// running `query` (without `embed`, `autorun` or `charts_only`, which the
/// snippet adds as `options` say).
pub fn snippet(kind: SnippetKind, address: &str, query: &str, options: EmbedOptions) -> String {
    let flags = |on: bool, text: &'static str| if on { text } else { "" };
    let compare_attribute =
        options.compare.map(|encoded| format!(" compare=\"{}\"", attribute(encoded))).unwrap_or_default();
    let tag = format!(
        "<script src=\"{address}embed.js\" defer></script>\n\
         <concurrency-playground query=\"{}\"{}{} height=\"720\"{compare_attribute}></concurrency-playground>",
        attribute(query),
        flags(options.autorun, " autorun"),
        flags(options.charts_only, " charts-only"),
    );
    let frame_url = format!(
        "{address}?{query}&embed=1{}{}{}",
        flags(options.charts_only, "&charts_only=1"),
        flags(options.autorun, "&autorun=1"),
        options.compare.map(|encoded| format!("#{COMPARE_KEY}{encoded}")).unwrap_or_default()
    );
    match kind {
        SnippetKind::Tag => format!(
            "{tag}\n<script>\n\
             // Each run's results, as a DOM event on the tag.\n\
             document.querySelector('concurrency-playground')\n  \
               .addEventListener('results', (event) => {{ window.playgroundResults = event.detail; }});\n\
             </script>"
        ),
        // `allow="cross-origin-isolated"` lets the frame be isolated when the
        // tutorial page is; the listener checks `event.source`, so no other
        // frame can speak for it.
        SnippetKind::Iframe => format!(
            "<iframe id=\"concurrency-playground\" src=\"{frame_url}\" title=\"Concurrency Playground\" \
             width=\"100%\" height=\"720\" style=\"border:0\" loading=\"lazy\" allow=\"cross-origin-isolated; clipboard-write\"></iframe>\n\
             <script>\n\
             // The playground posts its height and, after each run, its results.\n\
             addEventListener('message', (event) => {{\n  \
               const frame = document.getElementById('concurrency-playground');\n  \
               if (event.source !== frame.contentWindow || !event.data) return;\n  \
               if (event.data.type === '{HEIGHT_MESSAGE_TYPE}') frame.style.height = `${{event.data.height}}px`;\n  \
               if (event.data.type === '{POST_MESSAGE_TYPE}') window.playgroundResults = event.data.results;\n\
             }});\n\
             </script>"
        ),
        SnippetKind::Markdown => format!("Some prose before the playground.\n\n{tag}\n\nSome prose after it."),
        SnippetKind::Sphinx => {
            let indented: Vec<String> = tag.lines().map(|line| format!("   {line}")).collect();
            format!(".. raw:: html\n\n{}\n", indented.join("\n"))
        }
        SnippetKind::Jupyter => format!(
            "# A code cell:\n\
             from IPython.display import IFrame\n\
             IFrame(\"{frame_url}\", width=\"100%\", height=720)\n\n\
             # Or an HTML cell (%%html on its first line):\n\
             %%html\n{tag}"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> Received {
        read_command(json, 4).expect("a command")
    }

    #[test]
    fn other_messages_are_not_commands() {
        assert_eq!(read_command(r#"{"type":"concurrency-playground:height","height":4}"#, 4), None);
        assert_eq!(read_command("not json", 4), None);
        assert_eq!(read_command(r#"[1,2]"#, 4), None);
    }

    #[test]
    fn a_run_takes_its_query_as_a_url_would_give_it() {
        let received = read(
            r#"{"type":"concurrency-playground:command","id":7,"command":"run","query":"workload=sieve&from=1000&to=1500&models=seq,bogus"}"#,
        );
        assert_eq!(received.id, Value::from(7));
        let Ok(Command::Run(Some(config))) = &received.command else { panic!("{received:?}") };
        assert_eq!((config.sieve.from, config.sieve.to), (1000, 1500));
        assert!(received.messages.iter().any(|text| text.contains("bogus")), "{:?}", received.messages);
        let plain = read(r#"{"type":"concurrency-playground:command","id":"a","command":"run"}"#);
        assert_eq!(plain.command, Ok(Command::Run(None)));
    }

    #[test]
    fn bad_commands_say_why() {
        for (json, says) in [
            (r#"{"type":"concurrency-playground:command","id":1}"#, "needs “command”"),
            (r#"{"type":"concurrency-playground:command","id":1,"command":"explode"}"#, "not a command"),
            (r#"{"type":"concurrency-playground:command","id":1,"command":"configure"}"#, "needs a “query”"),
            (r#"{"type":"concurrency-playground:command","id":1,"command":"seek","t":-3}"#, "t is a moment"),
            (r#"{"type":"concurrency-playground:command","id":1,"command":"seek"}"#, "needs “t”"),
            (r#"{"type":"concurrency-playground:command","id":1,"command":"play","speed":"fast"}"#, "speed is"),
            (
                r#"{"type":"concurrency-playground:command","id":1,"command":"run","query":{"a":1}}"#,
                "a string or a number",
            ),
        ] {
            let received = read(json);
            let reason = received.command.clone().expect_err(json);
            assert!(reason.contains(says), "{json}: {reason}");
            let reply = Reply::refused(&received, reason);
            assert!(reply
                .to_json()
                .starts_with(r#"{"type":"concurrency-playground:reply","id":1,"ok":false,"reason":"#));
        }
    }

    #[test]
    fn seek_and_play_read_their_values_as_t_and_speed() {
        let seek = read(r#"{"type":"concurrency-playground:command","id":2,"command":"seek","t":"31.25"}"#);
        assert_eq!(seek.command, Ok(Command::Seek { at_ms: 31.25 }));
        let play = read(r#"{"type":"concurrency-playground:command","id":3,"command":"play","speed":0.3}"#);
        assert_eq!(play.command, Ok(Command::Play { speed: Some(ReplaySpeed::Quarter) }));
        assert!(play.messages[0].contains("nearest 0.25"), "{:?}", play.messages);
        assert_eq!(
            Reply::done(&play).to_json(),
            format!(
                r#"{{"type":"concurrency-playground:reply","id":3,"ok":true,"reason":null,"messages":[{}]}}"#,
                serde_json::to_string(&play.messages[0]).unwrap()
            )
        );
    }

    #[test]
    fn ready_names_what_runs_here() {
        let isolated = Ready::here(true, "");
        assert!(isolated.cannot_run.is_empty(), "{:?}", isolated.cannot_run);
        assert!(isolated.can_run.contains(&"rayon") && isolated.can_run.contains(&"workers"));
        let plain = Ready::here(false, "no shared memory");
        assert!(!plain.can_run.contains(&"rayon"));
        assert!(plain.can_run.contains(&"workers") && plain.can_run.contains(&"seq") && plain.can_run.contains(&"gil"));
        assert!(plain.cannot_run.iter().any(|c| c.id == "rayon" && c.reason == "no shared memory"));
        let json = plain.to_json();
        assert!(json.starts_with(r#"{"type":"concurrency-playground:ready","version":1,"can_run":["#), "{json}");
    }

    #[test]
    fn snippets_carry_the_query_where_each_page_kind_wants_it() {
        let address = "https://example.org/playground/";
        let query = "workload=sieve&models=seq,rayon";
        let plain = EmbedOptions { charts_only: false, autorun: true, compare: None };
        let charts = EmbedOptions { charts_only: true, ..plain };
        let tag = snippet(SnippetKind::Tag, address, query, plain);
        assert!(tag.starts_with(r#"<script src="https://example.org/playground/embed.js" defer></script>"#), "{tag}");
        assert!(tag.contains(r#"query="workload=sieve&amp;models=seq,rayon" autorun"#), "{tag}");
        let frame = snippet(SnippetKind::Iframe, address, query, charts);
        assert!(frame.contains(r#"src="https://example.org/playground/?workload=sieve&models=seq,rayon&embed=1&charts_only=1&autorun=1""#), "{frame}");
        assert!(frame.contains("event.source !== frame.contentWindow"));
        let sphinx = snippet(SnippetKind::Sphinx, address, query, plain);
        assert!(sphinx.starts_with(".. raw:: html\n\n   <script src="), "{sphinx}");
        assert!(sphinx.lines().skip(2).all(|line| line.is_empty() || line.starts_with("   ")), "{sphinx}");
        let jupyter = snippet(SnippetKind::Jupyter, address, query, plain);
        assert!(jupyter.contains(r#"IFrame("https://example.org/playground/?workload=sieve&models=seq,rayon&embed=1&autorun=1", width="100%", height=720)"#), "{jupyter}");
        assert!(jupyter.contains("%%html\n<script src="), "{jupyter}");
        let markdown = snippet(SnippetKind::Markdown, address, query, plain);
        assert!(
            markdown.contains("\n\n<script src=") && markdown.contains("</concurrency-playground>\n\n"),
            "{markdown}"
        );
        // The author's run beside the reader's: the tag's attribute, the frame's fragment.
        let compared = EmbedOptions { compare: Some("abc-_"), ..plain };
        assert!(snippet(SnippetKind::Tag, address, query, compared)
            .contains(r#" compare="abc-_"></concurrency-playground>"#));
        assert!(snippet(SnippetKind::Iframe, address, query, compared).contains(r#"&autorun=1#compare=abc-_""#));
    }

    #[test]
    fn the_results_message_names_its_command() {
        use crate::engine::running::native::{run_query, NativeExecutor};
        let cancel = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let query = "workload=sieve&from=1000&to=1010&models=seq&repeat=1&warmup=0";
        let results = run_query(query, 2, &mut NativeExecutor::default(), &cancel).unwrap();
        let message: Value = serde_json::from_str(&results_message(&results, Some(&Value::from("run-1")))).unwrap();
        assert_eq!(message["type"], POST_MESSAGE_TYPE);
        assert_eq!(message["command_id"], "run-1");
        assert_eq!(message["results"]["schema"], results.schema);
        let plain: Value = serde_json::from_str(&results_message(&results, None)).unwrap();
        assert!(plain.get("command_id").is_none());
    }
}
