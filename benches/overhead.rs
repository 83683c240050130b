//! Placeholder replaced by the per-call overhead benchmark.
fn main() {}
