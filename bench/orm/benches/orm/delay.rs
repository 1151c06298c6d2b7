//! A network with latency, for `ORM_BENCH_RTT_US`: a TCP proxy in front
//! of the server that holds every chunk of bytes for half the round trip
//! in each direction, as a link between two hosts does. (The kernel's
//! netem would do this below TCP, but is not available everywhere; the
//! proxy needs no privileges.)
//!
//! Each direction of a connection is a reader thread that stamps what it
//! reads with when it may arrive, and a writer thread that sleeps until
//! then and forwards it: bytes sent back to back arrive back to back, so
//! one round trip costs one delay whatever the number of messages in it.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

/// Starts a proxy to `upstream` adding `rtt` to every round trip; the
/// address to connect to instead.
pub fn start(upstream: SocketAddr, rtt: Duration) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind the delay proxy");
    let addr = listener.local_addr().unwrap();
    let one_way = rtt / 2;
    thread::spawn(move || {
        for client in listener.incoming() {
            let Ok(client) = client else { continue };
            let Ok(server) = TcpStream::connect(upstream) else {
                continue;
            };
            for s in [&client, &server] {
                s.set_nodelay(true).unwrap();
            }
            pump(
                client.try_clone().unwrap(),
                server.try_clone().unwrap(),
                one_way,
            );
            pump(server, client, one_way);
        }
    });
    addr
}

/// Forwards `from` to `to`, each chunk `delay` after it was read.
fn pump(mut from: TcpStream, mut to: TcpStream, delay: Duration) {
    let (tx, rx) = mpsc::channel::<(Instant, Vec<u8>)>();
    thread::spawn(move || {
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            match from.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if tx
                        .send((Instant::now() + delay, buf[..n].to_vec()))
                        .is_err()
                    {
                        break;
                    }
                }
            }
        }
    });
    thread::spawn(move || {
        for (due, bytes) in rx {
            let now = Instant::now();
            if due > now {
                thread::sleep(due - now);
            }
            if to.write_all(&bytes).is_err() {
                break;
            }
        }
        let _ = to.shutdown(Shutdown::Write);
    });
}

/// `url` with its server's address replaced by the proxy's.
pub fn through(url: &str, proxy: SocketAddr) -> String {
    let (host, port) = server_of(url);
    let target = format!("{host}:{port}");
    assert!(
        url.contains(&target),
        "cannot route {target} through the proxy: write the URL as postgres://user@host:port/db"
    );
    url.replacen(&target, &proxy.to_string(), 1)
}

/// The host and port a postgres URL names.
pub fn server_of(url: &str) -> (String, u16) {
    let config: tokio_postgres::Config = url.parse().expect("a postgres URL");
    let host = match config.get_hosts().first() {
        Some(tokio_postgres::config::Host::Tcp(h)) => h.clone(),
        _ => panic!("ORM_BENCH_RTT_US needs a TCP server address"),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    (host, port)
}

/// `ORM_BENCH_RTT_US`, if set: the round trip to add.
pub fn rtt() -> Option<Duration> {
    let us: u64 = std::env::var("ORM_BENCH_RTT_US").ok()?.parse().ok()?;
    (us > 0).then(|| Duration::from_micros(us))
}
