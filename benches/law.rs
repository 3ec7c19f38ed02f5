//! `cargo bench`: times the exact engine on the standard workloads (see `bestofn::bench`).
//! The same figures come from `bestofn bench`; whole-process times are best taken with
//! `hyperfine 'target/release/bestofn law --p 1/5,3/10,1/2 --reward log:6,1,2 --m 30 --n 1000 --summary'`.

fn main() {
    let repeat = 7;
    println!("exact law by type, --summary work, median of {repeat} runs");
    for workload in bestofn::bench::WORKLOADS {
        let timing = bestofn::bench::run(workload, repeat).expect("workloads are valid cases");
        let ms: Vec<String> = timing
            .runs
            .iter()
            .map(|d| format!("{:.1}", d.as_secs_f64() * 1e3))
            .collect();
        println!(
            "{:18} median {:>9.2} ms   runs [{}] ms",
            timing.name,
            timing.median().as_secs_f64() * 1e3,
            ms.join(", ")
        );
    }
}
