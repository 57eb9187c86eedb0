//! tests/c/diagnostics.c — error fields, notices, notifications, several
//! results and column metadata through the C ABI — compiled as C with
//! -Wall -Wextra -Werror against the generated header and libpgtc.so, and
//! run under valgrind (when installed) against a real pair.

mod common;
use common::cprog::run_c_program;
use common::*;

#[test]
fn the_c_program_passes_under_valgrind() {
    let c = Cluster::shared();
    run_c_program(
        "tests/c/diagnostics.c",
        &[],
        &[&format!("{} PREFERRED_ACCESS=READ_MOSTLY", c.conninfo)],
    );
}
