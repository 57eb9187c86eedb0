//! Generates the C header `include/pgtc.h` from the Rust sources with
//! cbindgen. The header is checked in and reviewed; it is written only when
//! its content changes, so an unchanged build never touches it (CI checks
//! that the checked-in copy is current with `git diff --exit-code include/`).
//!
//! A failure to generate or write the header fails the build: a warning
//! would let a stale header pass.

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    let dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let mut config =
        cbindgen::Config::from_file(dir.join("cbindgen.toml")).expect("reading cbindgen.toml");
    // The version compiled against, for `#if` tests in C; pgtc_version()
    // gives the version of the library loaded at run time.
    let version = |part: &str| {
        std::env::var(format!("CARGO_PKG_VERSION_{}", part))
            .unwrap_or_else(|_| panic!("CARGO_PKG_VERSION_{} is not set", part))
    };
    config.after_includes = Some(format!(
        "\n/* The version of pgtc this header belongs to. */\n\
         #define PGTC_VERSION_MAJOR {}\n\
         #define PGTC_VERSION_MINOR {}\n\
         #define PGTC_VERSION_PATCH {}",
        version("MAJOR"),
        version("MINOR"),
        version("PATCH")
    ));
    let bindings = match cbindgen::Builder::new()
        .with_crate(&dir)
        .with_config(config)
        .generate()
    {
        Ok(b) => b,
        Err(e) => {
            eprintln!("cbindgen could not generate include/pgtc.h: {}", e);
            std::process::exit(1);
        }
    };
    let mut generated = Vec::new();
    bindings.write(&mut generated);
    let path = dir.join("include").join("pgtc.h");
    if std::fs::read(&path).ok().as_deref() != Some(&generated[..]) {
        if let Err(e) = std::fs::create_dir_all(dir.join("include"))
            .and_then(|_| std::fs::write(&path, &generated))
        {
            eprintln!("cannot write {}: {}", path.display(), e);
            std::process::exit(1);
        }
    }
}
