package io.pgtc;

/**
 * A routing decision from {@link Connection#explain(String)}: where the statement would run now,
 * where it may run, and the rule behind it. An immutable copy of the C {@code pgtc_route}, which
 * is freed before {@code explain} returns, so there is nothing to close.
 */
public final class Route {
    private final Server server;
    private final Server eligible;
    private final String reason;

    Route(Server server, Server eligible, String reason) {
        this.server = server;
        this.eligible = eligible;
        this.reason = reason;
    }

    /** Where the statement would run now. */
    public Server server() {
        return server;
    }

    /** Where it may run: PRIMARY when it must run there, BOTH when either server may. */
    public Server eligible() {
        return eligible;
    }

    /** One sentence naming the rule behind the decision. */
    public String reason() {
        return reason;
    }

    @Override
    public String toString() {
        return "Route[server=" + server + ", eligible=" + eligible + ", reason=" + reason + "]";
    }
}
