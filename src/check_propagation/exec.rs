//! `--exec`: start the service with its exporter pointed at our receiver, and stop its whole
//! process group at the end.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How the service is started.
#[derive(Debug, Clone)]
pub struct Exec {
    pub argv: Vec<String>,
    /// Variables set for it, on top of our environment.
    pub env: Vec<(String, String)>,
}

/// The started service; stopped (SIGTERM to its group, then SIGKILL) when dropped.
#[derive(Debug)]
pub struct Service {
    child: Child,
    stopped: bool,
}

impl Service {
    pub fn start(exec: &Exec) -> Result<Service, String> {
        use std::os::unix::process::CommandExt;
        let Some((program, args)) = exec.argv.split_first() else {
            return Err("--exec needs a command after `--`, e.g. --exec -- python app.py".into());
        };
        let child = Command::new(program)
            .args(args)
            .envs(exec.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .process_group(0)
            .spawn()
            .map_err(|e| {
                format!(
                    "cannot start `{program}`: {}; check the command after --exec --",
                    crate::text::io_reason(&e)
                )
            })?;
        Ok(Service {
            child,
            stopped: false,
        })
    }

    /// The exit status, if it already exited.
    pub fn exited(&mut self) -> Option<String> {
        match self.child.try_wait() {
            Ok(Some(status)) => Some(status.to_string()),
            _ => None,
        }
    }

    fn signal(&self, signal: i32) {
        let Ok(pid) = i32::try_from(self.child.id()) else {
            return;
        };
        // SAFETY: kill(2) with a negative pid signals the process group we created with
        // process_group(0); it touches no memory of ours.
        unsafe {
            libc::kill(-pid, signal);
        }
    }

    /// Stops the whole group: SIGTERM, then SIGKILL after `grace`.
    pub fn stop(&mut self, grace: Duration) {
        if std::mem::replace(&mut self.stopped, true) {
            return;
        }
        if self.exited().is_some() {
            self.signal(libc::SIGKILL);
            return;
        }
        self.signal(libc::SIGTERM);
        let until = Instant::now() + grace;
        while Instant::now() < until {
            if self.exited().is_some() {
                self.signal(libc::SIGKILL);
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        self.signal(libc::SIGKILL);
        let _ = self.child.wait();
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        self.stop(Duration::from_millis(500));
    }
}
