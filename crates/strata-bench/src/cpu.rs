//! CPU time, next to wall-clock time: on a shared machine the wall clock also
//! counts time spent waiting for a core, CPU time does not.
//!
//! Both come from /proc (Linux); elsewhere they are `None` and the report
//! leaves the column empty.

use std::time::Duration;

/// CPU time of the calling thread so far (scheduler accounting, nanoseconds).
/// The benchmark runs on a current-thread runtime, so this is all the CPU
/// time our library calls spend on the client side.
pub fn thread() -> Option<Duration> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = text.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

/// User + system CPU time of this process's finished, waited-for children
/// (and of their waited-for descendants), in clock ticks of 10 ms.
pub fn children() -> Option<Duration> {
    let text = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which may itself contain spaces.
    let rest = &text[text.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // `cutime` and `cstime` are fields 16 and 17; `rest` starts at field 3.
    let cutime: u64 = fields.get(13)?.parse().ok()?;
    let cstime: u64 = fields.get(14)?.parse().ok()?;
    // USER_HZ is 100 on every Linux architecture we run on.
    Some(Duration::from_millis((cutime + cstime) * 10))
}

/// The difference of two readings, when both were available.
pub fn since(before: Option<Duration>, after: Option<Duration>) -> Option<Duration> {
    Some(after?.saturating_sub(before?))
}

#[cfg(test)]
mod tests {
    #[test]
    fn readable_on_linux() {
        if cfg!(target_os = "linux") {
            assert!(super::thread().is_some());
            assert!(super::children().is_some());
        }
    }
}
