//! B5 classifier: nanoseconds per statement on a realistic mix.

use crate::*;
use std::hint::black_box;

/// A realistic statement mix for the classifier.
const MIX: &[&str] = &[
    "SELECT id, name, email FROM users WHERE id = $1",
    "SELECT * FROM orders WHERE customer_id = $1 AND status = 'open' ORDER BY created_at DESC LIMIT 20",
    "INSERT INTO events (kind, payload) VALUES ($1, $2)",
    "UPDATE accounts SET balance = balance - $1 WHERE id = $2",
    "BEGIN",
    "COMMIT",
    "/* app:checkout */ SELECT p.id, p.price FROM products p JOIN stock s ON s.product_id = p.id WHERE p.id = ANY($1)",
    "SELECT c.region, date_trunc('month', o.created_at) AS month, count(*) AS orders, sum(o.total) AS revenue, \
     avg(o.total) FILTER (WHERE o.total > 0) AS avg_positive FROM orders o JOIN customers c ON c.id = o.customer_id \
     WHERE o.created_at >= now() - interval '1 year' AND o.status IN ('paid', 'shipped', 'delivered') \
     GROUP BY 1, 2 HAVING count(*) > 10 ORDER BY 1, 2 -- monthly report",
    "SELECT * FROM jobs WHERE state = 'queued' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED",
    "WITH moved AS (DELETE FROM inbox WHERE id = $1 RETURNING *) INSERT INTO archive SELECT * FROM moved",
    "SET search_path = app, public",
    "SELECT 1; SELECT 2",
    "DELETE FROM sessions WHERE expires_at < now()",
    "SELECT $$it's a 'quoted' string with DELETE inside$$, E'\\'escaped\\''",
];

pub fn run() {
    let per_round = 20_000usize;
    let mut ns = Vec::new();
    for _ in 0..ROUNDS {
        let t = Instant::now();
        for i in 0..per_round {
            black_box(pgtc::classify::classify(black_box(MIX[i % MIX.len()])));
        }
        ns.push(t.elapsed().as_nanos() as f64 / per_round as f64);
    }
    let avg_len = MIX.iter().map(|s| s.len()).sum::<usize>() / MIX.len();
    println!(
        "\n### B5 classifier ({} statements, mean length {} bytes)\n",
        MIX.len(),
        avg_len
    );
    println!("| median ns per statement | target |");
    println!("|---:|---:|");
    println!("| {:.0} | ≤ 500 |", median(ns));
}
