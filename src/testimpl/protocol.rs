//! The line protocol with the implementation under test: a long-running child process that
//! reads one JSON request per line on stdin and writes one JSON response per line on stdout.
//! Like `report`, this module speaks JSON (to the child, not to the user).
//!
//! A child that cannot be started, exits, hangs past the timeout, or prints anything that is
//! not a JSON object answering the request is reported with the request that did it.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rug::Rational;
use serde_json::{json, Value as Json};

use crate::error::{InputError, Result};
use crate::testimpl::oracle::Oracle;

/// The program under test, running.
pub struct Implementation {
    command: Vec<String>,
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<std::io::Result<String>>,
    stderr_tail: Arc<Mutex<String>>,
    timeout: Duration,
    next_id: u64,
    /// Whether the program answers `select_batch` requests (unknown until the first one).
    batch_select: Option<bool>,
}

/// The longest response line read: a longer one ends the run with an error (a program
/// printing without end must not exhaust memory before the timeout).
pub const MAX_LINE: usize = 64 << 20;

/// Tuples of draws per `select_batch` request.
const SELECT_BATCH: usize = 4096;

/// Reads lines of at most `MAX_LINE` bytes into `tx`; a longer line is an error, and the end.
fn read_bounded_lines(stdout: impl std::io::Read, tx: mpsc::Sender<std::io::Result<String>>) {
    let mut reader = BufReader::with_capacity(1 << 16, stdout);
    let mut line: Vec<u8> = Vec::new();
    loop {
        let chunk = match reader.fill_buf() {
            Ok([]) => return,
            Ok(chunk) => chunk,
            Err(e) => {
                let _ = tx.send(Err(e));
                return;
            }
        };
        let (used, complete) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => {
                line.extend_from_slice(&chunk[..i]);
                (i + 1, true)
            }
            None => {
                line.extend_from_slice(chunk);
                (chunk.len(), false)
            }
        };
        reader.consume(used);
        if line.len() > MAX_LINE {
            let _ = tx.send(Err(std::io::Error::other(format!(
                "printed a line longer than {} MiB (a response is one line of JSON)",
                MAX_LINE >> 20
            ))));
            return;
        }
        if complete {
            let text = String::from_utf8_lossy(&line).into_owned();
            line.clear();
            if tx.send(Ok(text)).is_err() {
                return;
            }
        }
    }
}

/// Keep this much of the child's stderr to show when it fails.
const STDERR_TAIL: usize = 2000;

fn shorten(text: &str, at: usize) -> String {
    crate::error::elide(text, at, at)
}

impl Implementation {
    /// Starts `command` (program and arguments).
    pub fn start(command: &[String], timeout: Duration) -> Result<Implementation> {
        let (program, args) = command.split_first().ok_or_else(|| {
            InputError::new(
                "test-impl: give the program to test after --, e.g. -- python3 my_bon.py",
            )
        })?;
        // A child that exits early closes its stdin: writing to it must be an error we report,
        // not a SIGPIPE that kills bestofn silently (restored when the child is dropped).
        // SAFETY: setting a signal disposition; no handler runs Rust code.
        unsafe {
            libc::signal(libc::SIGPIPE, libc::SIG_IGN);
        }
        // Its own process group, so that ending it ends whatever it started too.
        use std::os::unix::process::CommandExt;
        let mut child = Command::new(program)
            .args(args)
            .process_group(0)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| {
                InputError::new(format!(
                    "test-impl: cannot start '{}': {e}",
                    command.join(" ")
                ))
            })?;
        let stdin = child.stdin.take().expect("piped");
        let stdout = child.stdout.take().expect("piped");
        let stderr = child.stderr.take().expect("piped");
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || read_bounded_lines(stdout, tx));
        let stderr_tail = Arc::new(Mutex::new(String::new()));
        let tail = stderr_tail.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr)
                .lines()
                .map_while(std::result::Result::ok)
            {
                let mut t = tail.lock().unwrap();
                t.push_str(&line);
                t.push('\n');
                if t.len() > STDERR_TAIL {
                    let cut = t.len() - STDERR_TAIL;
                    let cut = (cut..t.len())
                        .find(|&i| t.is_char_boundary(i))
                        .unwrap_or(t.len());
                    t.drain(..cut);
                }
            }
        });
        Ok(Implementation {
            command: command.to_vec(),
            child,
            stdin,
            lines,
            stderr_tail,
            timeout,
            next_id: 1,
            batch_select: None,
        })
    }

    fn failure(&mut self, what: String, request: &Json) -> InputError {
        // Give a dying child a moment, so its exit status and last words are known.
        std::thread::sleep(Duration::from_millis(50));
        let status = match self.child.try_wait() {
            Ok(Some(s)) => format!("; it exited with {s}"),
            _ => String::new(),
        };
        let tail = self.stderr_tail.lock().unwrap().trim().to_string();
        let tail = if tail.is_empty() {
            String::new()
        } else {
            // The end of a traceback names the error: keep the last lines, not the first.
            let lines: Vec<&str> = tail.lines().collect();
            let mut last = lines[lines.len().saturating_sub(6)..].join(" | ");
            if last.chars().count() > 600 {
                let skip = last.chars().count() - 600;
                last = format!("...{}", last.chars().skip(skip).collect::<String>());
            }
            format!("; its stderr ends: {last}")
        };
        InputError::new(format!(
            "test-impl: '{}' {what}{status}{tail}; the request was: {}",
            self.command.join(" "),
            shorten(&request.to_string(), 600)
        ))
    }

    /// Sends requests (each gets an `id`) and reads one response per request, in order.
    /// Requests are written in batches small enough that neither pipe can fill up.
    pub fn ask_many(&mut self, requests: Vec<Json>) -> Result<Vec<Json>> {
        let mut out = Vec::with_capacity(requests.len());
        for batch in requests.chunks(64) {
            let mut ids = Vec::new();
            let mut text = String::new();
            for r in batch {
                let mut r = r.clone();
                r["id"] = json!(self.next_id);
                ids.push((self.next_id, r.clone()));
                self.next_id += 1;
                text.push_str(&r.to_string());
                text.push('\n');
            }
            if let Err(e) = self
                .stdin
                .write_all(text.as_bytes())
                .and_then(|()| self.stdin.flush())
            {
                let first = ids[0].1.clone();
                return Err(self.failure(format!("stopped reading requests ({e})"), &first));
            }
            for (id, request) in ids {
                out.push(self.read_response(id, &request)?);
            }
        }
        Ok(out)
    }

    /// One request, one response.
    pub fn ask(&mut self, request: Json) -> Result<Json> {
        Ok(self.ask_many(vec![request])?.remove(0))
    }

    /// The position each tuple of draws keeps: `select_batch` requests (many tuples per line,
    /// one JSON parse per batch in the program) when the program answers them, otherwise one
    /// `select` request per tuple. The answers are checked by the caller.
    pub fn select_indices(&mut self, case: &Json, tuples: &[Vec<usize>]) -> Result<Vec<Json>> {
        if self.batch_select != Some(false) {
            let mut out = Vec::with_capacity(tuples.len());
            for chunk in tuples.chunks(SELECT_BATCH) {
                let mut request = json!({"kind": "select_batch", "case": case, "draws": chunk});
                request["id"] = json!(self.next_id);
                self.next_id += 1;
                let id = self.next_id - 1;
                if let Err(e) = writeln!(self.stdin, "{request}").and_then(|()| self.stdin.flush())
                {
                    return Err(self.failure(format!("stopped reading requests ({e})"), &request));
                }
                let line = self.read_line(&request)?;
                // A program that does not know the batched form says so once: ask per tuple.
                let refused = serde_json::from_str::<Json>(&line).ok().and_then(|v| {
                    v.get("error")
                        .and_then(Json::as_str)
                        .map(|e| e.contains("select_batch"))
                });
                if self.batch_select.is_none() && refused == Some(true) {
                    self.batch_select = Some(false);
                    return self.select_indices(case, tuples);
                }
                let response = parse_response(&line, id).map_err(|w| self.failure(w, &request))?;
                let indices = response
                    .get("indices")
                    .and_then(Json::as_array)
                    .filter(|a| a.len() == chunk.len())
                    .ok_or_else(|| {
                        self.failure(
                            format!("answered a select_batch of {} tuples without an 'indices' array of that length", chunk.len()),
                            &request,
                        )
                    })?;
                self.batch_select = Some(true);
                out.extend(indices.iter().cloned());
            }
            return Ok(out);
        }
        let requests = tuples
            .iter()
            .map(|draws| json!({"kind": "select", "case": case, "draws": draws}))
            .collect();
        let responses = self.ask_many(requests)?;
        Ok(responses
            .into_iter()
            .map(|r| r.get("index").cloned().unwrap_or(Json::Null))
            .collect())
    }

    fn read_response(&mut self, id: u64, request: &Json) -> Result<Json> {
        let line = self.read_line(request)?;
        parse_response(&line, id).map_err(|what| self.failure(what, request))
    }

    /// The next response line, within the timeout.
    fn read_line(&mut self, request: &Json) -> Result<String> {
        let line = match self.lines.recv_timeout(self.timeout) {
            Ok(Ok(line)) => line,
            Ok(Err(e)) => return Err(self.failure(format!("could not be read ({e})"), request)),
            Err(RecvTimeoutError::Timeout) => {
                self.kill_group();
                return Err(self.failure(
                    format!(
                        "did not answer within {:.1} s (--timeout)",
                        self.timeout.as_secs_f64()
                    ),
                    request,
                ));
            }
            Err(RecvTimeoutError::Disconnected) => {
                return Err(self.failure(
                    "closed its output (exited?) instead of answering".into(),
                    request,
                ))
            }
        };
        Ok(line)
    }
}

/// Checks one response line for request `id`: a JSON object with that id and no error.
/// Never panics, whatever the line (fuzzed in tests/suite/test_impl.rs).
pub fn parse_response(line: &str, id: u64) -> std::result::Result<Json, String> {
    // Python's json writes NaN and Infinity, which JSON does not have: name them.
    let bare = |token: &str| line.contains(token) && !line.contains(&format!("\"{token}"));
    if bare("NaN") || bare("Infinity") {
        return Err(format!(
            "answered with NaN or Infinity: {}",
            shorten(line, 300)
        ));
    }
    let value: Json = serde_json::from_str(line).map_err(|e| {
        format!(
            "printed a line that is not JSON ({e}): {}",
            shorten(line, 300)
        )
    })?;
    if !value.is_object() {
        return Err(format!(
            "printed JSON that is not an object: {}",
            shorten(line, 300)
        ));
    }
    if let Some(err) = value.get("error") {
        return Err(format!(
            "reported an error: {}",
            shorten(&err.to_string(), 300)
        ));
    }
    if value.get("id").and_then(Json::as_u64) != Some(id) {
        return Err(format!(
            "answered with id {} to request {id}",
            value.get("id").cloned().unwrap_or(Json::Null)
        ));
    }
    Ok(value)
}

impl Implementation {
    /// Ends the program and everything in its process group (a grandchild it forked must not
    /// outlive the run).
    fn kill_group(&mut self) {
        if let Ok(pid) = i32::try_from(self.child.id()) {
            // SAFETY: kill(2) on our child's process group; no memory is touched.
            unsafe {
                libc::kill(-pid, libc::SIGKILL);
            }
        }
        let _ = self.child.kill();
    }
}

impl Drop for Implementation {
    fn drop(&mut self) {
        self.kill_group();
        let _ = self.child.wait();
        // Back to dying quietly on a closed stdout (`bestofn ... | head`).
        // SAFETY: as in `start`.
        unsafe {
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        }
    }
}

fn strings(values: &[Rational]) -> Vec<String> {
    values.iter().map(Rational::to_string).collect()
}

/// The case part of every request.
pub fn case_json(oracle: &Oracle) -> Json {
    let case = &oracle.case;
    let probs = case.source.pmf.probs();
    json!({
        "k": case.k(),
        "m": case.m(),
        "n": case.n,
        "tie_break": case.tie_break.name(),
        "p": strings(probs),
        "p_f64": probs.iter().map(crate::testimpl::oracle::nearest_f64).collect::<Vec<_>>(),
        "reward": case.reward.spec(),
        "outcomes": oracle.sequences,
        "outcome_p": strings(&oracle.p),
        "outcome_p_f64": oracle.p.iter().map(crate::testimpl::oracle::nearest_f64).collect::<Vec<_>>(),
        "outcome_reward_key": strings(&oracle.keys),
        "outcome_reward_f64": oracle.reward_f64,
    })
}

/// A number of a response: a JSON number (an f64, converted exactly) or an exact string.
pub fn number(value: &Json) -> std::result::Result<Rational, String> {
    match value {
        Json::Number(n) => n
            .as_f64()
            .and_then(Rational::from_f64)
            .ok_or_else(|| format!("{n} is not a finite number")),
        Json::String(s) => crate::exact::parse_rational(s).map_err(|e| e.to_string()),
        other => Err(format!(
            "{} is not a number",
            shorten(&other.to_string(), 60)
        )),
    }
}
