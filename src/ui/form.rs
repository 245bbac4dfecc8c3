//! The form's state as typed: raw text per field, so a half-typed number is
//! never overwritten, and its query, which `Config::parse` turns into what
//! runs. Plain Rust, tested natively; the components in `controls` only
//! bind fields to inputs.

use crate::engine::config::{Config, WorkloadKind};
use crate::engine::cpu::model::CpuModel;
use crate::engine::fault::Fault;
use crate::engine::io::model::IoModel;
use crate::engine::io::workload::IoSource;
use crate::engine::model::Model;
use crate::engine::query::encode_component;

#[derive(Clone, Debug, PartialEq)]
pub struct FormFields {
    pub workload: WorkloadKind,
    pub from: String,
    pub to: String,
    pub base: String,
    pub count: String,
    pub source: IoSource,
    pub url: String,
    pub requests: String,
    pub latency_ms: String,
    pub bytes: String,
    pub timeout_ms: String,
    /// Each family keeps its own choice, so switching workloads loses nothing.
    pub cpu_models: Vec<CpuModel>,
    pub io_models: Vec<IoModel>,
    pub threads: String,
    pub concurrency: String,
    pub repeat: String,
    pub warmup: String,
    pub autorun: bool,
    /// Run the parallel CPU models at every thread count too.
    pub sweep: bool,
    /// The compact layout for an iframe: kept from the link, not edited.
    pub embed: bool,
    /// A fault injected for tests: kept from the link, not edited.
    pub fault: Option<Fault>,
}

impl FormFields {
    pub fn from_config(config: &Config) -> Self {
        Self {
            workload: config.kind,
            from: config.sieve_from.to_string(),
            to: config.sieve_to.to_string(),
            base: config.squares_base.to_string(),
            count: config.squares_count.to_string(),
            source: config.io.source,
            url: config.io.url.clone(),
            requests: config.io.requests.to_string(),
            latency_ms: config.io.latency_ms.to_string(),
            bytes: config.io.bytes.to_string(),
            timeout_ms: config.io.timeout_ms.to_string(),
            cpu_models: config.cpu_models.clone(),
            io_models: config.io_models.clone(),
            threads: config.threads.to_string(),
            concurrency: config.concurrency.to_string(),
            repeat: config.repeat.to_string(),
            warmup: config.warmup.to_string(),
            autorun: config.autorun,
            sweep: config.sweep,
            embed: config.embed,
            fault: config.fault,
        }
    }

    /// Every field as a query; only the chosen family's models are named
    /// (the parser reads `models=` in the family of `workload=`).
    pub fn to_query(&self) -> String {
        let models: Vec<&str> = match self.workload {
            WorkloadKind::Io => self.io_models.iter().map(|m| m.id()).collect(),
            _ => self.cpu_models.iter().map(|m| m.id()).collect(),
        };
        let models = models.join(",");
        let fault = self.fault.map_or("", Fault::id);
        let pairs: [(&str, &str); 21] = [
            ("workload", self.workload.id()),
            ("from", &self.from),
            ("to", &self.to),
            ("base", &self.base),
            ("count", &self.count),
            ("source", self.source.id()),
            ("url", &self.url),
            ("requests", &self.requests),
            ("latency_ms", &self.latency_ms),
            ("bytes", &self.bytes),
            ("timeout_ms", &self.timeout_ms),
            ("models", &models),
            ("threads", &self.threads),
            ("concurrency", &self.concurrency),
            ("repeat", &self.repeat),
            ("warmup", &self.warmup),
            ("autorun", if self.autorun { "1" } else { "0" }),
            ("sweep", if self.sweep { "1" } else { "0" }),
            ("embed", if self.embed { "1" } else { "0" }),
            ("fault", fault),
            ("", ""),
        ];
        pairs
            .iter()
            .filter(|(key, _)| !key.is_empty())
            .map(|(key, value)| format!("{key}={}", encode_component(value)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// Chooses another workload. Runs per model follow the new workload's
    /// defaults unless the user changed them: five runs of a 16 s IO
    /// comparison would surprise anyone who only switched the workload.
    pub fn switch_workload(&mut self, kind: WorkloadKind) {
        let (old_repeat, old_warmup) = self.workload.default_repeat_and_warmup();
        let (new_repeat, new_warmup) = kind.default_repeat_and_warmup();
        if self.repeat == old_repeat.to_string() && self.warmup == old_warmup.to_string() {
            self.repeat = new_repeat.to_string();
            self.warmup = new_warmup.to_string();
        }
        self.workload = kind;
    }

    pub fn has_model(&self, model: Model) -> bool {
        match model {
            Model::Cpu(cpu) => self.cpu_models.contains(&cpu),
            Model::Io(io) => self.io_models.contains(&io),
        }
    }

    /// Adds or removes a model, keeping the family's canonical order.
    pub fn set_model(&mut self, model: Model, chosen: bool) {
        fn set<M: Copy + Ord>(list: &mut Vec<M>, model: M, chosen: bool) {
            list.retain(|m| *m != model);
            if chosen {
                list.push(model);
                list.sort();
            }
        }
        match model {
            Model::Cpu(cpu) => set(&mut self.cpu_models, cpu, chosen),
            Model::Io(io) => set(&mut self.io_models, io, chosen),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(query: &str) -> FormFields {
        FormFields::from_config(&Config::parse(query, 2).0)
    }

    #[test]
    fn the_form_query_parses_to_the_config_it_came_from() {
        for query in [
            "workload=sieve&from=10&to=20&models=rayon,seq&threads=1&repeat=2&sweep=1&fault=oom",
            "workload=io&source=url&url=https%3A%2F%2Fhttpbin.org%2Fip&models=threads&concurrency=3&autorun=1",
        ] {
            let (config, _) = Config::parse(query, 2);
            let (again, messages) = Config::parse(&FormFields::from_config(&config).to_query(), 2);
            assert_eq!(messages, vec![], "{query}");
            assert_eq!(again, config, "{query}");
        }
    }

    #[test]
    fn switching_workload_moves_untouched_runs_to_the_new_defaults() {
        let mut form = fields("workload=sieve");
        form.switch_workload(WorkloadKind::Io);
        assert_eq!((form.repeat.as_str(), form.warmup.as_str()), ("1", "0"));
        form.switch_workload(WorkloadKind::Squares);
        assert_eq!((form.repeat.as_str(), form.warmup.as_str()), ("5", "1"));
        let mut typed = fields("workload=sieve&repeat=3");
        typed.switch_workload(WorkloadKind::Io);
        assert_eq!((typed.repeat.as_str(), typed.warmup.as_str()), ("3", "1"), "what the user typed stays");
    }

    #[test]
    fn each_family_keeps_its_own_models() {
        let mut form = fields("workload=io&models=all");
        form.set_model(Model::Io(IoModel::Seq), true);
        form.set_model(Model::Cpu(CpuModel::Main), false);
        assert_eq!(form.io_models, vec![IoModel::Seq, IoModel::All]);
        assert_eq!(form.cpu_models, vec![CpuModel::Seq, CpuModel::Rayon, CpuModel::Workers]);
        assert!(form.to_query().contains("models=seq,all&"));
        form.switch_workload(WorkloadKind::Sieve);
        assert!(form.to_query().contains("models=seq,rayon,workers&"));
    }
}
