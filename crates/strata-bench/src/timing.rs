//! Samples of one measurement (wall clock, and CPU time when known) and their
//! summary (median, min, max).

use crate::cpu;
use std::time::{Duration, Instant};

/// Wall clock and this thread's CPU time since it was started.
#[derive(Debug, Clone, Copy)]
pub struct Stopwatch {
    wall: Instant,
    cpu: Option<Duration>,
}

impl Stopwatch {
    pub fn start() -> Stopwatch {
        Stopwatch {
            cpu: cpu::thread(),
            wall: Instant::now(),
        }
    }

    /// (wall, CPU) since the start.
    pub fn read(&self) -> (Duration, Option<Duration>) {
        let wall = self.wall.elapsed();
        (wall, cpu::since(self.cpu, cpu::thread()))
    }
}

/// The timings of one measurement.
#[derive(Debug, Clone, Default)]
pub struct Samples {
    wall: Vec<Duration>,
    cpu: Vec<Duration>,
    cpu_missing: bool,
}

impl Samples {
    /// Records one run: its wall-clock time and, when known, its CPU time.
    pub fn push(&mut self, wall: Duration, cpu: Option<Duration>) {
        self.wall.push(wall);
        match cpu {
            Some(c) => self.cpu.push(c),
            None => self.cpu_missing = true,
        }
    }

    pub fn summary(&self) -> Summary {
        let mut wall = self.wall.clone();
        wall.sort();
        Summary {
            runs: wall.len(),
            median: median(&wall),
            min: wall.first().copied().unwrap_or_default(),
            max: wall.last().copied().unwrap_or_default(),
            cpu_median: (!self.cpu_missing && !self.cpu.is_empty()).then(|| {
                let mut cpu = self.cpu.clone();
                cpu.sort();
                median(&cpu)
            }),
        }
    }
}

fn median(sorted: &[Duration]) -> Duration {
    let n = sorted.len();
    match n {
        0 => Duration::ZERO,
        _ if n % 2 == 1 => sorted[n / 2],
        _ => (sorted[n / 2 - 1] + sorted[n / 2]) / 2,
    }
}

/// Median, min and max wall-clock time of a measurement's runs, and the
/// median CPU time.
#[derive(Debug, Clone, Copy)]
pub struct Summary {
    pub runs: usize,
    pub median: Duration,
    pub min: Duration,
    pub max: Duration,
    pub cpu_median: Option<Duration>,
}

/// A duration in the unit that reads best: `0.42 ms`, `37.1 ms`, `1.86 s`.
pub fn human(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms >= 1000.0 {
        format!("{:.2} s", ms / 1000.0)
    } else if ms >= 10.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{ms:.2} ms")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even() {
        let mut s = Samples::default();
        for ms in [5, 1, 3] {
            s.push(Duration::from_millis(ms), Some(Duration::from_millis(ms)));
        }
        let sum = s.summary();
        assert_eq!(sum.median, Duration::from_millis(3));
        assert_eq!(sum.min, Duration::from_millis(1));
        assert_eq!(sum.max, Duration::from_millis(5));
        assert_eq!(sum.cpu_median, Some(Duration::from_millis(3)));
        s.push(Duration::from_millis(4), None);
        assert_eq!(s.summary().median, Duration::from_micros(3500));
        assert_eq!(s.summary().cpu_median, None);
    }

    #[test]
    fn units() {
        assert_eq!(human(Duration::from_micros(420)), "0.42 ms");
        assert_eq!(human(Duration::from_micros(37_140)), "37.1 ms");
        assert_eq!(human(Duration::from_millis(1860)), "1.86 s");
    }
}
