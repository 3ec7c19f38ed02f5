//! Certificates at scale (issue 16): shards partition a grid and merge back into the whole;
//! merge refuses certificates that do not fit together; a killed run resumes to the same
//! certificate; the GNU parallel and Slurm recipes of docs/scale.md run as written.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::common::bestofn;
use serde_json::Value as Json;

use crate::common::Scratch;

pub(crate) fn read(path: &str) -> Json {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).to_string()
}

/// A grid with counterexamples: the literature's exact KL formula fails on most cases.
pub(crate) const FAILING: &[&str] = &[
    "--claim",
    "bon-kl-formula-exact",
    "--k",
    "2..3",
    "--den",
    "6",
    "--n",
    "1..3",
];

fn exhaust(grid: &[&str], extra: &[&str]) -> Output {
    bestofn(&[&["exhaust"][..], grid, extra].concat())
}

#[test]
fn shards_merge_into_the_whole_grid_whatever_the_jobs() {
    let s = Scratch::new("merge");
    let whole = exhaust(FAILING, &["--certificate", &s.path("whole.json")]);
    assert_eq!(whole.status.code(), Some(1), "{}", stderr(&whole));
    let mut shards = Vec::new();
    for i in 1..=3 {
        let path = s.path(&format!("s{i}.json"));
        let out = exhaust(
            FAILING,
            &[
                "--shard",
                &format!("{i}/3"),
                "--certificate",
                &path,
                "--jobs",
                "1",
            ],
        );
        assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
        shards.push(path);
    }
    // Independent of --jobs: shard 2 with two threads has the same checksum.
    let again = s.path("s2-again.json");
    exhaust(
        FAILING,
        &["--shard", "2/3", "--certificate", &again, "--jobs", "2"],
    );
    assert_eq!(read(&again)["checksum"], read(&shards[1])["checksum"]);
    // The ranges partition the grid.
    let whole_cert = read(&s.path("whole.json"));
    let cases = whole_cert["grid"]["cases"].as_u64().unwrap();
    let mut next = 0;
    for path in &shards {
        let r = &read(path)["ranges"][0];
        assert_eq!(r[0].as_u64().unwrap(), next);
        next = r[1].as_u64().unwrap();
    }
    assert_eq!(next, cases);
    // Merged in any order, the counts and the counterexamples are the whole grid's.
    let merged = s.path("merged.json");
    let md = s.path("merged.md");
    let out = bestofn(&[
        "merge",
        &shards[2],
        &shards[0],
        &shards[1],
        "-o",
        &merged,
        "--markdown",
        &md,
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let merged = read(&merged);
    assert_eq!(merged["counts"], whole_cert["counts"]);
    assert_eq!(merged["counterexamples"], whole_cert["counterexamples"]);
    assert_eq!(merged["grid_hash"], whole_cert["grid_hash"]);
    assert!(merged["counts"]["fails"].as_u64().unwrap() > 0);
    let statement = std::fs::read_to_string(&md).unwrap();
    assert!(
        statement.contains("**The claim fails**") && statement.contains(&format!("{cases} cases")),
        "{statement}"
    );
    // Every recorded counterexample is re-checkable from the certificate alone.
    let out = bestofn(&["recheck", &s.path("whole.json")]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        text.matches("CONFIRMED").count() as u64,
        whole_cert["counts"]["fails"].as_u64().unwrap()
    );
}

#[test]
fn merge_and_shard_refuse_what_does_not_fit() {
    let s = Scratch::new("refuse");
    let grid = [
        "--claim",
        "bon-winrate-le",
        "--k",
        "2..3",
        "--den",
        "8",
        "--n",
        "1..4",
    ];
    let cert = |name: &str, extra: &[&str]| {
        let path = s.path(name);
        let out = exhaust(&grid, &[extra, &["--certificate", &path]].concat());
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        path
    };
    let a = cert("a.json", &["--shard", "1/3"]);
    let b = cert("b.json", &["--shard", "2/3"]);
    let c = cert("c.json", &["--shard", "3/3"]);
    let half = cert("half.json", &["--shard", "1/2"]);
    let other_grid = s.path("other.json");
    exhaust(
        &[
            "--claim",
            "bon-winrate-le",
            "--k",
            "2..3",
            "--den",
            "9",
            "--n",
            "1..4",
        ],
        &["--shard", "2/3", "--certificate", &other_grid],
    );
    let other_claim = s.path("claim.json");
    exhaust(
        &[
            "--claim",
            "bon-kl-le-log-n",
            "--k",
            "2..3",
            "--den",
            "8",
            "--n",
            "1..4",
        ],
        &["--shard", "2/3", "--certificate", &other_claim],
    );
    // Another version: edit the version and recompute the checksum, as a real one would have.
    let mut old = read(&b);
    old["bestofn_version"] = serde_json::json!("0.0.9");
    old["checksum"] = serde_json::json!(bestofn::report::certificate::checksum(&old));
    let old_version = s.path("old.json");
    std::fs::write(&old_version, old.to_string()).unwrap();
    // Edited counts (checksum not recomputed) and a truncated file.
    let edited = s.path("edited.json");
    let text = std::fs::read_to_string(&b).unwrap();
    let holds = read(&b)["counts"]["holds"].as_u64().unwrap();
    std::fs::write(
        &edited,
        text.replacen(
            &format!("\"holds\": {holds}"),
            &format!("\"holds\": {}", holds + 1),
            1,
        ),
    )
    .unwrap();
    let truncated = s.path("truncated.json");
    std::fs::write(&truncated, &text[..text.len() / 2]).unwrap();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["merge", &a, &c], "are in no certificate"),
        (vec!["merge", &a, &b], "are in no certificate"),
        (vec!["merge", &a, &b, &b, &c], "overlaps"),
        (vec!["merge", &half, &b, &c], "overlaps"),
        (vec!["merge", &a, &other_grid, &c], "different grids"),
        (vec!["merge", &a, &other_claim, &c], "different claims"),
        (
            vec!["merge", &a, &old_version, &c],
            "different bestofn versions",
        ),
        (vec!["merge", &a, &edited, &c], "edited or corrupted"),
        (vec!["merge", &a, &truncated, &c], "truncated"),
        (vec!["merge", "/nonexistent-bestofn/x.json"], "cannot read"),
        (
            vec!["exhaust", "--claim", "bon-winrate-le", "--shard", "0/3"],
            "I = 0",
        ),
        (
            vec!["exhaust", "--claim", "bon-winrate-le", "--shard", "4/3"],
            "I > N",
        ),
        (
            vec!["exhaust", "--claim", "bon-winrate-le", "--shard", "1/0"],
            "N = 0",
        ),
        (
            vec!["exhaust", "--claim", "bon-winrate-le", "--shard", "two"],
            "not I/N",
        ),
        (
            vec![
                "exhaust",
                "--claim",
                "bon-winrate-le",
                "--certificate",
                "/nonexistent-bestofn/c.json",
            ],
            "does not exist",
        ),
    ];
    let mut failures = Vec::new();
    for (args, needle) in &cases {
        let out = bestofn(args);
        let err = stderr(&out);
        if out.status.code() != Some(2)
            || !err.contains(needle)
            || err.trim_end().lines().count() != 1
        {
            failures.push(format!(
                "{args:?}: exit {:?}, stderr: {err}",
                out.status.code()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The three shards fit.
    let out = bestofn(&["merge", &c, &a, &b]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("**The claim holds on all"));
}

#[test]
fn a_killed_run_resumes_to_the_same_certificate() {
    let s = Scratch::new("resume");
    let grid = [
        "--claim",
        "bon-kl-gap-bound",
        "--k",
        "2..4",
        "--den",
        "8",
        "--n",
        "1..8",
        "--m",
        "1..2",
        "--jobs",
        "1",
    ];
    let whole = s.path("whole.json");
    let out = exhaust(&grid, &["--certificate", &whole]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let checkpoint = s.path("ckpt.json");
    let resumed = s.path("resumed.json");
    let mut child = Command::new(env!("CARGO_BIN_EXE_bestofn"))
        .args(
            [
                &["exhaust"][..],
                &grid,
                &[
                    "--checkpoint",
                    &checkpoint,
                    "--checkpoint-every",
                    "0",
                    "--certificate",
                    &resumed,
                ],
            ]
            .concat(),
        )
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Kill as soon as a checkpoint shows partial progress.
    let start = Instant::now();
    let mut killed_at = None;
    while start.elapsed() < Duration::from_secs(120) {
        if let Ok(text) = std::fs::read_to_string(&checkpoint) {
            if let Ok(v) = serde_json::from_str::<Json>(&text) {
                if v["complete"] == serde_json::json!(false) {
                    child.kill().unwrap();
                    killed_at = v["next"].as_u64();
                    break;
                }
            }
        }
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait().unwrap();
    let killed_at =
        killed_at.expect("the run was killed half way (it finished before a checkpoint)");
    assert!(killed_at > 0);
    assert!(
        !Path::new(&resumed).exists(),
        "the killed run wrote its certificate"
    );
    let out = exhaust(
        &grid,
        &["--checkpoint", &checkpoint, "--certificate", &resumed],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!("resuming from {checkpoint} at case {killed_at}")),
        "{}",
        stderr(&out)
    );
    assert_eq!(read(&resumed)["checksum"], read(&whole)["checksum"]);
    assert_eq!(read(&resumed)["counts"], read(&whole)["counts"]);
    // A checkpoint of another grid is refused, not silently reused.
    let other = exhaust(
        &[
            "--claim",
            "bon-kl-gap-bound",
            "--k",
            "2..3",
            "--den",
            "8",
            "--n",
            "1..8",
        ],
        &["--checkpoint", &checkpoint],
    );
    assert_eq!(other.status.code(), Some(2));
    assert!(stderr(&other).contains("another run"), "{}", stderr(&other));
}

/// The GNU parallel block of docs/scale.md, run as written (xargs -P when parallel is absent).
#[test]
fn the_gnu_parallel_recipe_of_the_docs_runs_with_local_processes() {
    let s = Scratch::new("parallel");
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/scale.md")).unwrap();
    let section = doc.split("## GNU parallel").nth(1).unwrap();
    let block = section
        .split("```sh\n")
        .nth(1)
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    let have_parallel = Command::new("sh")
        .args(["-c", "command -v parallel"])
        .output()
        .unwrap()
        .status
        .success();
    let script = if have_parallel {
        block.to_string()
    } else {
        block.replace(
            "parallel -j 3 bestofn exhaust $GRID --jobs 1 --shard {}/3 --certificate cert-{}.json --checkpoint ckpt-{}.json ::: 1 2 3",
            "printf '%s\\n' 1 2 3 | xargs -P 3 -I{} sh -c \"bestofn exhaust $GRID --jobs 1 --shard {}/3 --certificate cert-{}.json --checkpoint ckpt-{}.json\"",
        )
    };
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_bestofn")).parent().unwrap();
    let out = Command::new("sh")
        .args(["-c", &script])
        .current_dir(s.dir())
        .env(
            "PATH",
            format!(
                "{}:{}",
                bin_dir.display(),
                std::env::var("PATH").unwrap_or_default()
            ),
        )
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        stderr(&out)
    );
    let merged = read(&s.path("grid.json"));
    assert_eq!(merged["merged_from"], serde_json::json!(3));
    assert_eq!(merged["counts"]["holds"], serde_json::json!(5984));
    let statement = std::fs::read_to_string(s.path("grid.md")).unwrap();
    assert!(
        statement.contains("**The claim holds on all 5984 applicable cases**"),
        "{statement}"
    );
}

/// `search --all --shard I/N` splits a trial range: the shards' tallies add up to the
/// unsharded run's, case for case.
#[test]
fn search_shards_split_a_trial_range() {
    let tally = |extra: &[&str]| -> Vec<u64> {
        let out = bestofn(
            &[
                &[
                    "search",
                    "--claim",
                    "bon-kl-formula-exact",
                    "--trials",
                    "600",
                    "--all",
                    "--seed",
                    "5",
                    "--json",
                ][..],
                extra,
            ]
            .concat(),
        );
        assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
        let v: Json = serde_json::from_slice(&out.stdout).unwrap();
        let t = &v["tallies"][0];
        ["holds", "fails", "undecided", "not_applicable"]
            .iter()
            .map(|k| t[*k].as_u64().unwrap())
            .chain([v["cases"].as_u64().unwrap()])
            .collect()
    };
    let whole = tally(&[]);
    let mut sum = vec![0; whole.len()];
    for i in 1..=4 {
        let part = tally(&["--shard", &format!("{i}/4")]);
        for (s, p) in sum.iter_mut().zip(part) {
            *s += p;
        }
    }
    assert_eq!(sum, whole);
    let out = bestofn(&[
        "search",
        "--claim",
        "bon-kl-formula-exact",
        "--shard",
        "1/4",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--trials"), "{}", stderr(&out));
}

/// `search --all --json` lists every counterexample it found, not just the first.
#[test]
fn search_all_json_lists_every_counterexample() {
    let out = bestofn(&[
        "search",
        "--claim",
        "bon-kl-formula-exact",
        "--trials",
        "300",
        "--all",
        "--seed",
        "2",
        "--json",
    ]);
    let v: Json = serde_json::from_slice(&out.stdout).unwrap();
    let fails = v["tallies"][0]["fails"].as_u64().unwrap();
    assert!(fails > 1);
    assert_eq!(v["found"].as_array().unwrap().len() as u64, fails);
    let indices: Vec<u64> = v["found"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["case_index"].as_u64().unwrap())
        .collect();
    assert!(indices.windows(2).all(|w| w[0] < w[1]), "in index order");
}

/// The ```sh block that follows `heading` in docs/scale.md (the `nth` one after it).
fn doc_block(heading: &str, nth: usize) -> String {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/scale.md")).unwrap();
    let section = doc.split(heading).nth(1).unwrap();
    section
        .split("```sh\n")
        .nth(nth)
        .unwrap()
        .split("```")
        .next()
        .unwrap()
        .to_string()
}

/// A single-node Slurm on localhost (controller and node), configured in a scratch directory
/// on free ports; shut down when dropped.
struct Slurm {
    conf: String,
    dir: std::path::PathBuf,
}

impl Slurm {
    /// Starts munged (if no daemon answers yet), slurmctld and slurmd; why not, if it cannot.
    fn start(dir: &Path) -> Result<Slurm, String> {
        let have = |tool: &str| {
            Command::new("sh")
                .args(["-c", &format!("command -v {tool}")])
                .output()
                .is_ok_and(|o| o.status.success())
        };
        for tool in ["munged", "slurmctld", "slurmd", "sbatch", "squeue"] {
            if !have(tool) {
                return Err(format!(
                    "{tool} is not installed (scripts/setup.sh installs slurm-wlm and munge)"
                ));
            }
        }
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } != 0 {
            return Err("a single-node Slurm with SlurmUser=root needs root".into());
        }
        let sh = |script: &str| {
            Command::new("sh")
                .args(["-c", script])
                .output()
                .map_err(|e| e.to_string())
        };
        let munge_up = || sh("munge -n | unmunge").is_ok_and(|o| o.status.success());
        if !munge_up() {
            sh("mkdir -p /run/munge /var/log/munge /var/lib/munge && chown munge:munge /run/munge /var/log/munge /var/lib/munge && su -s /bin/sh munge -c munged")?;
            std::thread::sleep(Duration::from_millis(500));
            if !munge_up() {
                return Err("munged does not answer (munge -n | unmunge fails)".into());
            }
        }
        let free_port = || {
            std::net::TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port()
        };
        let (ctld_port, slurmd_port) = (free_port(), free_port());
        let d = dir.display();
        for sub in ["state", "spool"] {
            std::fs::create_dir_all(dir.join(sub)).unwrap();
        }
        let conf = format!(
            "ClusterName=bestofn\nSlurmctldHost=localhost\nSlurmctldPort={ctld_port}\nSlurmdPort={slurmd_port}\n\
             SlurmUser=root\nSlurmdUser=root\nAuthType=auth/munge\nProctrackType=proctrack/linuxproc\n\
             TaskPlugin=task/none\nSelectType=select/cons_tres\nSelectTypeParameters=CR_CPU\nReturnToService=2\n\
             StateSaveLocation={d}/state\nSlurmdSpoolDir={d}/spool\nSlurmctldPidFile={d}/slurmctld.pid\n\
             SlurmdPidFile={d}/slurmd.pid\nSlurmctldLogFile={d}/slurmctld.log\nSlurmdLogFile={d}/slurmd.log\n\
             JobAcctGatherType=jobacct_gather/none\nAccountingStorageType=accounting_storage/none\nMpiDefault=none\n\
             SchedulerType=sched/backfill\nNodeName=localhost NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN\n\
             PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP\n"
        );
        let conf_path = dir.join("slurm.conf");
        std::fs::write(&conf_path, conf).unwrap();
        let slurm = Slurm {
            conf: conf_path.display().to_string(),
            dir: dir.to_path_buf(),
        };
        for daemon in [&["slurmctld"][..], &["slurmd", "-N", "localhost"]] {
            let out = Command::new(daemon[0])
                .args(&daemon[1..])
                .env("SLURM_CONF", &slurm.conf)
                .output()
                .map_err(|e| e.to_string())?;
            if !out.status.success() {
                return Err(format!("{} did not start: {}", daemon[0], stderr(&out)));
            }
        }
        // Wait for the node to come up idle.
        let start = Instant::now();
        loop {
            let out = slurm.command("sinfo", &["-h", "-o", "%T"]);
            if String::from_utf8_lossy(&out.stdout).trim() == "idle" {
                return Ok(slurm);
            }
            if start.elapsed() > Duration::from_secs(60) {
                return Err(format!(
                    "the node did not come up idle in 60 s: {}{}",
                    String::from_utf8_lossy(&out.stdout),
                    slurm.logs()
                ));
            }
            std::thread::sleep(Duration::from_millis(300));
        }
    }

    fn command(&self, tool: &str, args: &[&str]) -> Output {
        Command::new(tool)
            .args(args)
            .env("SLURM_CONF", &self.conf)
            .output()
            .unwrap()
    }

    fn logs(&self) -> String {
        ["slurmctld.log", "slurmd.log"]
            .iter()
            .map(|f| {
                let text = std::fs::read_to_string(self.dir.join(f)).unwrap_or_default();
                let tail: Vec<&str> = text.lines().rev().take(15).collect();
                format!(
                    "\n--- {f} (last lines) ---\n{}",
                    tail.into_iter().rev().collect::<Vec<_>>().join("\n")
                )
            })
            .collect()
    }
}

impl Drop for Slurm {
    fn drop(&mut self) {
        self.command("scontrol", &["shutdown"]);
        for pid_file in ["slurmd.pid", "slurmctld.pid"] {
            if let Ok(pid) = std::fs::read_to_string(self.dir.join(pid_file)) {
                if let Ok(pid) = pid.trim().parse::<i32>() {
                    // SAFETY: kill with a pid our daemons wrote; at worst ESRCH.
                    unsafe {
                        libc::kill(pid, libc::SIGTERM);
                    }
                }
            }
        }
    }
}

/// docs/scale.md's Slurm job-array script, submitted as written to a real single-node Slurm,
/// its shards merged by the dependent job of the docs, and the result compared with a
/// one-process run of the same grid. Where Slurm cannot run, the test says so in its output;
/// with BESTOFN_REQUIRE_SLURM set (as .ci/run does) it fails instead.
#[test]
fn the_slurm_recipe_of_the_docs_runs_on_a_real_slurm() {
    let s = Scratch::new("slurm");
    let slurm = match Slurm::start(&s.dir().join("slurm")) {
        Ok(slurm) => slurm,
        Err(why) if std::env::var_os("BESTOFN_REQUIRE_SLURM").is_none() => {
            println!("SLURM TEST NOT RUN: {why}");
            return;
        }
        Err(why) => panic!("BESTOFN_REQUIRE_SLURM is set, but Slurm cannot run here: {why}"),
    };
    let script = doc_block("## Slurm job array", 1);
    let merge_line = doc_block("## Slurm job array", 2);
    let work = s.dir().join("work");
    std::fs::create_dir_all(&work).unwrap();
    std::fs::write(work.join("grid.sbatch"), &script).unwrap();
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_bestofn")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let submit = |args: &[&str]| -> String {
        let out = Command::new("sbatch")
            .args(args)
            .current_dir(&work)
            .env("SLURM_CONF", &slurm.conf)
            .env("PATH", &path)
            .output()
            .unwrap();
        assert!(out.status.success(), "sbatch {args:?}: {}", stderr(&out));
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .split(';')
            .next()
            .unwrap()
            .to_string()
    };
    let array = submit(&["--parsable", "grid.sbatch"]);
    // The merge line of the docs, with the array's id and --parsable to read the job id.
    let merge_line = merge_line.trim().replace("<array job id>", &array);
    let wrap = merge_line
        .split_once("--wrap ")
        .map(|(_, w)| w.trim().trim_matches('\'').to_string())
        .unwrap();
    let dependency = format!("--dependency=afterany:{array}");
    assert!(merge_line.contains(&dependency), "{merge_line}");
    let merge = submit(&["--parsable", &dependency, "--wrap", &wrap]);
    let start = Instant::now();
    loop {
        let out = slurm.command("squeue", &["-h", "-j", &format!("{array},{merge}")]);
        if String::from_utf8_lossy(&out.stdout).trim().is_empty() {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(300),
            "the jobs did not finish in 300 s: {}{}",
            String::from_utf8_lossy(&out.stdout),
            slurm.logs()
        );
        std::thread::sleep(Duration::from_millis(500));
    }
    let outputs: String = std::fs::read_dir(&work)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with("slurm-"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
        .collect();
    let merged_path = work.join("grid.json");
    assert!(
        merged_path.exists(),
        "no grid.json; job outputs:\n{outputs}{}",
        slurm.logs()
    );
    let merged = read(merged_path.to_str().unwrap());
    assert_eq!(merged["merged_from"], serde_json::json!(4), "{outputs}");
    assert_eq!(
        merged["spot_check"]["per_certificate"],
        serde_json::json!(20)
    );
    // The same grid in one process.
    let grid = script
        .lines()
        .find_map(|l| l.strip_prefix("GRID=\""))
        .unwrap()
        .trim_end_matches('"');
    let whole = s.path("whole.json");
    let mut args: Vec<&str> = vec!["exhaust"];
    args.extend(grid.split(' '));
    args.extend(["--certificate", &whole]);
    let out = bestofn(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let whole = read(&whole);
    for key in [
        "grid_hash",
        "claim",
        "counts",
        "counterexamples",
        "undecided",
    ] {
        assert_eq!(merged[key], whole[key], "{key} differs");
    }
    let statement = std::fs::read_to_string(work.join("grid.md")).unwrap();
    assert!(
        statement.contains("**The claim holds on all 560 applicable cases**"),
        "{statement}"
    );
    println!(
        "Slurm: 4 array tasks and the merge job ran in {:.1} s",
        start.elapsed().as_secs_f64()
    );
}
