//! examples/pool.c — a pool shared by threads, pooled handles given back
//! both ways, the timeout, and the bad inputs (a foreign or unpooled
//! connection released, a pool freed with a connection out, POOL_MAX out
//! of range) — compiled as C with -Wall -Wextra -Werror against the
//! generated header and libpgtc.so, and run under valgrind (when
//! installed) against a real pair.

mod common;
use common::cprog::run_c_program;
use common::*;

#[test]
fn the_pool_example_passes_under_valgrind() {
    let c = Cluster::shared();
    run_c_program("examples/pool.c", &["-pthread"], &[&c.conninfo]);
}
