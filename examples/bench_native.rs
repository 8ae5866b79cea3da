//! Native throughput of the benchmark workload (h = 16, n = 200), for `make bench`:
//! prints one JSON line with examples per second.

use backprop_lab::benchmark::Workload;
use std::time::Instant;

fn main() {
    let (hidden, count) = (16, 200);
    let mut workload = match Workload::new(hidden, count) {
        Ok(workload) => workload,
        Err(error) => {
            eprintln!("{error}");
            std::process::exit(1);
        }
    };
    workload.run(200); // warm up
    let mut best = 0.0_f64;
    let mut loss = 0.0;
    for _ in 0..5 {
        let steps = 2_000;
        let started = Instant::now();
        loss = workload.run(steps);
        let seconds = started.elapsed().as_secs_f64();
        best = best.max(steps as f64 * count as f64 / seconds);
    }
    println!("{{\"examplesPerSecond\": {best:.0}, \"hidden\": {hidden}, \"count\": {count}, \"loss\": {loss}}}");
}
