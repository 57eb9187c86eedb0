//! Generates the C header `include/pgtc.h` from the Rust sources with
//! cbindgen. The header is checked in and reviewed; it is written only when
//! its content changes, so an unchanged build never touches it (CI checks
//! that the checked-in copy is current with `git diff --exit-code include/`).

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    let dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let config =
        cbindgen::Config::from_file(dir.join("cbindgen.toml")).expect("reading cbindgen.toml");
    let bindings = match cbindgen::Builder::new()
        .with_crate(&dir)
        .with_config(config)
        .generate()
    {
        Ok(b) => b,
        Err(e) => {
            // A syntax error elsewhere shows up as a compile error with a
            // better message; do not fail the build here for it.
            println!(
                "cargo:warning=cbindgen could not generate include/pgtc.h: {}",
                e
            );
            return;
        }
    };
    let mut generated = Vec::new();
    bindings.write(&mut generated);
    let path = dir.join("include").join("pgtc.h");
    if std::fs::read(&path).ok().as_deref() != Some(&generated[..]) {
        if let Err(e) = std::fs::create_dir_all(dir.join("include"))
            .and_then(|_| std::fs::write(&path, &generated))
        {
            println!("cargo:warning=cannot write {}: {}", path.display(), e);
        }
    }
}
