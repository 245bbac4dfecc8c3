//! Build script: cuts the model-code regions (`// [model-code: …]` to
//! `// [/model-code]`) out of the sources the model cards quote
//! (`ui/model_code.rs`), so the wasm carries those few kilobytes and not
//! the five whole files (44 KB that the page never showed). It copies the
//! marker lines with the regions, so the card code parses what it always
//! parsed. Lives in src/ (Cargo.toml `build`): the top level is fixed.

use std::path::Path;

/// The quoted files, relative to src/; `ui/model_code.rs` includes the
/// cut-down copies in the same order.
const QUOTED: [&str; 6] = [
    "engine/cpu/run.rs",
    "engine/cpu/gil.rs",
    "engine/cpu/worker_instances.rs",
    "engine/io/run.rs",
    "engine/io/worker_instances.rs",
    "browser/executor.rs",
];

fn main() {
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    for (index, relative) in QUOTED.iter().enumerate() {
        let path = Path::new("src").join(relative);
        println!("cargo:rerun-if-changed={}", path.display());
        let source = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        let mut kept = String::new();
        let mut inside = false;
        for line in source.lines() {
            let trimmed = line.trim_start();
            if trimmed.starts_with("// [model-code:") {
                inside = true;
            }
            if inside {
                kept.push_str(line);
                kept.push('\n');
            }
            if trimmed.starts_with("// [/model-code]") {
                inside = false;
            }
        }
        std::fs::write(Path::new(&out).join(format!("model_code_{index}.rs.txt")), kept).expect("OUT_DIR is writable");
    }
    println!("cargo:rerun-if-changed=src/build.rs");
}
