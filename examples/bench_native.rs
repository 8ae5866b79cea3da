//! Native throughput of the benchmark workload (n = 200, sigmoid, full batch), for
//! `make bench`: for each `h:steps` argument (default 4:4000 16:1000 64:250), a warm-up of
//! `steps` steps, then `--rounds` rounds (default 7) of `steps` steps each; prints one JSON line
//! per h with the median examples per CPU-second of this thread (per wall-clock second where
//! the system does not tell the thread's CPU time) and the loss after the last step, so the
//! loss can be compared with the browser's, which runs the same number of steps.

use backprop_lab::benchmark::Workload;
use std::time::Instant;

const COUNT: usize = 200;

fn main() {
    let mut rounds = 7;
    let mut sizes = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--rounds" {
            rounds = args.next().and_then(|r| r.parse().ok()).unwrap_or(0);
        } else if let Some((hidden, steps)) = arg.split_once(':') {
            match (hidden.parse::<usize>(), steps.parse::<u64>()) {
                (Ok(hidden), Ok(steps)) => sizes.push((hidden, steps)),
                _ => fail(&format!("not h:steps: {arg}")),
            }
        } else {
            fail(&format!(
                "unknown argument {arg}; usage: bench_native [--rounds R] [h:steps ...]"
            ));
        }
    }
    if rounds == 0 {
        fail("--rounds needs a whole number above 0");
    }
    if sizes.is_empty() {
        sizes = vec![(4, 4000), (16, 1000), (64, 250)];
    }
    for (hidden, steps) in sizes {
        let mut workload =
            Workload::new(hidden, COUNT).unwrap_or_else(|error| fail(&error.to_string()));
        workload.run(steps); // warm up
        let mut rates = Vec::new();
        let mut loss = f64::NAN;
        for _ in 0..rounds {
            let (started, cpu) = (Instant::now(), thread_cpu_seconds());
            loss = workload.run(steps);
            let seconds = match (cpu, thread_cpu_seconds()) {
                (Some(before), Some(after)) => after - before,
                _ => started.elapsed().as_secs_f64(),
            };
            rates.push(steps as f64 * COUNT as f64 / seconds);
        }
        rates.sort_by(f64::total_cmp);
        let median = rates[rates.len() / 2];
        println!(
            "{{\"hidden\": {hidden}, \"count\": {COUNT}, \"steps\": {}, \"examplesPerSecond\": {median:.0}, \"loss\": {loss}}}",
            steps * (rounds + 1)
        );
    }
}

/// This thread's CPU time (Linux: the first field of /proc/thread-self/schedstat, in ns).
fn thread_cpu_seconds() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanoseconds: f64 = text.split_whitespace().next()?.parse().ok()?;
    Some(nanoseconds / 1e9)
}

fn fail(message: &str) -> ! {
    eprintln!("{message}");
    std::process::exit(1);
}
