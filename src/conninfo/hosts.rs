//! The server list: `host`, `hostaddr` and `port` paired up (one port for
//! all hosts, or one per host), checked (at most two distinct servers,
//! numeric host addresses, ports 1–65535) and completed with defaults.

use super::defaults::Sources;
use super::keys::{Key, Origin, Settings};
use super::{invalid_value, show, HostPort, DEFAULT_PORT, MAX_HOSTS, MAX_WEIGHT};
use crate::error::Result;
use std::net::IpAddr;

/// Split a comma-separated list option; None when absent or empty.
pub(super) fn list(set: &Settings, key: Key) -> Option<(Vec<&str>, Origin)> {
    set.nonempty(key)
        .map(|s| (s.value.split(',').map(str::trim).collect(), s.origin))
}

/// Servers given by `hostaddr`, with the `host` name given for each.
pub(super) type Named = Vec<(HostPort, String)>;

/// The server list, the host name to look up in the password file, and
/// the host name of each server connected to by `hostaddr` (for TLS name
/// checks, as in libpq).
pub(super) fn resolve_hosts(
    set: &Settings,
    src: &Sources<'_>,
) -> Result<(Vec<HostPort>, String, Named)> {
    let names = list(set, Key::Host);
    let addrs = list(set, Key::HostAddr);
    let n = match (&names, &addrs) {
        (Some((h, _)), Some((a, origin))) => {
            if h.len() != a.len() {
                return Err(invalid_value(format!(
                    "could not match {} host names to {} hostaddr values (hostaddr {})",
                    h.len(),
                    a.len(),
                    origin
                )));
            }
            a.len()
        }
        (Some((h, _)), None) => h.len(),
        (None, Some((a, _))) => a.len(),
        (None, None) => 1,
    };
    if n > MAX_HOSTS {
        let origin = addrs.as_ref().or(names.as_ref()).map(|(_, o)| *o);
        return Err(invalid_value(format!(
            "{} hosts given ({}); pgtc uses one primary and its standbys, at most {} \
             hosts in all",
            n,
            origin.map_or_else(String::new, |o| o.to_string()),
            MAX_HOSTS
        )));
    }
    if let Some((a, origin)) = &addrs {
        for entry in a.iter().filter(|e| !e.is_empty()) {
            if entry.parse::<IpAddr>().is_err() {
                return Err(invalid_value(format!(
                    "invalid hostaddr {} ({}): not a numeric IPv4 or IPv6 address",
                    show(entry),
                    origin
                )));
            }
        }
    }

    let mut ports = vec![DEFAULT_PORT; n];
    if let Some((p, origin)) = list(set, Key::Port) {
        if p.len() != 1 && p.len() != n {
            return Err(invalid_value(format!(
                "could not match {} port numbers to {} hosts (port {})",
                p.len(),
                n,
                origin
            )));
        }
        for (i, port) in ports.iter_mut().enumerate() {
            let entry = if p.len() == 1 { p[0] } else { p[i] };
            if entry.is_empty() {
                continue;
            }
            *port = match entry.parse::<u32>() {
                Ok(v) if (1..=65535).contains(&v) => v as u16,
                _ => {
                    return Err(invalid_value(format!(
                        "invalid port number {} ({}): must be an integer from 1 to 65535",
                        show(entry),
                        origin
                    )))
                }
            };
        }
    }

    let entry = |l: &Option<(Vec<&str>, Origin)>, i: usize| -> Option<String> {
        l.as_ref()
            .and_then(|(v, _)| v.get(i).copied())
            .filter(|e| !e.is_empty())
            .map(str::to_string)
    };
    let mut hosts: Vec<HostPort> = Vec::with_capacity(n);
    let mut pgpass_host = String::new();
    let mut named = Vec::new();
    for (i, port) in ports.into_iter().enumerate() {
        let name = entry(&names, i);
        let addr = entry(&addrs, i);
        let host = match addr.clone().or_else(|| name.clone()) {
            Some(h) => h,
            None => (src.default_host)(),
        };
        if i == 0 {
            pgpass_host = name
                .clone()
                .or(addr.clone())
                .unwrap_or_else(|| host.clone());
        }
        let tls_name = name.filter(|n| addr.is_some() && !n.starts_with('/'));
        let key = |h: &HostPort| {
            if h.host.starts_with('/') {
                (h.host.clone(), h.port)
            } else {
                (h.host.to_ascii_lowercase(), h.port)
            }
        };
        let new = HostPort { host, port };
        if hosts.iter().any(|h| key(h) == key(&new)) {
            return Err(invalid_value(format!(
                "server {}:{} is listed twice; each server (the primary and every \
                 standby) must be listed once",
                show(&new.host),
                new.port
            )));
        }
        if let Some(n) = tls_name {
            named.push((new.clone(), n));
        }
        hosts.push(new);
    }
    Ok((hosts, pgpass_host, named))
}

/// `HOST_WEIGHTS`: one integer 0–`MAX_WEIGHT` per server of `n`, not all 0;
/// all 1 when absent or empty.
pub(super) fn resolve_weights(set: &Settings, n: usize) -> Result<Vec<u32>> {
    let Some((w, origin)) = list(set, Key::HostWeights) else {
        return Ok(vec![1; n]);
    };
    if w.len() != n {
        return Err(invalid_value(format!(
            "HOST_WEIGHTS ({}) gives {} weights for {} hosts; give one weight per host, \
             in the order of the host list",
            origin,
            w.len(),
            n
        )));
    }
    let mut out = Vec::with_capacity(n);
    for entry in w {
        match entry.parse::<u32>() {
            Ok(v) if v <= MAX_WEIGHT => out.push(v),
            _ => {
                return Err(invalid_value(format!(
                    "invalid weight {} in HOST_WEIGHTS ({}): must be an integer from 0 to {}",
                    show(entry),
                    origin,
                    MAX_WEIGHT
                )))
            }
        }
    }
    if out.iter().all(|&v| v == 0) {
        return Err(invalid_value(format!(
            "HOST_WEIGHTS ({}) gives every server weight 0; at least one must take reads",
            origin
        )));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use crate::conninfo::tests::*;
    use crate::conninfo::*;
    #[test]
    fn multi_host_pairing() {
        // One port for all hosts.
        let c = ok("host=a,b port=6000");
        assert_eq!(c.hosts, vec![hp("a", 6000), hp("b", 6000)]);
        // As many ports as hosts: paired.
        let c = ok("host=a,b port=6000,6001");
        assert_eq!(c.hosts, vec![hp("a", 6000), hp("b", 6001)]);
        // Empty entries take the defaults.
        let c = ok("host=,b port=6000,");
        assert_eq!(c.hosts, vec![hp(DEFAULT_SOCKET_DIR, 6000), hp("b", 5432)]);
        let c = ok("host=/tmp,localhost port='5432, 5433'");
        assert_eq!(c.hosts, vec![hp("/tmp", 5432), hp("localhost", 5433)]);
        // URI form, ports per host.
        let c = ok("postgresql://a:6000,b/db");
        assert_eq!(c.hosts, vec![hp("a", 6000), hp("b", 5432)]);
        let c = ok("postgresql://:5432,:5433");
        assert_eq!(
            c.hosts,
            vec![hp(DEFAULT_SOCKET_DIR, 5432), hp(DEFAULT_SOCKET_DIR, 5433)]
        );
        // Mismatched counts.
        let e = err("host=a,b port=1,2,3");
        assert_eq!(e.status, Status::InvalidAttributeValue);
        assert!(e.message.contains("3 port numbers to 2 hosts"), "{}", e);
        assert_eq!(err("host=a port=1,2").status, Status::InvalidAttributeValue);
    }

    #[test]
    fn port_errors() {
        for bad in [
            "port=0",
            "port=65536",
            "port=abc",
            "port=-1",
            "port=54x32",
            "port=99999999999",
        ] {
            let e = err(bad);
            assert_eq!(e.status, Status::InvalidAttributeValue, "{}", bad);
            assert!(e.message.contains(&bad[5..]), "{}", e);
        }
        assert_eq!(
            err("postgresql://h:0/db").status,
            Status::InvalidAttributeValue
        );
        assert_eq!(
            err("postgresql://h:x/db").status,
            Status::InvalidAttributeValue
        );
        assert_eq!(ok("port=' 65535 '").hosts[0].port, 65535);
        assert_eq!(ok("port=1").hosts[0].port, 1);
        let e = err("host=a port=5432,zz");
        assert!(e.message.contains("position 8"), "{}", e);
    }

    #[test]
    fn host_count_and_duplicates() {
        assert_eq!(ok("host=a,b,c").hosts.len(), 3);
        assert_eq!(ok("postgresql://a,b,c,d/db").hosts.len(), 4);
        let many = vec!["h"; 17]
            .iter()
            .enumerate()
            .map(|(i, h)| format!("{}{}", h, i))
            .collect::<Vec<_>>()
            .join(",");
        let e = err(&format!("host={}", many));
        assert_eq!(e.status, Status::InvalidAttributeValue);
        assert!(e.message.contains("at most 16"), "{}", e);
        let e = err("host=a,a");
        assert_eq!(e.status, Status::InvalidAttributeValue);
        assert!(e.message.contains("listed twice"), "{}", e);
        assert_eq!(
            err("host=db,DB port=5,5").status,
            Status::InvalidAttributeValue
        );
        // Default host twice with the default port.
        assert_eq!(err("host=,").status, Status::InvalidAttributeValue);
        // Same host, different ports: two servers.
        assert_eq!(ok("host=a,a port=1,2").hosts.len(), 2);
    }

    #[test]
    fn host_weights() {
        assert_eq!(ok("host=a,b,c").weights, vec![1, 1, 1]);
        let c = ok("host=a,b,c port=1 host_weights='1, 2,0'");
        assert_eq!(c.weights, vec![1, 2, 0]);
        assert_eq!(c.weight_of(&hp("b", 1)), 2);
        assert!(
            c.redacted().contains("HOST_WEIGHTS=1,2,0"),
            "{}",
            c.redacted()
        );
        assert_eq!(ok(&c.redacted()), c);
        let e = err("host=a,b HOST_WEIGHTS=1,2,3");
        assert_eq!(e.status, Status::InvalidAttributeValue);
        assert!(e.message.contains("3 weights for 2 hosts"), "{}", e);
        for bad in ["1,x", "1,101", "1,-1", "1,", "0,0"] {
            let e = err(&format!("host=a,b HOST_WEIGHTS={}", bad));
            assert_eq!(e.status, Status::InvalidAttributeValue, "{}", bad);
            assert!(e.message.contains("HOST_WEIGHTS"), "{}: {}", bad, e);
        }
        // Empty: the default.
        assert_eq!(ok("host=a,b HOST_WEIGHTS=").weights, vec![1, 1]);
    }

    #[test]
    fn hostaddr() {
        let c = ok("hostaddr=10.0.0.1,::1");
        assert_eq!(c.hosts, vec![hp("10.0.0.1", 5432), hp("::1", 5432)]);
        // Both: hostaddr gives the address, an empty one falls back to host.
        let c = ok("host=a,b hostaddr=10.0.0.1, port=7");
        assert_eq!(c.hosts, vec![hp("10.0.0.1", 7), hp("b", 7)]);
        let e = err("host=a,b hostaddr=10.0.0.1");
        assert_eq!(e.status, Status::InvalidAttributeValue);
        assert!(e.message.contains("2 host names to 1 hostaddr"), "{}", e);
        let e = err("hostaddr=db.example.com");
        assert_eq!(e.status, Status::InvalidAttributeValue);
        assert!(e.message.contains("db.example.com"), "{}", e);
    }
}
