//! The form's state as typed: the raw text of every URL parameter (so a
//! half-typed number is never overwritten), kept in the parameter table's
//! order, and its query, which `Config::parse` turns into what runs. Plain
//! Rust, tested natively; the components in `controls` only bind fields to
//! inputs, and which fields there are comes from the table.

use crate::engine::configuration::config::{Config, WorkloadKind};
use crate::engine::configuration::parameters::PARAMETERS;
use crate::engine::configuration::query::encode_component;
use crate::engine::cpu::model::CpuModel;
use crate::engine::io::model::IoModel;
use crate::engine::io::workload::IoSource;
use crate::engine::model::{Item, Model};
use crate::sorting::sort_by;

#[derive(Clone, Debug, PartialEq)]
pub struct FormFields {
    /// The raw text of each parameter of `PARAMETERS`, in its order
    /// (`models` is written from the two lists below).
    values: Vec<String>,
    /// Each family keeps its own choice, so switching workloads loses
    /// nothing; an item keeps the `@k` its link gave it.
    pub cpu_models: Vec<Item<CpuModel>>,
    pub io_models: Vec<Item<IoModel>>,
}

impl FormFields {
    pub fn from_config(config: &Config) -> Self {
        Self {
            values: PARAMETERS.iter().map(|parameter| parameter.form_value(config)).collect(),
            cpu_models: config.cpu_models.clone(),
            io_models: config.io_models.clone(),
        }
    }

    fn index(name: &str) -> usize {
        PARAMETERS.iter().position(|parameter| parameter.name == name).unwrap_or_else(|| panic!("no parameter {name}"))
    }

    /// The raw text of parameter `name`.
    pub fn value(&self, name: &str) -> &str {
        &self.values[Self::index(name)]
    }

    pub fn set(&mut self, name: &str, value: String) {
        self.values[Self::index(name)] = value;
    }

    /// Sets parameter `name`'s text to what `config` runs with (the value
    /// the parser used in place of what was typed).
    pub fn show_value_used(&mut self, name: &str, config: &Config) {
        if let Some(parameter) = PARAMETERS.iter().find(|parameter| parameter.name == name && parameter.field.is_some())
        {
            self.set(name, parameter.form_value(config));
        }
    }

    /// A switch's state (`1` or `true` is on).
    pub fn flag(&self, name: &str) -> bool {
        matches!(self.value(name), "1" | "true")
    }

    pub fn set_flag(&mut self, name: &str, on: bool) {
        self.set(name, if on { "1" } else { "0" }.to_string());
    }

    /// The workload chosen (the sieve until a known one is).
    pub fn workload(&self) -> WorkloadKind {
        WorkloadKind::from_id(self.value("workload")).unwrap_or(WorkloadKind::Sieve)
    }

    pub fn source(&self) -> IoSource {
        IoSource::from_id(self.value("source")).unwrap_or(IoSource::Sim)
    }

    /// Every field as a query; only the chosen family's models are named
    /// (the parser reads `models=` in the family of `workload=`).
    pub fn to_query(&self) -> String {
        let models: Vec<String> = match self.workload() {
            WorkloadKind::Io | WorkloadKind::Mixed => {
                self.io_models.iter().map(|i| Item { model: Model::Io(i.model), k: i.k }.key()).collect()
            }
            _ => self.cpu_models.iter().map(|i| Item { model: Model::Cpu(i.model), k: i.k }.key()).collect(),
        };
        let models = models.join(",");
        PARAMETERS
            .iter()
            .zip(&self.values)
            .map(|(parameter, value)| {
                let value = if parameter.name == "models" { &models } else { value };
                format!("{}={}", parameter.name, encode_component(value))
            })
            .collect::<Vec<_>>()
            .join("&")
    }

    /// Chooses another workload. Runs per model follow the new workload's
    /// defaults unless the user changed them: five runs of a 16 s IO
    /// comparison would surprise anyone who only switched the workload.
    pub fn switch_workload(&mut self, kind: WorkloadKind) {
        let (old_repeat, old_warmup) = self.workload().default_repeat_and_warmup();
        let (new_repeat, new_warmup) = kind.default_repeat_and_warmup();
        if self.value("repeat") == old_repeat.to_string() && self.value("warmup") == old_warmup.to_string() {
            self.set("repeat", new_repeat.to_string());
            self.set("warmup", new_warmup.to_string());
        }
        self.set("workload", kind.id().to_string());
    }

    /// Whether any item of `model` is chosen.
    pub fn has_model(&self, model: Model) -> bool {
        match model {
            Model::Cpu(cpu) => self.cpu_models.iter().any(|item| item.model == cpu),
            Model::Io(io) => self.io_models.iter().any(|item| item.model == io),
        }
    }

    /// Adds a model (plain, in the family's canonical order) or removes
    /// every item of it.
    pub fn set_model(&mut self, model: Model, chosen: bool) {
        fn set<M: Copy + Ord>(list: &mut Vec<Item<M>>, model: M, chosen: bool) {
            if !chosen {
                list.retain(|item| item.model != model);
            } else if !list.iter().any(|item| item.model == model) {
                list.push(Item::plain(model));
                sort_by(list, Ord::cmp);
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
    fn a_field_shows_the_value_that_runs() {
        let mut form = fields("workload=io");
        form.set("requests", "abc".into());
        let (config, messages) = Config::parse(&form.to_query(), 2);
        assert_eq!(messages.iter().map(|m| m.field.as_str()).collect::<Vec<_>>(), vec!["requests"]);
        form.show_value_used("requests", &config);
        assert_eq!(form.value("requests"), config.io.requests.to_string());
        assert_eq!(Config::parse(&form.to_query(), 2).1, vec![], "nothing left to correct");
    }

    #[test]
    fn switching_workload_moves_untouched_runs_to_the_new_defaults() {
        let mut form = fields("workload=sieve");
        form.switch_workload(WorkloadKind::Io);
        assert_eq!((form.value("repeat"), form.value("warmup")), ("1", "0"));
        form.switch_workload(WorkloadKind::Squares);
        assert_eq!((form.value("repeat"), form.value("warmup")), ("5", "1"));
        let mut typed = fields("workload=sieve&repeat=3");
        typed.switch_workload(WorkloadKind::Io);
        assert_eq!((typed.value("repeat"), typed.value("warmup")), ("3", "1"), "what the user typed stays");
    }

    #[test]
    fn each_family_keeps_its_own_models() {
        let mut form = fields("workload=io&models=all");
        form.set_model(Model::Io(IoModel::Seq), true);
        form.set_model(Model::Cpu(CpuModel::Main), false);
        assert_eq!(form.io_models, vec![Item::plain(IoModel::Seq), Item::plain(IoModel::All)]);
        assert!(!form.has_model(Model::Cpu(CpuModel::Main)));
        assert!(form.to_query().contains("models=seq,all&"));
        form.switch_workload(WorkloadKind::Sieve);
        assert!(form.to_query().contains("models=seq,async_noawait,async,gil,rayon,workers,executor&"));
    }

    #[test]
    fn items_with_their_own_k_survive_the_form() {
        let mut form = fields("workload=io&models=threads@100,threads@6,procs&concurrency=4");
        assert!(form.to_query().contains("models=threads@100,threads@6,procs&"));
        form.set_model(Model::Io(IoModel::Threads), true);
        assert_eq!(form.io_models.len(), 3, "already chosen: nothing added");
        form.set_model(Model::Io(IoModel::Threads), false);
        assert_eq!(form.io_models, vec![Item::plain(IoModel::Procs)]);
    }
}
