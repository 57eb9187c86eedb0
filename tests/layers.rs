//! The core's modules form layers, and a module uses only the layers below
//! it (data flows one way, as in the design: ffi → session → route →
//! classify/balance/catalog facts, with wire underneath). This test reads
//! the sources and fails when a module reaches up.

use std::path::{Path, PathBuf};

/// pgtc's modules, lowest first. A module may use those before it.
const LAYERS: &[&str] = &[
    "result", "error", "attr", "conninfo", "counters", "classify", "balance", "floor", "wire",
    "catalog", "route", "monitor", "session", "pool", "ffi",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The top-level module a file under `src/` belongs to.
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (name != "lib").then(|| name.to_string())
}

/// The modules named right after `crate::`: `a::…` or `{a, b::…}` (a
/// group opened on this line).
fn used_modules(after: &str) -> Vec<String> {
    let ident = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    match after.strip_prefix('{') {
        Some(group) => {
            let mut depth = 0;
            let mut parts = vec![String::new()];
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => parts.push(String::new()),
                    _ => {}
                }
                if depth == 0 && c != ',' {
                    parts.last_mut().unwrap().push(c);
                }
            }
            parts
                .iter()
                .map(|p| ident(p))
                .filter(|p| !p.is_empty())
                .collect()
        }
        None => vec![ident(after)],
    }
}

#[test]
fn the_use_parser_sees_groups() {
    assert_eq!(used_modules("wire::Conn;"), vec!["wire"]);
    assert_eq!(
        used_modules("{balance::{self, Role}, wire::show_addr};"),
        vec!["balance", "wire"]
    );
}

#[test]
fn modules_use_only_the_layers_below_them() {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let rank = |m: &str| LAYERS.iter().position(|l| *l == m);
    let mut wrong = Vec::new();
    for f in &files {
        let Some(m) = module_of(&src, f) else {
            continue;
        };
        let mine = rank(&m)
            .unwrap_or_else(|| panic!("module {} ({}) is missing from LAYERS", m, f.display()));
        let text = std::fs::read_to_string(f).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for (i, _) in code.match_indices("crate::") {
                for used in used_modules(&code[i + 7..]) {
                    if rank(&used).is_some_and(|r| r > mine) {
                        wrong.push(format!(
                            "{}:{}: {} uses {}",
                            f.strip_prefix(&src).unwrap().display(),
                            n + 1,
                            m,
                            used
                        ));
                    }
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "modules reaching up a layer:\n{}",
        wrong.join("\n")
    );
}
