//! The errors that stop a command, as one type (as `just` has one `Error`):
//! each says what went wrong in words a coordinator can act on, and
//! [`Error::code`] gives the exit status.
//!
//! Problems *in the records* are not errors: they are findings
//! ([`crate::finding::Finding`]), reported together, and a command with
//! findings still runs to the end. An `Error` is what keeps a command from
//! running at all: a records folder that is not one, an output folder that
//! cannot be written, templates that do not compile.

use std::fmt;
use std::io;

/// What a file operation was doing when it failed, as the message says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Read,
    Written,
    Made,
}

impl Action {
    fn words(self) -> &'static str {
        match self {
            Action::Read => "read",
            Action::Written => "written",
            Action::Made => "made",
        }
    }
}

/// Why a command could not run.
#[derive(Debug)]
pub enum Error {
    /// The paths the command names are not (in) a records folder, or are in
    /// two of them.
    Records(String),
    /// An argument the command cannot use (`--only` naming no document, a
    /// case id that cannot be one, a path `--at` cannot follow).
    Usage(String),
    /// A file or folder that cannot be read, written or made.
    Io {
        /// The file, as the user would name it, or what it is ("the schema").
        what: String,
        action: Action,
        source: io::Error,
    },
    /// A file or folder the command would write exists already; nothing was
    /// written. `hint` says what to do instead.
    Exists { what: String, hint: &'static str },
    /// The templates or translations cannot be used (a syntax error, a
    /// missing translation, a file outside the template folder).
    Templates(String),
    /// The output folder is inside the records, or another render is
    /// writing to it.
    Output(String),
    /// git could not be asked about the records, or they are not in git.
    Git(String),
    /// Changes to the files cannot be watched.
    Watch(String),
}

/// The result of a library step or a command.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The exit status: every error is 2, apart from the 1 a command gives
    /// for findings in the records (see `Outcome` in the binary).
    pub fn code(&self) -> u8 {
        match self {
            Error::Records(_)
            | Error::Usage(_)
            | Error::Io { .. }
            | Error::Exists { .. }
            | Error::Templates(_)
            | Error::Output(_)
            | Error::Git(_)
            | Error::Watch(_) => 2,
        }
    }

    /// A failed read of `what`.
    pub fn read(what: impl fmt::Display, source: io::Error) -> Error {
        Error::Io {
            what: what.to_string(),
            action: Action::Read,
            source,
        }
    }

    /// A failed write of `what`.
    pub fn written(what: impl fmt::Display, source: io::Error) -> Error {
        Error::Io {
            what: what.to_string(),
            action: Action::Written,
            source,
        }
    }

    /// A folder that could not be made.
    pub fn made(what: impl fmt::Display, source: io::Error) -> Error {
        Error::Io {
            what: what.to_string(),
            action: Action::Made,
            source,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Records(message)
            | Error::Usage(message)
            | Error::Templates(message)
            | Error::Output(message)
            | Error::Git(message)
            | Error::Watch(message) => f.write_str(message),
            Error::Io {
                what,
                action,
                source,
            } => write!(f, "{what} cannot be {}: {source}", action.words()),
            Error::Exists { what, hint } => {
                write!(f, "{what} already exists; nothing was written{hint}")
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_errors_say_what_could_not_be_done_to_which_file() {
        let e = Error::written(
            "out/a.pdf",
            io::Error::new(io::ErrorKind::PermissionDenied, "denied"),
        );
        assert_eq!(e.to_string(), "out/a.pdf cannot be written: denied");
        assert_eq!(e.code(), 2);
        let e = Error::Exists {
            what: "records/a/exit.yaml".into(),
            hint: " (edit the file that is there)",
        };
        assert_eq!(
            e.to_string(),
            "records/a/exit.yaml already exists; nothing was written (edit the file that is there)"
        );
    }

    #[test]
    fn usage_and_git_errors_keep_their_own_words() {
        assert_eq!(Error::Usage("--only: x".into()).to_string(), "--only: x");
        assert_eq!(Error::Git("bad rev".into()).to_string(), "bad rev");
    }
}
