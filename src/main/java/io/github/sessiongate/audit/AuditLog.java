package io.github.sessiongate.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Security events on the dedicated SLF4J logger {@value #LOGGER_NAME}, one line each:
 * {@code event=denied reason=unauthenticated path="/admin" client=203.0.113.7 token=1a2b3c4d}.
 *
 * <p>Never a token: only its {@link Fingerprint}. Every field that comes from the request is
 * escaped ({@link #escape}) so a hostile path or header can neither forge a line nor a field.
 * Events are logged at INFO; route or silence the logger in your logging configuration.
 * Thread-safe.
 */
public final class AuditLog {
    /** Name of the audit logger. */
    public static final String LOGGER_NAME = "io.github.sessiongate.audit";

    /** What happened. */
    public enum Event {
        /** A protected path was refused: see the reason. */
        DENIED,
        /** A request path failed the firewall. */
        BAD_PATH,
        /** A token was presented and refused. */
        INVALID_TOKEN,
        /** The same session cookie arrived more than once (cookie tossing). */
        DUPLICATE_COOKIE,
        /** A browser was sent to the login page. */
        LOGIN_REDIRECT,
        /** The validator or its backend gave no verdict. */
        UNAVAILABLE,
        /** Session cookies were cleared after a definitive refusal. */
        COOKIES_CLEARED
    }

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER_NAME);
    private static final int MAX_FIELD = 256;

    private final Logger log;

    /** Logs to {@value #LOGGER_NAME}. */
    public AuditLog() {
        this(LOG);
    }

    AuditLog(Logger log) {
        this.log = log;
    }

    /**
     * Records one event.
     *
     * @param event what happened
     * @param reason a fixed, token-free word or phrase
     * @param path the normalised (or, for {@link Event#BAD_PATH}, raw) request path
     * @param client the client address
     * @param token the token concerned, fingerprinted here; {@code null} for none
     */
    public void record(Event event, String reason, String path, String client, String token) {
        if (!log.isInfoEnabled()) {
            return;
        }
        log.info("event={} reason={} path=\"{}\" client={} token={}", event.name().toLowerCase(java.util.Locale.ROOT),
                escape(reason), escape(path), escape(client), Fingerprint.of(token));
    }

    /**
     * Makes a value safe for one log field: printable ASCII other than quote and backslash
     * stays; everything else becomes {@code \xHH} or {@code \\uHHHH}; long values are cut.
     */
    public static String escape(String value) {
        if (value == null) {
            return "-";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), MAX_FIELD) + 8);
        for (int i = 0; i < value.length(); i++) {
            if (out.length() >= MAX_FIELD) {
                out.append("...");
                break;
            }
            char c = value.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                out.append(c);
            } else if (c < 0x100) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out.toString();
    }
}
