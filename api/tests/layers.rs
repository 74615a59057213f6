//! The domain modules of `api/src` form layers: a module may use the ones
//! below it, never one above or beside it in a circle (docs/architecture.md).

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Domain modules, top layer first. Modules of one layer must not use each other.
const LAYERS: &[&[&str]] = &[
    &["payments", "integrations", "reviews", "events", "stats", "privacy"],
    &["funding"],
    &["registry"],
    &["applications"],
    &["catalog"],
    &["organizations", "children", "spot_alerts"],
    &["places", "accounts", "ledger", "documents", "studies"],
    &["consents"],
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level modules a source text names as `crate::x` or in `use crate::{x, …}`.
fn used_modules(text: &str) -> BTreeSet<String> {
    let ident = |s: &str| s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect::<String>();
    let mut used = BTreeSet::new();
    for (at, _) in text.match_indices("crate::") {
        let rest = &text[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let inner = &group[..group.find('}').unwrap_or(group.len())];
            for item in inner.split(',') {
                used.insert(ident(item.trim()));
            }
        } else {
            used.insert(ident(rest));
        }
    }
    used
}

#[test]
fn domain_modules_use_only_the_layers_below_them() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let layer_of: BTreeMap<&str, usize> =
        LAYERS.iter().enumerate().flat_map(|(i, layer)| layer.iter().map(move |m| (*m, i))).collect();
    let mut wrong = Vec::new();
    for (module, layer) in &layer_of {
        let dir = src.join(module);
        let mut files = Vec::new();
        if dir.is_dir() {
            rust_files(&dir, &mut files);
        } else {
            files.push(src.join(format!("{module}.rs")));
        }
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            for used in used_modules(&text) {
                if let Some(&other) = layer_of.get(used.as_str())
                    && used != *module
                    && other <= *layer
                {
                    wrong.push(format!("{} uses {used}", file.strip_prefix(&src).unwrap().display()));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "a module uses one of its own layer or above:\n{}", wrong.join("\n"));
}

#[test]
fn every_domain_module_has_a_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let shared = [
        "audit",
        "auth",
        "calendar",
        "clock",
        "config",
        "crypto",
        "db",
        "demo",
        "error",
        "guard",
        "headers",
        "health",
        "idempotency",
        "notifications",
        "openapi",
        "reference",
        "spa",
        "webhooks",
    ];
    let layered: BTreeSet<&str> = LAYERS.iter().flat_map(|l| l.iter().copied()).collect();
    let unplaced: Vec<&str> = lib
        .lines()
        .filter_map(|line| line.strip_prefix("pub mod ")?.strip_suffix(';'))
        .filter(|m| !layered.contains(m) && !shared.contains(m))
        .collect();
    assert!(unplaced.is_empty(), "place these modules in LAYERS or among the shared services: {unplaced:?}");
}
