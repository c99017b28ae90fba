package io.github.sessiongate.lifetime;

import io.github.sessiongate.LifetimeSettings;
import io.github.sessiongate.ConfigException;
import io.github.sessiongate.InitParams;
import io.github.sessiongate.internal.Bounds;
import io.github.sessiongate.secret.HmacSecret;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-enforced session lifetimes: an idle timeout, an absolute timeout and sliding cookie expiry,
 * kept without server state in a signed <em>meta cookie</em> next to the session cookies.
 *
 * <pre>{@code
 * <init-param><param-name>idle-timeout</param-name><param-value>30m</param-value></init-param>
 * <init-param><param-name>absolute-timeout</param-name><param-value>12h</param-value></init-param>
 * <init-param><param-name>session-signing-secret</param-name><param-value>${env:SG_META_SECRET}</param-value></init-param>
 * }</pre>
 *
 * <p><b>The meta value</b> (cookie {@code meta-cookie-name}, default {@code sg_meta}) is base64url
 * (no padding, 87 characters) of 65 bytes: version {@code 1}; a 16-byte subject tag
 * ({@code HMAC-SHA256(key, "sessiongate/meta/subject" 0 subject)}, truncated); first-login and
 * last-activity times (epoch seconds, 8 bytes each); and {@code HMAC-SHA256(key, "sessiongate/meta/v1"
 * 0 the 33 bytes before)}, checked with {@link MessageDigest#isEqual}. The key is
 * {@code session-signing-secret}, used for nothing else. The tag binds the meta to one subject
 * without revealing it; the MAC makes every field tamper-evident.
 *
 * <p><b>Verdicts</b> of {@link #check(String, String)} and what the filter does with each:
 * <ul>
 *   <li>{@link Verdict.Kind#ALIVE}: within every timeout; carry on, and {@link #touch} it.</li>
 *   <li>{@link Verdict.Kind#MISSING}: no meta (cookies from before the feature was enabled, a
 *       login the filter did not see, or the cookie dropped), or a genuine meta of <em>another</em>
 *       subject: a still-valid access token is served, but no record is started (only a login
 *       does, so the absolute timeout cannot be restarted) and no refresh is allowed.</li>
 *   <li>{@link Verdict.Kind#INVALID}: malformed, an unknown version, a bad MAC (tampered, or signed
 *       with a previous {@code session-signing-secret}) or impossible times: treated as expired, so
 *       the user signs in again. Rotating the secret therefore signs everyone out.</li>
 *   <li>{@link Verdict.Kind#IDLE_EXPIRED}, {@link Verdict.Kind#ABSOLUTE_EXPIRED}: past a timeout.</li>
 * </ul>
 * After the last three ({@link Verdict#mustSignIn}) no refresh is attempted; the filter clears the
 * session cookies and the user signs in again.
 *
 * <p><b>Timeouts.</b> Absolute: {@code now >= first-login + absolute-timeout}. Idle: {@code now >=
 * last-activity + idle}, where idle is the shorter of {@code idle-timeout} and {@code sliding-expiry}
 * (sliding expiry is enforced here too, since a client need not honour a cookie's Max-Age). The last
 * activity is recorded at most once per {@code sliding-interval}, so a session may be judged idle up
 * to one interval early, never late; the interval must therefore be at most half the idle time.
 *
 * <p><b>Sliding expiry</b>: whenever {@link #touch} returns a new meta, the filter also re-issues the
 * access and refresh cookies with {@link #slidingMaxAge(String)} as Max-Age ({@code
 * CookieCodec.write(..., maxAge)}), so a browser left alone drops them after {@code sliding-expiry}.
 *
 * <p><b>Keep the meta cookie alive with the tokens.</b> Whenever the filter writes the access and
 * refresh cookies (a refresh, a sliding re-issue), it writes the meta cookie too: the new value from
 * {@link #start} or {@link #touch}, else the current one unchanged. {@code CookieSettings} keeps
 * {@code meta-cookie-max-age} at least as long as theirs, so the meta then never expires first; a meta
 * that vanished while the tokens remained would read as {@code MISSING} and restart the lifetimes
 * (with only an absolute timeout nothing else rewrites it).
 *
 * <p><b>Limits.</b> The meta lives with the client: a client that deliberately discards it gets
 * {@code MISSING} and a fresh start (the price of letting sessions from before the feature, and
 * logins the filter does not see, start without signing in again). To bind the absolute
 * timeout even then, pass the verified login time to {@link #start(String, Instant)} when the token
 * carries one (OpenID Connect {@code auth_time}). The subject is unknown while an access token is
 * expired: {@code check(meta, null)} checks integrity and timeouts, and the filter checks again
 * with the refreshed token's subject.
 *
 * <p>Thread-safe and immutable; time comes from the {@link Clock} given to {@link #fromParams}.
 * Nothing here logs a meta value or the secret.
 */
public final class SessionLifetime {
    private static final Logger LOG = LoggerFactory.getLogger(SessionLifetime.class);

    /** A meta time this far in the future (another node's clock) is still accepted. */
    static final Duration MAX_FUTURE = Duration.ofMinutes(5);

    static final byte VERSION = 1;
    static final int TAG_BYTES = 16;
    static final int MAC_BYTES = 32;
    static final int BODY_BYTES = 1 + TAG_BYTES + 8 + 8;
    static final int META_BYTES = BODY_BYTES + MAC_BYTES;
    /** Length of an encoded meta: base64url without padding of {@link #META_BYTES}. */
    static final int META_CHARS = (META_BYTES * 4 + 2) / 3;
    private static final byte[] SUBJECT_CONTEXT = "sessiongate/meta/subject\0".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MAC_CONTEXT = "sessiongate/meta/v1\0".getBytes(StandardCharsets.US_ASCII);
    private static final String HMAC = "HmacSHA256";

    private final Clock clock;
    private final Duration idleTimeout;
    private final Duration absoluteTimeout;
    private final Duration slidingExpiry;
    private final Duration slidingInterval;
    /** The shorter of idle-timeout and sliding-expiry, in seconds; 0 when both are off. */
    private final long idleSeconds;
    private final Mac prototype;

    /** What {@link #check} concluded about one meta value. Immutable. */
    public static final class Verdict {
        /** The outcomes; see {@link SessionLifetime} for what the filter does with each. */
        public enum Kind { ALIVE, MISSING, INVALID, IDLE_EXPIRED, ABSOLUTE_EXPIRED }

        private final Kind kind;
        private final Instant firstLogin;
        private final Instant lastActivity;
        private final boolean subjectChecked;

        private Verdict(Kind kind, Instant firstLogin, Instant lastActivity, boolean subjectChecked) {
            this.kind = kind;
            this.firstLogin = firstLogin;
            this.lastActivity = lastActivity;
            this.subjectChecked = subjectChecked;
        }

        public Kind kind() {
            return kind;
        }

        /** The recorded first login, for a genuine meta of this subject (or of an unchecked one). */
        public Optional<Instant> firstLogin() {
            return Optional.ofNullable(firstLogin);
        }

        /** The recorded last activity, for a genuine meta of this subject (or of an unchecked one). */
        public Optional<Instant> lastActivity() {
            return Optional.ofNullable(lastActivity);
        }

        /**
         * Whether the meta was checked against a subject. {@code false} after {@code check(meta, null)}:
         * check again once the subject is known.
         */
        public boolean subjectChecked() {
            return subjectChecked;
        }

        /** Whether the user must sign in again: {@code INVALID}, {@code IDLE_EXPIRED} or {@code ABSOLUTE_EXPIRED}. */
        public boolean mustSignIn() {
            return kind == Kind.INVALID || kind == Kind.IDLE_EXPIRED || kind == Kind.ABSOLUTE_EXPIRED;
        }

        @Override
        public String toString() {
            return "Verdict[" + kind + (firstLogin == null ? "" : ", firstLogin=" + firstLogin + ", lastActivity="
                    + lastActivity) + (subjectChecked ? "" : ", subject not checked") + "]";
        }
    }

    /** A meta value whose MAC and version checked out. */
    private record Meta(byte[] tag, long first, long last) {
    }

    private SessionLifetime(Clock clock, Duration idleTimeout, Duration absoluteTimeout, Duration slidingExpiry,
            Duration slidingInterval, HmacSecret secret) {
        this.clock = clock;
        this.idleTimeout = idleTimeout;
        this.absoluteTimeout = absoluteTimeout;
        this.slidingExpiry = slidingExpiry;
        this.slidingInterval = slidingInterval;
        long idle = 0;
        for (Duration d : Arrays.asList(idleTimeout, slidingExpiry)) {
            if (d != null && (idle == 0 || d.getSeconds() < idle)) {
                idle = d.getSeconds();
            }
        }
        this.idleSeconds = idle;
        byte[] key = secret.bytes();
        try {
            this.prototype = Mac.getInstance(HMAC);
            prototype.init(new SecretKeySpec(key, HMAC));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java platform provides " + HMAC, e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** The settings of {@code lifetime-*} init-params (marking them read); the builder checks. */
    public static LifetimeSettings settingsFrom(InitParams params) {
        LifetimeSettings.Builder b = LifetimeSettings.builder();
        optional(params, LifetimeSettings.PARAM_IDLE_TIMEOUT).ifPresent(b::idleTimeout);
        optional(params, LifetimeSettings.PARAM_ABSOLUTE_TIMEOUT).ifPresent(b::absoluteTimeout);
        optional(params, LifetimeSettings.PARAM_SLIDING_EXPIRY).ifPresent(b::slidingExpiry);
        Bounds.duration(params, LifetimeSettings.PARAM_SLIDING_INTERVAL).ifPresent(b::slidingInterval);
        params.get(LifetimeSettings.PARAM_SIGNING_SECRET).ifPresent(b::signingSecret);
        return b.build();
    }

    /** A duration, or empty when unset or {@value LifetimeSettings#OFF}. */
    private static Optional<Duration> optional(InitParams params, String name) {
        Optional<String> raw = params.get(name);
        if (raw.isEmpty() || raw.get().toLowerCase(Locale.ROOT).equals(LifetimeSettings.OFF)) {
            return Optional.empty();
        }
        return Bounds.duration(params, name);
    }

    /**
     * The lifetime these settings describe, its key checked against the filter's other keys.
     *
     * @param namedOthers other keys by init-param name ({@code null} values skipped): a match names it
     * @param unnamedOthers further keys ({@code null} entries skipped)
     * @return empty when no timeout is on
     * @throws ConfigException naming {@value LifetimeSettings#PARAM_SIGNING_SECRET} when its key is used elsewhere
     */
    public static Optional<SessionLifetime> create(LifetimeSettings settings, Clock clock, Map<String, String> namedOthers,
            Collection<String> unnamedOthers) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(namedOthers, "namedOthers");
        Objects.requireNonNull(unnamedOthers, "unnamedOthers");
        if (!settings.enabled()) {
            return Optional.empty();
        }
        HmacSecret key = HmacSecret.parse(LifetimeSettings.PARAM_SIGNING_SECRET, settings.signingSecret().orElseThrow(), namedOthers, unnamedOthers);
        SessionLifetime lifetime = new SessionLifetime(clock, settings.idleTimeout().orElse(null),
                settings.absoluteTimeout().orElse(null), settings.slidingExpiry().orElse(null), settings.slidingInterval(), key);
        LOG.info("{} ready", lifetime.describe());
        return Optional.of(lifetime);
    }

    // ---------------------------------------------------------------- issuing

    /**
     * A new meta value for a session that starts now: at login, and only there.
     *
     * @param subject the verified subject (the access token's {@code sub})
     */
    public String start(String subject) {
        return start(subject, clock.instant());
    }

    /**
     * A new meta value whose first login is {@code authenticatedAt} (never later than now): pass the
     * verified login time when the token carries one (OpenID Connect {@code auth_time}), so that a
     * client that discards the meta cookie cannot restart the absolute timeout. A login longer ago than
     * {@code absolute-timeout} yields a meta that {@link #check} finds expired.
     */
    public String start(String subject, Instant authenticatedAt) {
        requireSubject(subject);
        Objects.requireNonNull(authenticatedAt, "authenticatedAt");
        long now = clock.instant().getEpochSecond();
        long first = Math.max(0, Math.min(now, authenticatedAt.getEpochSecond()));
        return encode(tag(subject), first, now);
    }

    /**
     * Judges a meta value for a subject. Never throws for any value.
     *
     * @param metaOrNull the meta cookie's value as read, or {@code null} when absent
     * @param subjectOrNull the verified subject, or {@code null} while unknown (access token expired,
     *        refresh pending): then the subject binding is not checked ({@link Verdict#subjectChecked()})
     */
    public Verdict check(String metaOrNull, String subjectOrNull) {
        if (subjectOrNull != null) {
            requireSubject(subjectOrNull);
        }
        Verdict verdict = judge(metaOrNull, subjectOrNull, clock.instant().getEpochSecond());
        LOG.debug("session meta: {}", verdict.kind());
        return verdict;
    }

    private Verdict judge(String metaOrNull, String subject, long now) {
        boolean checked = subject != null;
        if (metaOrNull == null || metaOrNull.isEmpty()) {
            return new Verdict(Verdict.Kind.MISSING, null, null, checked);
        }
        Meta meta = decode(metaOrNull);
        if (meta == null || meta.first() > meta.last() || meta.last() > now + MAX_FUTURE.getSeconds()) {
            return new Verdict(Verdict.Kind.INVALID, null, null, checked);
        }
        if (checked && !MessageDigest.isEqual(meta.tag(), tag(subject))) {
            LOG.debug("session meta belongs to another subject; the session starts afresh");
            return new Verdict(Verdict.Kind.MISSING, null, null, true);
        }
        Instant first = Instant.ofEpochSecond(meta.first());
        Instant last = Instant.ofEpochSecond(meta.last());
        Verdict.Kind kind = Verdict.Kind.ALIVE;
        if (absoluteTimeout != null && now - meta.first() >= absoluteTimeout.getSeconds()) {
            kind = Verdict.Kind.ABSOLUTE_EXPIRED;
        } else if (idleSeconds > 0 && now - meta.last() >= idleSeconds) {
            kind = Verdict.Kind.IDLE_EXPIRED;
        }
        return new Verdict(kind, first, last, checked);
    }

    /**
     * Records activity: a new meta value with last activity now, when the session is
     * {@link Verdict.Kind#ALIVE ALIVE} for this subject, an idle timeout or sliding expiry is on, and the
     * recorded activity is at least {@code sliding-interval} old; otherwise empty, and nothing need be
     * written. The first login is kept.
     *
     * @param meta the meta cookie's value as read
     * @param subject the verified subject
     */
    public Optional<String> touch(String meta, String subject) {
        requireSubject(subject);
        if (idleSeconds == 0 || meta == null) {
            return Optional.empty();
        }
        long now = clock.instant().getEpochSecond();
        Verdict verdict = judge(meta, subject, now);
        if (verdict.kind() != Verdict.Kind.ALIVE) {
            return Optional.empty();
        }
        Meta parsed = decode(meta);
        if (now - parsed.last() < slidingInterval.getSeconds()) {
            return Optional.empty();
        }
        return Optional.of(encode(parsed.tag(), parsed.first(), now));
    }

    /**
     * The Max-Age to re-issue the access and refresh cookies with, right after writing this meta value
     * ({@link #start} or {@link #touch}): {@code sliding-expiry}, shortened so the cookies do not outlive
     * the absolute timeout. Empty when sliding expiry is off or the meta is not alive.
     */
    public Optional<Duration> slidingMaxAge(String meta) {
        if (slidingExpiry == null) {
            return Optional.empty();
        }
        long now = clock.instant().getEpochSecond();
        Verdict verdict = judge(meta, null, now);
        if (verdict.kind() != Verdict.Kind.ALIVE) {
            return Optional.empty();
        }
        Duration maxAge = slidingExpiry;
        if (absoluteTimeout != null) {
            long left = verdict.firstLogin().get().getEpochSecond() + absoluteTimeout.getSeconds() - now;
            if (left < maxAge.getSeconds()) {
                maxAge = Duration.ofSeconds(left);
            }
        }
        return Optional.of(maxAge);
    }

    // ---------------------------------------------------------------- encoding

    private String encode(byte[] tag, long first, long last) {
        ByteBuffer buffer = ByteBuffer.allocate(META_BYTES);
        buffer.put(VERSION).put(tag).putLong(first).putLong(last);
        buffer.put(mac(Arrays.copyOf(buffer.array(), BODY_BYTES)));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer.array());
    }

    /**
     * The verified contents, or {@code null} for anything malformed, non-canonical, of another version,
     * or forged.
     */
    private Meta decode(String value) {
        if (value.length() != META_CHARS) {
            return null;
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (bytes.length != META_BYTES || bytes[0] != VERSION
                || !Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(value)) {
            return null; // the last check refuses non-canonical spellings (spare bits set in the last character)
        }
        byte[] body = Arrays.copyOf(bytes, BODY_BYTES);
        byte[] mac = Arrays.copyOfRange(bytes, BODY_BYTES, META_BYTES);
        if (!MessageDigest.isEqual(mac, mac(body))) {
            return null;
        }
        ByteBuffer buffer = ByteBuffer.wrap(body, 1 + TAG_BYTES, 16);
        return new Meta(Arrays.copyOfRange(body, 1, 1 + TAG_BYTES), buffer.getLong(), buffer.getLong());
    }

    private byte[] tag(String subject) {
        Mac mac = newMac();
        mac.update(SUBJECT_CONTEXT);
        return Arrays.copyOf(mac.doFinal(subject.getBytes(StandardCharsets.UTF_8)), TAG_BYTES);
    }

    private byte[] mac(byte[] body) {
        Mac mac = newMac();
        mac.update(MAC_CONTEXT);
        return mac.doFinal(body);
    }

    /** A Mac of our key for one use: {@link Mac} is not thread-safe, so the initialised prototype is cloned. */
    private Mac newMac() {
        try {
            synchronized (prototype) {
                return (Mac) prototype.clone();
            }
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(HMAC + " of this provider cannot be cloned", e);
        }
    }

    private static void requireSubject(String subject) {
        Objects.requireNonNull(subject, "subject");
        if (subject.isBlank()) {
            throw new IllegalArgumentException("subject must not be blank");
        }
    }

    // ---------------------------------------------------------------- settings

    /** {@code idle-timeout}, if on. */
    public Optional<Duration> idleTimeout() {
        return Optional.ofNullable(idleTimeout);
    }

    /** {@code absolute-timeout}, if on. */
    public Optional<Duration> absoluteTimeout() {
        return Optional.ofNullable(absoluteTimeout);
    }

    /** {@code sliding-expiry}, if on. */
    public Optional<Duration> slidingExpiry() {
        return Optional.ofNullable(slidingExpiry);
    }

    /** {@code sliding-interval}: how often at most activity is recorded. */
    public Duration slidingInterval() {
        return slidingInterval;
    }

    /** One line for the start-up log; never the secret. */
    public String describe() {
        List<String> parts = List.of(
                "idle=" + (idleTimeout == null ? LifetimeSettings.OFF : idleTimeout),
                "absolute=" + (absoluteTimeout == null ? LifetimeSettings.OFF : absoluteTimeout),
                "sliding=" + (slidingExpiry == null ? LifetimeSettings.OFF : slidingExpiry),
                "interval=" + (idleSeconds == 0 ? "n/a" : slidingInterval),
                "secret=[PROTECTED]");
        return "SessionLifetime" + parts;
    }

    @Override
    public String toString() {
        return describe();
    }
}
