//! Replays every input of the fuzz corpus (`fuzz/corpus/<target>/`) through the same check its fuzz
//! target runs, so an input the fuzzer found (a crash included, once fixed) stays a regression test
//! without cargo-fuzz or a nightly compiler.
#![cfg(all(not(target_arch = "wasm32"), feature = "kino", feature = "openai"))]

#[path = "../../fuzz/checks.rs"]
mod checks;

use std::path::Path;

#[test]
fn every_corpus_input_passes_its_check() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus");
    let mut failures = Vec::new();
    for (target, check) in checks::CHECKS {
        let folder = corpus.join(target);
        let inputs: Vec<_> = std::fs::read_dir(&folder)
            .unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
            .map(|entry| entry.unwrap().path())
            .collect();
        assert!(
            inputs.len() >= 10,
            "{}: {} inputs; the corpus is seeded and minimised, never empty",
            folder.display(),
            inputs.len()
        );
        for input in inputs {
            let data = std::fs::read(&input).unwrap();
            if std::panic::catch_unwind(|| check(&data)).is_err() {
                failures.push(input.display().to_string());
            }
        }
    }
    assert!(failures.is_empty(), "failing inputs: {failures:#?}");
}
