package io.pgtc.jdbc;

import io.pgtc.Attribute;
import io.pgtc.Pgtc;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * A {@code jdbc:pgtc:} URL and its properties turned into a pgtc connection string ({@code
 * key='value' …}), PgJDBC's way: {@code jdbc:pgtc://h1:p1,h2:p2/db?k=v&…}, {@code
 * jdbc:pgtc:db?…} or {@code jdbc:pgtc:?…}; hosts default to localhost and ports to 5432, IPv6
 * addresses go in brackets, and names and values are percent-decoded. Query parameters override
 * {@link Properties}. Keys are PgJDBC's names where they mean the same as a libpq key ({@link
 * #ALIASES}), every libpq key pgtc accepts, and every pgtc attribute; anything else is an {@link
 * SQLException} with SQLSTATE 08001 naming the key.
 */
final class ConnectionUrl {
    static final String PREFIX = "jdbc:pgtc:";

    /** libpq's keys as pgtc accepts them (lower case). */
    static final List<String> LIBPQ_KEYS =
            List.of(
                    "host", "hostaddr", "port", "dbname", "user", "password", "connect_timeout",
                    "application_name", "fallback_application_name", "options", "sslmode",
                    "sslrootcert", "sslcert", "sslkey", "sslnegotiation", "channel_binding",
                    "client_encoding", "keepalives", "keepalives_idle", "keepalives_interval",
                    "keepalives_count", "tcp_user_timeout", "target_session_attrs");

    /** PgJDBC's property names (case-insensitive here) → the libpq key or pgtc attribute. */
    static final Map<String, String> ALIASES =
            Map.ofEntries(
                    Map.entry("pghost", "host"),
                    Map.entry("pgport", "port"),
                    Map.entry("pgdbname", "dbname"),
                    Map.entry("connecttimeout", "connect_timeout"),
                    Map.entry("logintimeout", "connect_timeout"),
                    Map.entry("applicationname", "application_name"),
                    Map.entry("readonly", "READ_ONLY"),
                    Map.entry("tcpkeepalive", "keepalives"),
                    Map.entry("ssl", "sslmode"),
                    Map.entry("sslfactory", ""), // refused below with a reason
                    Map.entry("targetservertype", "target_session_attrs"));

    /** Properties the driver itself uses, never sent to pgtc. */
    static final String DEFAULT_ROW_FETCH_SIZE = "defaultRowFetchSize";

    final String conninfo;
    final int defaultFetchSize;
    /** The pgtc-side keys and values, in order (for tests and getPropertyInfo). */
    final Map<String, String> values;

    private ConnectionUrl(Map<String, String> values, int defaultFetchSize) {
        this.values = values;
        this.defaultFetchSize = defaultFetchSize;
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(e.getKey()).append("='");
            for (char c : e.getValue().toCharArray()) {
                if (c == '\'' || c == '\\') {
                    sb.append('\\');
                }
                sb.append(c);
            }
            sb.append('\'');
        }
        this.conninfo = sb.toString();
    }

    static boolean accepts(String url) {
        return url != null && url.startsWith(PREFIX);
    }

    private static SQLException bad(String url, String why) {
        return Errors.of("malformed pgtc JDBC URL: " + why + " (" + redact(url) + ")", "08001");
    }

    private static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    private static String decode(String url, String s) throws SQLException {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw bad(url, "bad percent-encoding in '" + s + "'");
        }
    }

    /** Parses {@code url} (which must start with jdbc:pgtc:) with {@code info} under it. */
    static ConnectionUrl parse(String url, Properties info) throws SQLException {
        if (!accepts(url)) {
            throw bad(url == null ? "null" : url, "it does not start with " + PREFIX);
        }
        String rest = url.substring(PREFIX.length());
        String query = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        Map<String, String> raw = new LinkedHashMap<>();
        if (info != null) {
            for (String name : info.stringPropertyNames()) {
                raw.put(name, info.getProperty(name));
            }
        }
        Map<String, String> fromUrl = new LinkedHashMap<>();
        if (rest.startsWith("//")) {
            String authority = rest.substring(2);
            String db = null;
            int slash = authority.indexOf('/');
            if (slash >= 0) {
                db = authority.substring(slash + 1);
                authority = authority.substring(0, slash);
            }
            if (authority.contains("@")) {
                throw bad(url, "user@host is not PgJDBC's form; give user= and password= as parameters");
            }
            List<String> hosts = new ArrayList<>();
            List<String> ports = new ArrayList<>();
            if (!authority.isEmpty()) {
                for (String hp : authority.split(",", -1)) {
                    parseHostPort(url, hp, hosts, ports);
                }
            }
            if (!hosts.isEmpty()) {
                fromUrl.put("host", String.join(",", hosts));
                fromUrl.put("port", String.join(",", ports));
            }
            if (db != null && !db.isEmpty()) {
                fromUrl.put("dbname", decode(url, db));
            }
        } else if (!rest.isEmpty()) {
            if (rest.contains("/") || rest.contains(":")) {
                throw bad(url, "expected jdbc:pgtc://host:port/database or jdbc:pgtc:database");
            }
            fromUrl.put("dbname", decode(url, rest));
        }
        if (!query.isEmpty()) {
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw bad(url, "parameter '" + pair + "' has no name=value");
                }
                fromUrl.put(decode(url, pair.substring(0, eq)), decode(url, pair.substring(eq + 1)));
            }
        }
        raw.putAll(fromUrl);
        return fromMap(raw);
    }

    private static void parseHostPort(String url, String hp, List<String> hosts, List<String> ports)
            throws SQLException {
        String host;
        String port = "5432";
        if (hp.isEmpty()) {
            throw bad(url, "empty host in the host list");
        }
        if (hp.startsWith("[")) {
            int close = hp.indexOf(']');
            if (close < 0) {
                throw bad(url, "IPv6 address '" + hp + "' lacks its ']'");
            }
            host = hp.substring(1, close);
            String after = hp.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw bad(url, "unexpected '" + after + "' after IPv6 address");
                }
                port = after.substring(1);
            }
        } else {
            int colon = hp.lastIndexOf(':');
            if (colon >= 0) {
                if (hp.indexOf(':') != colon) {
                    throw bad(url, "IPv6 address '" + hp + "' must be written in brackets");
                }
                host = hp.substring(0, colon);
                port = hp.substring(colon + 1);
            } else {
                host = hp;
            }
        }
        host = decode(url, host);
        if (host.isEmpty()) {
            host = "localhost";
        }
        if (port.isEmpty()) {
            port = "5432";
        }
        try {
            int p = Integer.parseInt(port);
            if (p < 1 || p > 65535) {
                throw bad(url, "port " + port + " is out of range 1-65535");
            }
        } catch (NumberFormatException e) {
            throw bad(url, "port '" + port + "' is not a number");
        }
        if (host.contains(",") || host.contains(" ")) {
            throw bad(url, "host '" + host + "' contains a comma or a space");
        }
        hosts.add(host);
        ports.add(port);
    }

    /** The pgtc attributes (upper case), asked of the library. */
    static Map<String, Attribute> attributes() {
        Map<String, Attribute> out = new LinkedHashMap<>();
        for (Attribute a : Pgtc.attributes()) {
            out.put(a.name().toUpperCase(Locale.ROOT), a);
        }
        return out;
    }

    private static String bool(String key, String v) throws SQLException {
        switch (v.toLowerCase(Locale.ROOT)) {
            case "true":
            case "on":
            case "yes":
            case "1":
                return "1";
            case "false":
            case "off":
            case "no":
            case "0":
                return "0";
            default:
                throw Errors.of("property " + key + "=" + v + " is not a boolean (true or false)", "08001");
        }
    }

    private static ConnectionUrl fromMap(Map<String, String> raw) throws SQLException {
        Map<String, Attribute> attrs = attributes();
        Map<String, String> out = new LinkedHashMap<>();
        int fetch = 0;
        for (Map.Entry<String, String> e : raw.entrySet()) {
            String key = e.getKey();
            String value = e.getValue() == null ? "" : e.getValue();
            if (value.indexOf('\0') >= 0) {
                throw Errors.of("property " + key + " contains a NUL character", "08001");
            }
            String lower = key.toLowerCase(Locale.ROOT);
            if (lower.equals(DEFAULT_ROW_FETCH_SIZE.toLowerCase(Locale.ROOT))) {
                try {
                    fetch = Integer.parseInt(value);
                } catch (NumberFormatException ex) {
                    fetch = -1;
                }
                if (fetch < 0) {
                    throw Errors.of("property defaultRowFetchSize=" + value + " is not a count >= 0", "08001");
                }
                continue;
            }
            String target;
            if (ALIASES.containsKey(lower)) {
                target = ALIASES.get(lower);
                if (target.isEmpty()) {
                    throw Errors.of("property " + key + " is not supported: pgtc does TLS itself (use sslmode, sslrootcert, sslcert, sslkey)", "08001");
                }
                if (lower.equals("ssl")) {
                    if (bool(key, value).equals("0")) {
                        value = "disable";
                    } else {
                        if (raw.keySet().stream().anyMatch(k -> k.equalsIgnoreCase("sslmode"))) {
                            continue; // sslmode says more
                        }
                        value = "verify-full"; // PgJDBC's meaning of ssl=true
                    }
                } else if (lower.equals("readonly")) {
                    value = bool(key, value).equals("1") ? "ON" : "OFF";
                } else if (lower.equals("tcpkeepalive")) {
                    value = bool(key, value);
                } else if (lower.equals("targetservertype")) {
                    if (!value.equalsIgnoreCase("any")) {
                        throw Errors.of("property targetServerType=" + value + " is not supported: pgtc routes each statement itself (use PREFERRED_ACCESS)", "08001");
                    }
                    value = "any";
                }
            } else if (LIBPQ_KEYS.contains(lower)) {
                target = lower;
            } else if (attrs.containsKey(key.toUpperCase(Locale.ROOT)) || key.equalsIgnoreCase("HOST_WEIGHTS")) {
                target = key.toUpperCase(Locale.ROOT);
            } else {
                throw Errors.of("unknown connection property '" + key + "' (not a PgJDBC name pgtc maps, a libpq key or a pgtc attribute)", "08001");
            }
            out.put(target, value);
        }
        return new ConnectionUrl(out, fetch);
    }
}
