//! Fuzz the connection-string parser (key=value and URI forms) and the
//! pgtc attribute parser: errors are fine, panics are not.
#![no_main]

use libfuzzer_sys::fuzz_target;

const ATTRS: [&str; 3] = ["PREFERRED_ACCESS", "AUTOCOMMIT", "TXN_ISOLATION"];

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(config) = pgtc::conninfo::parse(s) {
        let _ = config.redacted();
    }
    // parse_attr on a split of the input: "name=value" when there is an
    // '=', and the whole input as the value of each known attribute.
    if let Some((name, value)) = s.split_once('=') {
        let _ = pgtc::conninfo::parse_attr(name, value);
    } else {
        let _ = pgtc::conninfo::parse_attr(s, "");
    }
    for name in ATTRS {
        let _ = pgtc::conninfo::parse_attr(name, s);
    }
});
