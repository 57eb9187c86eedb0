package io.pgtc.tests;

import io.pgtc.Counter;
import io.pgtc.Server;
import io.pgtc.Status;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The binding's constants against include/pgtc.h, names and values: every enumerator of
 * pgtc_status, pgtc_counter and pgtc_server must be a constant of {@link Status}, {@link Counter}
 * or {@link Server} with the same name (without the prefix) and value, and those classes must
 * have no constant the header lacks. Needs no server.
 *
 * <pre>
 *   java -Djna.library.path=DIR -cp jna.jar:classes io.pgtc.tests.HeaderTest include/pgtc.h
 * </pre>
 */
public final class HeaderTest {
    private HeaderTest() {}

    private static int failed;

    private static void check(boolean ok, String what) {
        if (!ok) {
            failed++;
            System.err.println("HeaderTest: " + what);
        }
    }

    /** {NAME without prefix: value} of the header's enumerators named prefix*. */
    private static Map<String, Integer> headerEnum(String header, String prefix) {
        Map<String, Integer> out = new TreeMap<>();
        Matcher m = Pattern.compile("(?m)^\\s*" + prefix + "(\\w+) = (\\d+),?$").matcher(header);
        while (m.find()) {
            out.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        check(!out.isEmpty(), "no " + prefix + "* enumerators in the header");
        return out;
    }

    /** {name: value} of the public static final int fields of a class. */
    private static Map<String, Integer> intConstants(Class<?> c) throws IllegalAccessException {
        Map<String, Integer> out = new TreeMap<>();
        for (Field f : c.getDeclaredFields()) {
            int mod = f.getModifiers();
            if (Modifier.isPublic(mod) && Modifier.isStatic(mod) && Modifier.isFinal(mod)
                    && f.getType() == int.class) {
                out.put(f.getName(), f.getInt(null));
            }
        }
        return out;
    }

    public static void main(String[] args) throws IOException, IllegalAccessException {
        if (args.length != 1) {
            System.err.println("usage: HeaderTest PATH/TO/pgtc.h");
            System.exit(2);
        }
        String header = Files.readString(Path.of(args[0]), StandardCharsets.UTF_8);

        Map<String, Integer> statuses = headerEnum(header, "PGTC_STATUS_");
        check(intConstants(Status.class).equals(statuses),
                "Status " + intConstants(Status.class) + " vs header " + statuses);
        for (Map.Entry<String, Integer> e : statuses.entrySet()) {
            String name = Status.name(e.getValue());
            check(("PGTC_STATUS_" + e.getKey()).equals(name), "pgtc_status_name(" + e.getValue() + ") = " + name);
        }

        Map<String, Integer> counters = headerEnum(header, "PGTC_COUNTER_");
        check(intConstants(Counter.class).equals(counters),
                "Counter " + intConstants(Counter.class) + " vs header " + counters);

        Map<String, Integer> servers = headerEnum(header, "PGTC_SERVER_");
        Map<String, Integer> binding = new TreeMap<>();
        for (Server s : Server.values()) {
            binding.put(s.name(), s.code());
            check(Server.fromCode(s.code()) == s, "Server.fromCode(" + s.code() + ")");
        }
        check(binding.equals(servers), "Server " + binding + " vs header " + servers);

        System.out.println("java header: " + (failed == 0 ? "ok" : failed + " failed"));
        System.exit(failed == 0 ? 0 : 1);
    }
}
