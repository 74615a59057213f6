//! Fingerprints each backend's migrations folder, so that a test template
//! built from one set of migrations is never taken for another.

use std::path::{Path, PathBuf};

fn main() {
    for (backend, variable) in
        [("postgres", "NAVIGATOR_POSTGRES_MIGRATIONS"), ("sqlite", "NAVIGATOR_SQLITE_MIGRATIONS")]
    {
        // Relative to the package's folder, where build scripts run: an
        // absolute path through `..` makes cargo see a change on every build.
        let dir = format!("../migrations/{backend}");
        println!("cargo:rerun-if-changed={dir}");
        let dir = Path::new(&dir);
        let mut files = Vec::new();
        collect(dir, &mut files);
        files.sort();
        let mut hash = Fnv::default();
        for file in files {
            let relative = file.strip_prefix(dir).unwrap_or(&file).to_string_lossy().replace('\\', "/");
            hash.write(relative.as_bytes());
            hash.write(&[0]);
            hash.write(&std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display())));
            hash.write(&[0]);
        }
        println!("cargo:rustc-env={variable}={:016x}", hash.0);
    }
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.unwrap_or_else(|e| panic!("{}: {e}", dir.display())).path();
        if path.is_dir() {
            collect(&path, files);
        } else {
            files.push(path);
        }
    }
}

/// FNV-1a, 64 bits: stable across toolchains (unlike `DefaultHasher`) and
/// enough to tell one set of migrations from another without a dependency.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = (self.0 ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}
