//! Statement counters: the one list of what pgtc counts, shared by the
//! session (which bumps them), the Rust API (`Session::counters`,
//! `process_counters`) and the C ABI (`pgtc_counter`, `pgtc_conn_counter`,
//! `pgtc_process_counter`).

use std::sync::atomic::{AtomicU64, Ordering};

/// Counters of `pgtc_conn_counter` and `pgtc_process_counter`. The values
/// are stable; pass them as integers.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counter {
    /// Statements that ran on the primary.
    Primary = 0,
    /// Statements that ran on the standby.
    Secondary = 1,
    /// Statements applied to both servers (session settings).
    Both = 2,
    /// Statements the standby refused (as a write, or it was lost) that
    /// pgtc re-ran on the primary.
    Misroutes = 3,
    /// Reads kept on the primary because the standby had not yet replayed
    /// the session's last write.
    FloorKept = 4,
}

impl Counter {
    /// Every counter, in value order (`ALL[c as usize] == c`).
    pub const ALL: [Counter; 5] = [
        Counter::Primary,
        Counter::Secondary,
        Counter::Both,
        Counter::Misroutes,
        Counter::FloorKept,
    ];

    /// The counter with this value, if there is one.
    pub fn from_u32(value: u32) -> Option<Counter> {
        Counter::ALL.get(value as usize).copied()
    }
}

/// Statement counters, per session (`Session::counters`) and for the whole
/// process (`process_counters`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counters {
    /// Statements that ran on the primary.
    pub primary: u64,
    /// Statements that ran on the standby.
    pub standby: u64,
    /// Statements applied to both (session settings).
    pub both: u64,
    /// Statements the standby refused as writes (or lost) that were re-run on the primary.
    pub misroutes: u64,
    /// Reads kept on the primary because the standby had not replayed the floor.
    pub floor_kept: u64,
}

impl Counters {
    fn slot(&mut self, c: Counter) -> &mut u64 {
        match c {
            Counter::Primary => &mut self.primary,
            Counter::Secondary => &mut self.standby,
            Counter::Both => &mut self.both,
            Counter::Misroutes => &mut self.misroutes,
            Counter::FloorKept => &mut self.floor_kept,
        }
    }

    /// The value of one counter.
    pub fn get(&self, c: Counter) -> u64 {
        let mut copy = *self;
        *copy.slot(c)
    }

    /// Count one more `c` here and in the process-wide totals.
    pub(crate) fn add(&mut self, c: Counter) {
        *self.slot(c) += 1;
        PROCESS[c as usize].fetch_add(1, Ordering::Relaxed);
    }
}

/// The process-wide counters, indexed by `Counter` value.
static PROCESS: [AtomicU64; Counter::ALL.len()] = [const { AtomicU64::new(0) }; Counter::ALL.len()];

/// The counters summed over every session of this process.
pub fn process_counters() -> Counters {
    let mut total = Counters::default();
    for c in Counter::ALL {
        *total.slot(c) = PROCESS[c as usize].load(Ordering::Relaxed);
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_index_the_list_and_get_reads_the_matching_field() {
        for (i, c) in Counter::ALL.into_iter().enumerate() {
            assert_eq!(c as usize, i);
            assert_eq!(Counter::from_u32(i as u32), Some(c));
            let mut one = Counters::default();
            *one.slot(c) = 7;
            assert_eq!(one.get(c), 7);
            let others: u64 = Counter::ALL.iter().map(|&o| one.get(o)).sum();
            assert_eq!(others, 7, "{:?} shares a field", c);
        }
        assert_eq!(Counter::from_u32(Counter::ALL.len() as u32), None);
    }
}
