//! Fuzz the SQL lexer/classifier: none of these may panic on any UTF-8 text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(sql) = std::str::from_utf8(data) else {
        return;
    };
    let _ = pgtc::classify::classify(sql);
    for (range, _facts) in pgtc::classify::statements(sql) {
        // The ranges must be slices of the text (panics otherwise).
        let _ = &sql[range];
    }
    pgtc::classify::function_calls(sql, |_| {});
    pgtc::classify::identifiers(sql, |_, _| {});
    let _ = pgtc::classify::redact(sql, 200);
});
