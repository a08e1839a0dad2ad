//! `casepaper serve`: bind on loopback, say the address with its key,
//! open the browser, answer until Ctrl-C.
//!
//! The key never appears on a command line (where every user of the
//! computer can read it, in `ps`): the browser is given a file that only
//! this user can read, which leads to the address with the key.

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
    if !args.no_open
        && let Some(launch) = open_browser(&url)
    {
        // The browser reads the page at once; it is removed after a while,
        // so even a server stopped by Ctrl-C leaves no key behind.
        std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_secs(120));
            drop(launch);
        });
    }
    server.run()?;
    Ok(Outcome::Clean)
}

/// Opens the address in the desktop's browser, through a page only this
/// user can read; where there is no browser, the printed address is enough.
fn open_browser(url: &str) -> Option<tempfile::TempDir> {
    let launch = match launch_page(url) {
        Ok(launch) => launch,
        Err(e) => {
            eprintln!("open the address above in your browser ({e})");
            return None;
        }
    };
    let page = launch.path().join("open-the-desk.html");
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let opened = std::process::Command::new(opener)
        .arg(&page)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if opened.is_err() {
        eprintln!("open the address above in your browser");
    }
    Some(launch)
}

/// A folder only this user can enter, holding a page that leads the
/// browser to `url`.
fn launch_page(url: &str) -> std::io::Result<tempfile::TempDir> {
    let mut folder = tempfile::Builder::new();
    folder.prefix("casepaper-desk-");
    #[cfg(unix)]
    folder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o700));
    let dir = folder.tempdir()?;
    let mut file = std::fs::OpenOptions::new();
    file.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut file, 0o600);
    // The address is casepaper's own (a host name, a port, a hex token):
    // nothing in it needs escaping in an attribute.
    let page = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"refresh\" content=\"0; url={url}\">\
         <title>casepaper</title></head>\
         <body><p><a href=\"{url}\">Open the casepaper desk</a></p></body></html>\n"
    );
    file.open(dir.path().join("open-the-desk.html"))?
        .write_all(page.as_bytes())?;
    Ok(dir)
}
