//! Notices and notifications against a real pair: notices from either
//! server reach the handler with every field; notifications sent by
//! another connection arrive while the session is idle and during its
//! statements, through the Rust API and the C ABI.

mod common;
use common::cabi::{open, s};
use common::*;
use parking_lot::Mutex;
use pgtc::ffi::conn::*;
use pgtc::ffi::error::*;
use pgtc::ffi::notify::*;
use pgtc::{Notice, NoticeHandler, Server, Status};
use std::ffi::{c_void, CString};
use std::ptr::{null, null_mut};
use std::sync::Arc;
use std::time::Duration;

type Seen = Arc<Mutex<Vec<(Notice, Server)>>>;

fn collecting() -> (Seen, NoticeHandler) {
    let seen: Seen = Arc::default();
    let s2 = Arc::clone(&seen);
    let h: NoticeHandler = Arc::new(move |n: &Notice, server: Server| {
        s2.lock().push((n.clone(), server));
    });
    (seen, h)
}

/// A function that raises a notice saying whether the server answering
/// is a standby; STABLE, so a read that calls it may run on the standby.
fn create_noisy(c: &Cluster, name: &str) {
    let mut w = c.open("");
    exec(
        &mut w,
        &format!(
            "CREATE OR REPLACE FUNCTION {name}() RETURNS int STABLE LANGUAGE plpgsql AS $$ \
             BEGIN RAISE NOTICE USING MESSAGE = 'in recovery: ' || pg_is_in_recovery(), \
             DETAIL = 'noisy', HINT = 'quiet'; RETURN 1; END $$"
        ),
    );
}

#[test]
fn notices_from_both_servers_reach_the_handler_with_their_fields() {
    let c = Cluster::shared();
    let f = table("noisy");
    create_noisy(&c, &f);
    let (seen, h) = collecting();
    let mut sess = c.open("PREFERRED_ACCESS=READ_MOSTLY");
    sess.set_notice_handler(Some(h));
    // From the primary: DDL that has nothing to do says so.
    let t = table("noisy_t");
    exec(&mut sess, &format!("CREATE TABLE IF NOT EXISTS {t}(x int)"));
    exec(&mut sess, &format!("CREATE TABLE IF NOT EXISTS {t}(x int)"));
    {
        let got = seen.lock();
        let (n, server) = got.last().expect("a notice");
        assert_eq!(*server, Server::Primary);
        assert_eq!((n.severity(), n.sqlstate()), ("NOTICE", "42P07"));
        assert_eq!(
            n.message(),
            format!("relation \"{t}\" already exists, skipping")
        );
    }
    // From the standby: a read calling the function, once it runs there.
    let sql = format!("SELECT {f}()");
    until_on(&mut sess, &sql, Server::Secondary, CATCH_UP);
    {
        let got = seen.lock();
        let (n, server) = got.last().expect("a notice from the standby");
        assert_eq!(*server, Server::Secondary);
        assert_eq!(n.severity(), "NOTICE");
        assert_eq!(n.sqlstate(), "00000");
        assert_eq!(n.message(), "in recovery: true");
        assert_eq!(
            (n.fields.get(b'D'), n.fields.get(b'H')),
            (Some("noisy"), Some("quiet"))
        );
        // Every notice from the primary said so, and vice versa.
        for (n, server) in got
            .iter()
            .filter(|(n, _)| n.message().starts_with("in recovery"))
        {
            let standby = n.message() == "in recovery: true";
            assert_eq!(*server == Server::Secondary, standby, "{:?}", n);
        }
    }
    // A warning from PL/pgSQL, with its own SQLSTATE and context.
    exec(
        &mut sess,
        "DO $$BEGIN RAISE WARNING 'careful' USING ERRCODE = '01ABC'; END$$",
    );
    {
        let got = seen.lock();
        let (n, server) = got.last().expect("a warning");
        assert_eq!(*server, Server::Primary);
        assert_eq!(
            (n.severity(), n.sqlstate(), n.message()),
            ("WARNING", "01ABC", "careful")
        );
        assert!(n.fields.get(b'W').unwrap().contains("PL/pgSQL"));
    }
    // Back to the default (the log): the handler sees nothing more.
    sess.set_notice_handler(None);
    let before = seen.lock().len();
    exec(&mut sess, "DO $$BEGIN RAISE NOTICE 'unseen'; END$$");
    assert_eq!(seen.lock().len(), before);
    exec(&mut sess, &format!("DROP FUNCTION {f}(); DROP TABLE {t}"));
}

struct Collected {
    notices: Vec<(String, String, String, Server)>,
}

extern "C" fn c_handler(user_data: *mut c_void, notice: *const pgtc_error, server: Server) {
    // SAFETY: the test passes a live `Mutex<Collected>` as user data.
    let c = unsafe { &*(user_data as *const Mutex<Collected>) };
    let field = |code: u8| {
        let p = pgtc_error_field(notice, i32::from(code));
        if p.is_null() {
            String::new()
        } else {
            s(p)
        }
    };
    assert_eq!(pgtc_error_status(notice), Status::Ok);
    c.lock().notices.push((
        s(pgtc_error_message(notice)),
        s(pgtc_error_sqlstate(notice)),
        field(b'V'),
        server,
    ));
}

#[test]
fn a_c_notice_handler_reads_the_notice_as_an_error_object() {
    let c = Cluster::shared();
    let f = table("cnoisy");
    create_noisy(&c, &f);
    let conn = open(&format!("{} PREFERRED_ACCESS=READ_MOSTLY", c.conninfo));
    let collected = Box::new(Mutex::new(Collected {
        notices: Vec::new(),
    }));
    let data = &*collected as *const Mutex<Collected> as *mut c_void;
    let mut err = null_mut();
    assert_eq!(
        pgtc_conn_set_notice_handler(conn, Some(c_handler), data, &mut err),
        Status::Ok
    );
    assert_eq!(
        pgtc_conn_set_notice_handler(null_mut(), Some(c_handler), data, &mut err),
        Status::NullArgument
    );
    assert_eq!(s(pgtc_error_sqlstate(err)), "HY009");
    pgtc_error_free(err);
    let sql = CString::new(format!("SELECT {f}()")).unwrap();
    wait_for("a notice from the standby", CATCH_UP, || {
        let mut res = null_mut();
        assert_eq!(
            pgtc_conn_exec(conn, sql.as_ptr(), &mut res, null_mut()),
            Status::Ok
        );
        pgtc::ffi::result::pgtc_result_free(res);
        let got = collected.lock();
        match got.notices.last() {
            Some(n) if n.3 == Server::Secondary => Ok(()),
            other => Err(format!("{:?}", other)),
        }
    });
    let got = collected.lock();
    let (msg, code, sev, _) = got.notices.last().unwrap();
    assert_eq!(msg, "in recovery: true\nDETAIL:  noisy\nHINT:  quiet");
    assert_eq!((code.as_str(), sev.as_str()), ("00000", "NOTICE"));
    drop(got);
    // NULL restores the default.
    assert_eq!(
        pgtc_conn_set_notice_handler(conn, None, null_mut(), null_mut()),
        Status::Ok
    );
    pgtc_conn_free(conn);
    drop(collected);
    let mut w = c.open("");
    exec(&mut w, &format!("DROP FUNCTION {f}()"));
}

#[test]
fn notifications_arrive_while_idle_and_during_statements() {
    let c = Cluster::shared();
    let ch = table("chan");
    let mut sess = c.open("PREFERRED_ACCESS=READ_MOSTLY");
    exec(&mut sess, &format!("LISTEN {ch}"));
    assert!(sess.pinned());
    // Nothing yet: a poll and a short wait both come back empty.
    assert_eq!(sess.notification(Some(Duration::ZERO)).unwrap(), None);
    assert_eq!(
        sess.notification(Some(Duration::from_millis(20))).unwrap(),
        None
    );

    // While idle: another connection notifies.
    let mut other = c.direct(true);
    let other_pid: i32 = other
        .query_one("SELECT pg_backend_pid()", &[])
        .unwrap()
        .get(0);
    other
        .execute(&format!("NOTIFY {ch}, 'while idle'"), &[])
        .unwrap();
    let n = sess
        .notification(Some(CATCH_UP))
        .unwrap()
        .expect("a notification within the deadline");
    assert_eq!(
        (n.channel.as_str(), n.payload.as_str(), n.pid),
        (ch.as_str(), "while idle", other_pid)
    );

    // During a statement: the server holds a notification back while the
    // session is in a transaction and sends it at the COMMIT, which reads
    // it with the COMMIT's answer and queues it.
    exec(&mut sess, "BEGIN");
    exec(&mut sess, "SELECT 1");
    other.execute(&format!("NOTIFY {ch}, 'one'"), &[]).unwrap();
    other.execute(&format!("NOTIFY {ch}"), &[]).unwrap();
    assert_eq!(
        sess.notification(Some(Duration::from_millis(50))).unwrap(),
        None
    );
    exec(&mut sess, "COMMIT");
    assert_eq!(sess.queued_notifications(), 2);
    let n1 = sess
        .notification(Some(Duration::ZERO))
        .unwrap()
        .expect("queued at COMMIT");
    let n2 = sess
        .notification(Some(Duration::ZERO))
        .unwrap()
        .expect("queued at COMMIT");
    assert_eq!((n1.payload.as_str(), n2.payload.as_str()), ("one", ""));
    assert_eq!(n2.pid, other_pid);
    assert_eq!(sess.notification(Some(Duration::ZERO)).unwrap(), None);
    assert_eq!(sess.queued_notifications(), 0);

    // A statement that notifies its own session gets its notification
    // with its answer; reads in between still go to the primary (pinned).
    let r = exec(&mut sess, &format!("SELECT pg_notify('{ch}', 'self'), 1"));
    assert_eq!(r.server, Some(Server::Primary));
    let n = sess
        .notification(Some(Duration::ZERO))
        .unwrap()
        .expect("queued");
    assert_eq!(n.payload, "self");

    // A notification sent from another thread while the session waits
    // (or just before the wait begins) ends the wait.
    let ci = c.single(true);
    let ch2 = ch.clone();
    let t = std::thread::spawn(move || {
        let mut o = postgres::Client::connect(&ci, postgres::NoTls).unwrap();
        o.execute(&format!("NOTIFY {ch2}, 'late'"), &[]).unwrap();
    });
    let n = sess
        .notification(Some(CATCH_UP))
        .unwrap()
        .expect("late notification");
    assert_eq!(n.payload, "late");
    t.join().unwrap();
    exec(&mut sess, "UNLISTEN *");
}

#[test]
fn notifications_through_the_c_abi() {
    let c = Cluster::shared();
    let ch = table("cchan");
    let conn = open(&c.conninfo);
    let sql = CString::new(format!("LISTEN {ch}")).unwrap();
    let mut res = null_mut();
    assert_eq!(
        pgtc_conn_exec(conn, sql.as_ptr(), &mut res, null_mut()),
        Status::Ok
    );
    pgtc::ffi::result::pgtc_result_free(res);
    let mut note = null_mut();
    let mut err = null_mut();
    // Poll: nothing yet, OK with NULL.
    assert_eq!(
        pgtc_conn_notification(conn, 0, &mut note, &mut err),
        Status::Ok
    );
    assert!(note.is_null() && err.is_null());
    let mut other = c.direct(true);
    let pid: i32 = other
        .query_one("SELECT pg_backend_pid()", &[])
        .unwrap()
        .get(0);
    other
        .execute(&format!("NOTIFY {ch}, 'héllo'"), &[])
        .unwrap();
    // Received with a statement's answer: queued, taken without waiting.
    let mut res = null_mut();
    assert_eq!(
        pgtc_conn_exec(conn, c"SELECT 1".as_ptr(), &mut res, null_mut()),
        Status::Ok
    );
    pgtc::ffi::result::pgtc_result_free(res);
    wait_for(
        "the notification to be read with a statement",
        CATCH_UP,
        || match pgtc_conn_notifications_queued(conn) {
            1 => Ok(()),
            n => {
                let mut res = null_mut();
                pgtc_conn_exec(conn, c"SELECT 1".as_ptr(), &mut res, null_mut());
                pgtc::ffi::result::pgtc_result_free(res);
                Err(format!("{} queued", n))
            }
        },
    );
    assert_eq!(pgtc_conn_notifications_queued(null()), 0);
    // Negative: wait without limit (the notification is already queued).
    assert_eq!(
        pgtc_conn_notification(conn, -1, &mut note, &mut err),
        Status::Ok
    );
    assert!(!note.is_null());
    assert_eq!(s(pgtc_notification_channel(note)), ch);
    assert_eq!(s(pgtc_notification_payload(note)), "héllo");
    assert_eq!(pgtc_notification_pid(note), pid);
    pgtc_notification_free(note);
    assert_eq!(pgtc_conn_notifications_queued(conn), 0);
    // Bad arguments.
    assert_eq!(
        pgtc_conn_notification(conn, 0, null_mut(), &mut err),
        Status::NullArgument
    );
    assert_eq!(s(pgtc_error_sqlstate(err)), "HY009");
    pgtc_error_free(err);
    let mut note = null_mut();
    assert_eq!(
        pgtc_conn_notification(null_mut(), 0, &mut note, null_mut()),
        Status::NullArgument
    );
    assert_eq!(s(pgtc_notification_channel(null())), "");
    assert_eq!(s(pgtc_notification_payload(null())), "");
    assert_eq!(pgtc_notification_pid(null()), 0);
    pgtc_notification_free(null_mut());
    pgtc_conn_free(conn);
}

#[test]
fn without_a_primary_waiting_for_a_notification_is_a_class_08_error() {
    let c = Cluster::shared();
    let mut standby_only = pgtc::Session::open(&c.single(false)).unwrap();
    let e = standby_only.notification(Some(Duration::ZERO)).unwrap_err();
    assert_eq!(
        (e.status, e.sqlstate.as_str()),
        (Status::NoPrimary, "08003")
    );
}

#[test]
fn a_lost_primary_ends_the_wait_with_a_class_08_error() {
    let c = Cluster::shared();
    let mut sess = c.open("");
    let ch = table("lostchan");
    exec(&mut sess, &format!("LISTEN {ch}"));
    let pid = exec(&mut sess, "SELECT pg_backend_pid()")
        .value(0, 0)
        .unwrap()
        .to_string();
    c.direct(true)
        .execute(&format!("SELECT pg_terminate_backend({pid})"), &[])
        .unwrap();
    let e = sess.notification(Some(CATCH_UP)).unwrap_err();
    assert_eq!(e.status, Status::ConnectionLost);
    // The server says why it ended the session (57P01), or the connection
    // just closed (08006).
    assert!(matches!(e.sqlstate.as_str(), "57P01" | "08006"), "{:?}", e);
    // The session goes on with a new connection to the primary.
    assert_eq!(exec(&mut sess, "SELECT 1").value(0, 0), Some("1"));
}
