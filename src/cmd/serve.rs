//! `casepaper serve`: bind on loopback, say the address with its key,
//! open the browser, answer until Ctrl-C.

use std::io::Write;

use casepaper::serve::{Options, Server};

use super::outcome::{Outcome, Ran};
use crate::cli::ServeArgs;

pub fn serve(args: ServeArgs) -> Ran {
    let options = Options {
        records: args.records,
        address: args.address,
        port: args.port,
        other_address: args.allow_other_address,
        as_of: args.as_of,
        ..Options::default()
    };
    let server = Server::bind(&options)?;
    let url = server.url();
    // The address goes to standard output (a script or test reads it);
    // the explanation to standard error.
    println!("{url}");
    let _ = std::io::stdout().flush();
    eprintln!(
        "casepaper is serving {} at the address above, for this computer only; \
         the address holds the key, so do not share it. Ctrl-C stops.",
        options.records.display()
    );
    if !args.no_open {
        open_browser(&url);
    }
    server.run();
    Ok(Outcome::Clean)
}

/// Opens the address in the desktop's browser; where there is none, the
/// printed address is enough.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let opened = std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if opened.is_err() {
        eprintln!("open the address above in your browser");
    }
}
