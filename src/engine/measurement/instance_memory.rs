//! Several wasm instances measured as one model, as memory_profiler's
//! `include_children` measures a process with its children: each worker
//! instance (CPU or IO `workers`) reports its own memory, and the model's
//! figures are the page's plus every instance's.

use super::probes::MemoryProbe;
use super::records::MemorySample;
use super::run_measurement::RunMeasurement;
use crate::sorting::sort_floats;
use serde::{Deserialize, Serialize};

/// One instance's memory at a moment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct InstanceMemory {
    pub wasm_memory_bytes: u64,
    pub live_heap_bytes: u64,
    pub peak_live_heap_bytes: u64,
}

impl InstanceMemory {
    pub fn read(memory: &dyn MemoryProbe) -> Self {
        Self {
            wasm_memory_bytes: memory.wasm_memory_bytes(),
            live_heap_bytes: memory.live_heap_bytes(),
            peak_live_heap_bytes: memory.peak_live_heap_bytes(),
        }
    }

    /// The heap peak this reading stands for: an instance that runs nothing
    /// more still holds its heap, even when its counter's peak was reset.
    pub fn peak_or_live_heap_bytes(&self) -> u64 {
        self.peak_live_heap_bytes.max(self.live_heap_bytes)
    }
}

/// What one worker instance reported over a run: its memory as its first
/// work began (as it stood, if it ran none), as it last reported, its heap
/// peak, and its samples. Each run shape adds its instance's replies here.
#[derive(Clone, Debug, PartialEq)]
pub struct InstanceReport {
    pub before: InstanceMemory,
    pub after: InstanceMemory,
    pub peak_live_heap_bytes: u64,
    pub samples: Vec<MemorySample>,
    reported: bool,
}

impl InstanceReport {
    /// An instance that has reported nothing yet, as it stands: it still
    /// holds its heap, so that is its peak until a reply says more.
    pub fn idle(memory: InstanceMemory) -> Self {
        Self {
            before: memory,
            after: memory,
            peak_live_heap_bytes: memory.peak_or_live_heap_bytes(),
            samples: Vec::new(),
            reported: false,
        }
    }

    /// One reply: the memory before its work (kept from the first reply),
    /// after it, and the samples it took.
    pub fn add(&mut self, before: InstanceMemory, after: InstanceMemory, samples: Vec<MemorySample>) {
        if !self.reported {
            self.before = before;
            self.reported = true;
        }
        self.after = after;
        self.peak_live_heap_bytes = self.peak_live_heap_bytes.max(after.peak_live_heap_bytes);
        self.samples.extend(samples);
    }
}

/// Adds the worker instances to a measurement taken on the page's instance,
/// as memory_profiler's `include_children` adds child processes: memory is
/// the page's plus every worker's. The peak is the sum of each instance's
/// peak, an upper bound (their peaks need not coincide). Memory samples are
/// re-summed at every moment any instance sampled, each instance counting
/// with its latest reading (or its `before` reading if it has none yet).
pub fn add_worker_instances(measurement: &mut RunMeasurement, reports: &[InstanceReport]) {
    let sum = |reading: fn(&InstanceReport) -> u64| reports.iter().map(reading).sum::<u64>();
    measurement.wasm_memory_bytes_before += sum(|r| r.before.wasm_memory_bytes);
    measurement.wasm_memory_bytes_after += sum(|r| r.after.wasm_memory_bytes);
    measurement.live_heap_bytes_before += sum(|r| r.before.live_heap_bytes);
    measurement.live_heap_bytes_after += sum(|r| r.after.live_heap_bytes);
    measurement.peak_live_heap_bytes += sum(|r| r.peak_live_heap_bytes);

    let page = std::mem::take(&mut measurement.memory_samples);
    let mut series: Vec<(MemorySample, &[MemorySample])> =
        vec![(page.first().copied().unwrap_or(MemorySample(0.0, 0, 0)), &page[..])];
    for report in reports {
        let initial = report.before;
        series.push((MemorySample(0.0, initial.wasm_memory_bytes, initial.live_heap_bytes), &report.samples[..]));
    }
    let mut times: Vec<f64> = series.iter().flat_map(|(_, s)| s.iter().map(|x| x.t_ms())).collect();
    sort_floats(&mut times);
    times.dedup();
    measurement.memory_samples = times
        .into_iter()
        .map(|t| {
            let (wasm, heap) = series.iter().fold((0, 0), |(wasm, heap), (initial, samples)| {
                let latest = samples.iter().take_while(|s| s.t_ms() <= t).last().unwrap_or(initial);
                (wasm + latest.wasm_memory_bytes(), heap + latest.live_heap_bytes())
            });
            MemorySample(t, wasm, heap)
        })
        .collect();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worker_memory_adds_to_the_page_and_samples_are_summed() {
        let mut measurement = RunMeasurement {
            elapsed_ms: 10.0,
            checksum: 0,
            tasks_done: 0,
            partial: false,
            threads_used: 2,
            wasm_memory_bytes_before: 100,
            wasm_memory_bytes_after: 100,
            live_heap_bytes_before: 10,
            live_heap_bytes_after: 10,
            peak_live_heap_bytes: 10,
            tasks: vec![],
            memory_samples: vec![MemorySample(0.0, 100, 10), MemorySample(10.0, 100, 10)],
            io: None,
            shape: Default::default(),
        };
        let before = InstanceMemory { wasm_memory_bytes: 1000, live_heap_bytes: 50, peak_live_heap_bytes: 50 };
        let after = InstanceMemory { wasm_memory_bytes: 2000, live_heap_bytes: 60, peak_live_heap_bytes: 90 };
        let mut first = InstanceReport::idle(before);
        first.add(before, after, vec![MemorySample(5.0, 2000, 80)]);
        let mut second = InstanceReport::idle(before);
        second.add(before, InstanceMemory { peak_live_heap_bytes: 70, ..after }, vec![]);
        add_worker_instances(&mut measurement, &[first, second]);
        assert_eq!(measurement.wasm_memory_bytes_before, 2100);
        assert_eq!(measurement.wasm_memory_bytes_after, 4100);
        assert_eq!(measurement.peak_live_heap_bytes, 170);
        assert_eq!(
            measurement.memory_samples,
            vec![MemorySample(0.0, 2100, 110), MemorySample(5.0, 3100, 140), MemorySample(10.0, 3100, 140),]
        );
    }

    #[test]
    fn a_report_keeps_the_first_before_the_last_after_and_the_highest_peak() {
        let reading = |heap: u64, peak: u64| InstanceMemory {
            wasm_memory_bytes: 1 << 20,
            live_heap_bytes: heap,
            peak_live_heap_bytes: peak,
        };
        let mut report = InstanceReport::idle(reading(40, 0));
        assert_eq!(report.peak_live_heap_bytes, 40, "an idle instance still holds its heap");
        report.add(reading(50, 50), reading(60, 300), vec![MemorySample(1.0, 1 << 20, 60)]);
        report.add(reading(60, 60), reading(70, 200), vec![MemorySample(2.0, 1 << 20, 70)]);
        assert_eq!(
            (report.before.live_heap_bytes, report.after.live_heap_bytes, report.peak_live_heap_bytes),
            (50, 70, 300)
        );
        assert_eq!(report.samples.len(), 2);
    }
}
