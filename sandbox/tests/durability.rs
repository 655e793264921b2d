//! The sandbox loses no confirmed write: concurrent partial config updates of different fields,
//! a process killed with SIGKILL in the middle of writes, and the file modes of what it stores.

mod support;

use std::net::SocketAddr;
use std::sync::{Arc, Barrier};

use serde_json::json;
use support::{count_config_changes, request, Process, KEY};

/// Integer config fields with no server-side rule tying them together: one writer each.
const FIELDS: &[&str] = &[
    "max_concurrent_downloads",
    "download_speed_limit",
    "upload_speed_limit",
    "seed_time_limit",
];

fn read_config(addr: SocketAddr) -> serde_json::Value {
    let reply = request(addr, "GET", "/api/v1/config", &[("x-api-key", KEY)], b"").unwrap();
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()
}

/// `PUT {field: value}`; true when the server confirmed it with a 200.
fn put_field(addr: SocketAddr, field: &str, value: i64) -> bool {
    let body = json!({ field: value }).to_string();
    match request(
        addr,
        "PUT",
        "/api/v1/config",
        &[("x-api-key", KEY), ("content-type", "application/json")],
        body.as_bytes(),
    ) {
        Ok(reply) => {
            assert!(
                reply.status == 200,
                "status {}: {}",
                reply.status,
                reply.text()
            );
            // A body cut off by a kill is not a confirmation.
            serde_json::from_slice::<serde_json::Value>(&reply.body)
                .is_ok_and(|config| config[field] == value)
        }
        Err(_) => false,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_updates_of_different_fields_all_survive_with_one_history_row_each() {
    const ROUNDS: i64 = 20;
    const UPDATES_PER_WRITER: i64 = 5;
    let dir = tempfile::tempdir().unwrap();
    let sandbox = kinlink_sandbox::start(kinlink_sandbox::Config {
        port: 0,
        data_dir: dir.path().join("data"),
        api_key: Some(KEY.to_owned()),
        ..kinlink_sandbox::Config::default()
    })
    .await
    .unwrap();
    let addr = sandbox.addr;
    let total = tokio::task::spawn_blocking(move || {
        let mut total = 0usize;
        for round in 0..ROUNDS {
            // Released together, so the writers' read-apply-save steps interleave.
            let start = Arc::new(Barrier::new(FIELDS.len()));
            let writers: Vec<_> = FIELDS
                .iter()
                .map(|&field| {
                    let start = start.clone();
                    std::thread::spawn(move || {
                        start.wait();
                        let mut last = None;
                        for i in 1..=UPDATES_PER_WRITER {
                            let value = round * 100 + i;
                            assert!(put_field(addr, field, value), "{field}={value} refused");
                            last = Some(value);
                        }
                        (field, last.unwrap())
                    })
                })
                .collect();
            let confirmed: Vec<_> = writers.into_iter().map(|w| w.join().unwrap()).collect();
            total += FIELDS.len() * UPDATES_PER_WRITER as usize;
            let config = read_config(addr);
            for (field, value) in confirmed {
                assert_eq!(
                    config[field], value,
                    "round {round}: {field} lost its update"
                );
            }
            assert_eq!(
                count_config_changes(addr),
                total,
                "round {round}: every update has exactly one history row"
            );
        }
        total
    })
    .await
    .unwrap();
    assert!(total >= 400, "{total} updates");
    sandbox.shutdown().await;
}

#[test]
fn sigkill_during_writes_keeps_every_confirmed_write_and_its_history_row() {
    const ROUNDS: usize = 6;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut expected_changes = 0i64;
    let mut process = Process::start(&data, &[]);
    for round in 0..ROUNDS {
        let addr = process.addr;
        let before = read_config(addr);
        let base: Vec<i64> = FIELDS
            .iter()
            .map(|f| before[*f].as_i64().unwrap())
            .collect();
        // Each writer counts up from the stored value, one PUT at a time, recording what the
        // server confirmed; the process is killed while they run, once some writes are confirmed
        // (counted, not timed, so a loaded machine does not change what is tested).
        let confirmed_so_far = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let writers: Vec<_> = FIELDS
            .iter()
            .zip(base.clone())
            .map(|(&field, base)| {
                let confirmed_so_far = confirmed_so_far.clone();
                std::thread::spawn(move || {
                    let mut confirmed = base;
                    for value in base + 1.. {
                        if !put_field(addr, field, value) {
                            break;
                        }
                        confirmed = value;
                        confirmed_so_far.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                    confirmed
                })
            })
            .collect();
        let kill_after = 8 + 4 * round;
        while confirmed_so_far.load(std::sync::atomic::Ordering::Relaxed) < kill_after {
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        process.kill_hard();
        let confirmed: Vec<i64> = writers.into_iter().map(|w| w.join().unwrap()).collect();

        process = Process::start(&data, &[]);
        let after = read_config(process.addr);
        for (i, field) in FIELDS.iter().enumerate() {
            let stored = after[*field].as_i64().unwrap();
            // At most one write per writer was in flight (sent, not confirmed) at the kill.
            assert!(
                stored == confirmed[i] || stored == confirmed[i] + 1,
                "round {round}: {field} stored {stored}, confirmed {}",
                confirmed[i]
            );
            expected_changes += stored - base[i];
        }
        assert!(
            confirmed.iter().zip(&base).any(|(c, b)| c > b),
            "round {round}: no write was confirmed before the kill"
        );
        assert_eq!(
            count_config_changes(process.addr) as i64,
            expected_changes,
            "round {round}: a committed change without its history row, or the reverse"
        );
    }
    process.kill_hard();
}

#[cfg(unix)]
#[test]
fn data_dir_and_files_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("fresh").join("data");
    let process = Process::start(&data, &[]);
    assert!(put_field(process.addr, "seed_time_limit", 9));
    let mode = |path: &std::path::Path| {
        std::fs::metadata(path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(mode(&data), 0o700, "data dir");
    let ready = process.ready_file.clone();
    assert_eq!(mode(&ready), 0o600, "ready file (it holds the key)");
    let mut files = 0;
    for entry in std::fs::read_dir(&data).unwrap() {
        let path = entry.unwrap().path();
        assert_eq!(mode(&path), 0o600, "{}", path.display());
        files += 1;
    }
    assert!(files >= 2, "sandbox.db and its WAL");
    process.kill_hard();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_blocked_database_does_not_stall_requests_that_do_not_need_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let sandbox = kinlink_sandbox::start(kinlink_sandbox::Config {
        port: 0,
        data_dir: data.clone(),
        api_key: Some(KEY.to_owned()),
        ..kinlink_sandbox::Config::default()
    })
    .await
    .unwrap();
    let addr = sandbox.addr;
    // Another process-like writer holds the database's write lock.
    let blocker = rusqlite::Connection::open(data.join("sandbox.db")).unwrap();
    blocker.execute_batch("BEGIN IMMEDIATE").unwrap();
    // More waiting writers than the runtime has worker threads.
    let writers: Vec<_> = (0..6)
        .map(|i| std::thread::spawn(move || put_field(addr, "seed_time_limit", 1000 + i)))
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(200));
    // Status, config and models are served from memory while every writer waits.
    let readers = tokio::task::spawn_blocking(move || {
        for _ in 0..20 {
            for path in ["/api/v1/status", "/api/v1/config", "/v1/models"] {
                let reply = request(addr, "GET", path, &[("x-api-key", KEY)], b"").unwrap();
                assert_eq!(reply.status, 200, "{path}");
            }
        }
    });
    tokio::time::timeout(std::time::Duration::from_secs(5), readers)
        .await
        .expect("reads stalled behind the blocked writers")
        .unwrap();
    assert!(
        writers.iter().all(|w| !w.is_finished()),
        "the writers should still be waiting for the lock"
    );
    blocker.execute_batch("ROLLBACK").unwrap();
    for writer in writers {
        assert!(
            writer.join().unwrap(),
            "a write failed after the lock was released"
        );
    }
    assert_eq!(count_config_changes(addr), 6);
    sandbox.shutdown().await;
}
