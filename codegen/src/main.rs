//! `kinlink-codegen [--check] [--root DIR] OVERLAY...`: regenerates every output of each overlay
//! (contract, resolved contract, Rust), or with `--check` exits 1 listing what is stale.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut check = false;
    let mut root = PathBuf::from(".");
    let mut overlays = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--check" => check = true,
            "--root" => match args.next() {
                Some(dir) => root = PathBuf::from(dir),
                None => return usage("--root needs a directory"),
            },
            "-h" | "--help" => return usage(""),
            other if other.starts_with('-') => return usage(&format!("unknown option {other}")),
            other => overlays.push(PathBuf::from(other)),
        }
    }
    if overlays.is_empty() {
        return usage("name at least one overlay, e.g. contracts/kino.overlay.json");
    }
    let mut stale = Vec::new();
    for overlay in &overlays {
        match kinlink_codegen::run::run(&root, overlay, check) {
            Ok(report) => {
                for note in report.notes {
                    eprintln!("codegen: note: {note}");
                }
                if check {
                    stale.extend(report.changed);
                } else {
                    for line in report.changed {
                        eprintln!("codegen: {line}");
                    }
                }
            }
            Err(error) => {
                eprintln!("codegen: {}: {error}", overlay.display());
                return ExitCode::FAILURE;
            }
        }
    }
    if !stale.is_empty() {
        eprintln!("codegen: generated files are stale:");
        for line in &stale {
            eprintln!("  {line}");
        }
        eprintln!("codegen: run scripts/codegen and commit the result");
        return ExitCode::FAILURE;
    }
    if check {
        eprintln!("codegen: every generated file matches its contract");
    }
    ExitCode::SUCCESS
}

fn usage(problem: &str) -> ExitCode {
    if !problem.is_empty() {
        eprintln!("codegen: {problem}");
    }
    eprintln!("usage: kinlink-codegen [--check] [--root DIR] OVERLAY...");
    if problem.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    }
}
