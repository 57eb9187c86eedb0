//! What the servers send besides answers: notices go to the session's
//! notice handler (from either server), notifications are taken from the
//! primary's connection, where `LISTEN` (which pins the session there)
//! registered them.

use super::Session;
use crate::error::{Error, Result, Status};
use crate::route::Target;
use crate::wire::{NoticeHandler, Notification};
use std::time::Duration;

impl Session {
    /// Send the notices and warnings of both servers to `handler` (None:
    /// log them at info level, the default). The handler runs on the
    /// thread using the session, while a call on it is reading from a
    /// server.
    pub fn set_notice_handler(&mut self, handler: Option<NoticeHandler>) {
        self.notice = handler;
        self.attach_notice_handler();
    }

    /// Give both physical connections the session's notice handler (a
    /// connection opened since has none yet).
    pub(super) fn attach_notice_handler(&mut self) {
        // Fields borrowed apart: no reference count is touched on this
        // per-statement path, and nothing changes when the handler is the
        // connection's already.
        let h = self.notice.as_ref();
        if let Some(p) = self.primary.as_mut() {
            p.conn.set_notice_handler(h, Target::Primary.server());
        }
        if let Some(p) = self.standby.as_mut() {
            p.conn.set_notice_handler(h, Target::Standby.server());
        }
    }

    /// Notifications that arrived with the answers to earlier statements
    /// and were not taken yet: `notification` returns them without I/O.
    pub fn queued_notifications(&self) -> usize {
        self.primary
            .as_ref()
            .map_or(0, |p| p.conn.queued_notifications())
    }

    /// The next notification for a channel the session listens on: one
    /// that arrived during an earlier statement, else one the primary
    /// sends within `timeout` (None: wait without limit; zero: only what
    /// has arrived already). Ok(None) when none came in time.
    ///
    /// Notifications come from the primary's connection; those queued on
    /// a connection that is lost are lost with it, as the server's `LISTEN`
    /// registrations are.
    pub fn notification(&mut self, timeout: Option<Duration>) -> Result<Option<Notification>> {
        self.attach_notice_handler();
        let p = self.primary.as_mut().ok_or_else(|| {
            Error::new(
                Status::NoPrimary,
                "no connection to the primary is open, so no notification can arrive",
            )
        })?;
        let r = p.conn.notification(timeout);
        if r.is_err() && p.conn.is_broken() {
            self.drop_server(Target::Primary);
        }
        r
    }
}
