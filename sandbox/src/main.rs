//! `kinlink-sandbox`: command-line front end of the sandbox library.

use std::io::Write;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use kinlink_sandbox::Config;

const USAGE: &str = "\
Usage: kinlink-sandbox [OPTIONS]

Options:
  --port N               Port to listen on (default 8080; 0 picks a free port)
  --bind ADDR            Address to bind (default 127.0.0.1)
  --data DIR             Data directory holding sandbox.db (default ./.sandbox-data)
  --static DIR           Serve the web console from DIR (SPA fallback to index.html)
  --faults               Enable test fault injection under /__sandbox/faults
  --api-key KEY          Use KEY as the API key (stored, replacing the previous one)
  --cors-origin ORIGIN   Allow browser requests from ORIGIN (repeatable; * mirrors any)
  --token-delay-ms N     Delay between streamed tokens (default 15)
  --allow-host NAME      Also serve requests with Host NAME while bound to loopback (repeatable)
  --max-connections N    Connections served at once (default 512)
  --header-timeout-ms N  Time a connection has to send request headers; also the idle
                         keep-alive timeout (default 15000)
  --body-timeout-ms N    Longest pause inside a request body (default 15000)
  --check-contract       Validate every Kino response against the contract (on in debug builds)
  --ready-file PATH      After binding, write {\"url\",\"api_key\",\"kinbot_email\"} JSON to PATH
  -h, --help             Print this help
";

struct Cli {
    config: Config,
    ready_file: Option<PathBuf>,
}

enum ParseError {
    Help,
    Invalid(String),
}

fn parse(args: impl IntoIterator<Item = String>) -> Result<Cli, ParseError> {
    let mut config = Config::default();
    let mut ready_file = None;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        // Accept both `--flag value` and `--flag=value`.
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_owned(), Some(value.to_owned()))
            }
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| ParseError::Invalid(format!("{name} needs a value")))
        };
        match flag.as_str() {
            "-h" | "--help" => return Err(ParseError::Help),
            "--port" => config.port = number(&value("--port")?, "--port")?,
            "--bind" => {
                let v = value("--bind")?;
                config.bind = v
                    .parse::<IpAddr>()
                    .map_err(|_| ParseError::Invalid(format!("--bind: not an IP address: {v}")))?;
            }
            "--data" => config.data_dir = PathBuf::from(value("--data")?),
            "--static" => config.static_dir = Some(PathBuf::from(value("--static")?)),
            "--faults" if inline.is_none() => config.faults = true,
            "--api-key" => {
                let key = value("--api-key")?;
                if key.is_empty() || !key.bytes().all(|b| b.is_ascii_graphic()) {
                    return Err(ParseError::Invalid(
                        "--api-key must be non-empty printable ASCII".into(),
                    ));
                }
                config.api_key = Some(key);
            }
            "--cors-origin" => config.cors_origins.push(value("--cors-origin")?),
            "--token-delay-ms" => {
                config.token_delay_ms = number(&value("--token-delay-ms")?, "--token-delay-ms")?
            }
            "--check-contract" if inline.is_none() => config.check_contract = true,
            "--allow-host" => config.allowed_hosts.push(value("--allow-host")?),
            "--max-connections" => {
                config.limits.max_connections =
                    number(&value("--max-connections")?, "--max-connections")?
            }
            "--header-timeout-ms" => {
                config.limits.header_read_timeout = Duration::from_millis(number(
                    &value("--header-timeout-ms")?,
                    "--header-timeout-ms",
                )?)
            }
            "--body-timeout-ms" => {
                config.limits.body_idle_timeout = Duration::from_millis(number(
                    &value("--body-timeout-ms")?,
                    "--body-timeout-ms",
                )?)
            }
            "--ready-file" => ready_file = Some(PathBuf::from(value("--ready-file")?)),
            _ => return Err(ParseError::Invalid(format!("unknown argument: {arg}"))),
        }
    }
    Ok(Cli { config, ready_file })
}

fn number<T: std::str::FromStr>(text: &str, flag: &str) -> Result<T, ParseError> {
    text.parse()
        .map_err(|_| ParseError::Invalid(format!("{flag}: not a valid number: {text}")))
}

/// Writes the ready file (0600: it holds the key) through a temporary name, so a reader polling
/// for it never sees a partial file.
fn write_ready_file(path: &Path, url: &str, api_key: &str) -> std::io::Result<()> {
    let body = serde_json::json!({
        "url": url,
        "api_key": api_key,
        "kinbot_email": kinlink_sandbox::KINBOT_EMAIL,
    })
    .to_string();
    kinlink_sandbox::write_private_atomically(path, body.as_bytes())
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(_) => {
                    let _ = interrupt.await;
                    return;
                }
            };
        tokio::select! {
            _ = interrupt => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = match parse(std::env::args().skip(1)) {
        Ok(cli) => cli,
        Err(ParseError::Help) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(ParseError::Invalid(message)) => {
            eprintln!("kinlink-sandbox: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let sandbox = match kinlink_sandbox::start(cli.config).await {
        Ok(sandbox) => sandbox,
        Err(e) => {
            eprintln!("kinlink-sandbox: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    {
        let mut out = std::io::stdout().lock();
        // The only place the key is ever printed.
        let _ = writeln!(out, "Kinlink sandbox listening on http://{}", sandbox.addr);
        let _ = writeln!(out, "API key: {}", sandbox.api_key);
        let _ = writeln!(
            out,
            "KinBot sign-in: {} with the API key as password",
            kinlink_sandbox::KINBOT_EMAIL
        );
        let _ = out.flush();
    }
    if let Some(path) = &cli.ready_file {
        if let Err(e) = write_ready_file(path, &sandbox.url(), &sandbox.api_key) {
            eprintln!(
                "kinlink-sandbox: cannot write ready file {}: {e}",
                path.display()
            );
            sandbox.shutdown().await;
            return ExitCode::FAILURE;
        }
    }
    shutdown_signal().await;
    sandbox.shutdown().await;
    if let Some(path) = &cli.ready_file {
        // A stale ready file would point the next reader at a dead server.
        let _ = std::fs::remove_file(path);
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parses_all_flags() {
        let Ok(cli) = parse(args(&[
            "--port",
            "0",
            "--bind=0.0.0.0",
            "--data",
            "d",
            "--static",
            "s",
            "--faults",
            "--api-key",
            "k",
            "--cors-origin",
            "*",
            "--cors-origin",
            "http://a",
            "--token-delay-ms",
            "0",
            "--ready-file",
            "r.json",
        ])) else {
            panic!("flags should parse");
        };
        assert_eq!(cli.config.port, 0);
        assert!(cli.config.bind.is_unspecified());
        assert!(cli.config.faults);
        assert_eq!(cli.config.cors_origins, ["*", "http://a"]);
        assert_eq!(cli.config.token_delay_ms, 0);
        assert_eq!(cli.ready_file, Some(PathBuf::from("r.json")));
    }

    #[test]
    fn rejects_unknown_and_incomplete() {
        assert!(matches!(
            parse(args(&["--nope"])),
            Err(ParseError::Invalid(_))
        ));
        assert!(matches!(
            parse(args(&["--port"])),
            Err(ParseError::Invalid(_))
        ));
        assert!(matches!(
            parse(args(&["--port", "x"])),
            Err(ParseError::Invalid(_))
        ));
        assert!(matches!(parse(args(&["-h"])), Err(ParseError::Help)));
    }
}
