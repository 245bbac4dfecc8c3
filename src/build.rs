//! Build script: cuts the model-code regions (`// [model-code: …]` to
//! `// [/model-code]`) out of the sources the model cards quote
//! (`ui/model_code.rs`), so the wasm carries those few kilobytes and not
//! the whole files (44 KB that the page never showed). It copies the
//! marker lines with the regions, so the card code parses what it always
//! parsed. Lives in src/ (Cargo.toml `build`): the top level is fixed.

use std::path::Path;

/// The quoted files, relative to src/, in the order a reader should see
/// their regions: the shapes, the task loop, the run, the GIL, what
/// instances run, then where the page puts them on threads.
const QUOTED: [&str; 7] = [
    "engine/task/shapes.rs",
    "engine/task/task_loop.rs",
    "engine/task/run.rs",
    "engine/cpu/gil.rs",
    "engine/task/chunks.rs",
    "engine/task/shares.rs",
    "browser/executor.rs",
];

fn main() {
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let mut kept = String::new();
    for relative in QUOTED {
        let path = Path::new("src").join(relative);
        println!("cargo:rerun-if-changed={}", path.display());
        let source = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
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
    }
    std::fs::write(Path::new(&out).join("model_code.rs.txt"), kept).expect("OUT_DIR is writable");
    println!("cargo:rerun-if-changed=src/build.rs");
}
