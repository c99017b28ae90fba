package io.github.sessiongate.sample;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;
import org.jose4j.lang.JoseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's backend API, the one the webapp's API proxy forwards {@code /api/backend/*} to. It
 * is served under {@value #PATH} on {@code IDP_PORT} (by the {@link DemoIdentityProvider}, or by
 * the {@link MockOidcProvider} with {@code SAMPLE_LOGIN=oidc}), so both nodes of the two-node demo
 * reach the same one. It trusts nothing but the bearer token, which it checks itself against the
 * signing keys of the identity side in use: a resource server, not part of the webapp.
 *
 * <ul>
 *   <li>{@code /api/notes}: {@code GET} lists the caller's notes ({@code {"notes":[...]}});
 *       {@code POST} with JSON {@code {"text":"..."}} adds one and answers 201 with it. A valid
 *       bearer token is required, else 401 {@code {"error":"invalid_token"}}. In memory, per
 *       subject, at most {@value #MAX_NOTES} each.</li>
 *   <li>{@code /api/echo} and below: every method answers 200 with what arrived:
 *       {@code {"method","path","query","headers","bearer","sub"}}. {@code path} is the raw path
 *       as received ({@value #PATH} included), {@code query} the raw query string or {@code null}
 *       when there is none, {@code headers} the received header names in lower case (sorted),
 *       {@code bearer} {@code valid}, {@code invalid} or {@code absent}, and {@code sub} the
 *       token's subject when valid (else {@code null}). It sets {@code Set-Cookie: backend=1},
 *       which the proxy must keep from the browser.</li>
 * </ul>
 *
 * <p>Transport-neutral ({@link Request} in, {@link Response} out): each server adapts its own
 * exchange. Thread-safe. Nothing here logs a token.
 */
public final class DemoApi {
    private static final Logger LOG = LoggerFactory.getLogger(DemoApi.class);

    /** Where the API is mounted on its server. */
    public static final String PATH = "/api/";
    /** The cookie {@code echo} sets, which must never reach the browser through the proxy. */
    public static final String ECHO_COOKIE = "backend=1";
    static final int MAX_NOTES = 100;
    static final int MAX_NOTE_CHARS = 500;
    static final int MAX_USERS = 1000;
    /** The largest {@code notes} body read. */
    static final int MAX_BODY_BYTES = 4096;

    private final JwtConsumer consumer;
    private final Map<String, List<Map<String, Object>>> notes = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    /** One request as a server received it. */
    public record Request(String method, String rawPath, String rawQuery, Collection<String> headerNames,
            List<String> authorization, byte[] body) {
        public Request {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(rawPath, "rawPath");
            headerNames = List.copyOf(headerNames);
            authorization = List.copyOf(authorization);
            body = body == null ? new byte[0] : body;
        }
    }

    /** The answer: a JSON body, and whether to send {@link #ECHO_COOKIE}. */
    public record Response(int status, String json, boolean setsCookie) {
    }

    /**
     * An API trusting the access tokens of {@code issuer} for {@code audience}, signed with a key
     * from {@code jwksUrl} (RS256 or ES256). The key set is read when a token first needs it.
     */
    public DemoApi(String issuer, String audience, String jwksUrl) {
        HttpsJwks keys = new HttpsJwks(jwksUrl);
        this.consumer = new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setRequireSubject()
                .setAllowedClockSkewInSeconds(30)
                .setExpectedIssuer(issuer)
                .setExpectedAudience(audience)
                .setVerificationKeyResolver(new HttpsJwksVerificationKeyResolver(keys))
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        AlgorithmIdentifiers.RSA_USING_SHA256, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256)
                .build();
    }

    /** Whether this API serves {@code rawPath}. */
    public static boolean serves(String rawPath) {
        return rawPath != null && rawPath.startsWith(PATH);
    }

    /** Answers one request; never throws for anything a client sends. */
    public Response handle(Request request) {
        String path = request.rawPath();
        String subject = subject(request.authorization());
        if (path.equals(PATH + "echo") || path.startsWith(PATH + "echo/")) {
            return echo(request, subject);
        }
        if (path.equals(PATH + "notes")) {
            if (subject == null) {
                return json(401, Map.of("error", "invalid_token"));
            }
            return switch (request.method()) {
                case "GET" -> json(200, Map.of("notes", List.copyOf(notes.getOrDefault(subject, List.of()))));
                case "POST" -> addNote(subject, request.body());
                default -> json(405, Map.of("error", "method_not_allowed"));
            };
        }
        return json(404, Map.of("error", "not_found"));
    }

    private Response echo(Request request, String subject) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("method", request.method());
        body.put("path", request.rawPath());
        body.put("query", request.rawQuery() == null || request.rawQuery().isEmpty() ? null : request.rawQuery());
        TreeSet<String> names = new TreeSet<>();
        request.headerNames().forEach(name -> names.add(name.toLowerCase(Locale.ROOT)));
        body.put("headers", new ArrayList<>(names));
        body.put("bearer", request.authorization().isEmpty() ? "absent" : subject == null ? "invalid" : "valid");
        body.put("sub", subject);
        return new Response(200, JsonUtil.toJson(body), true);
    }

    private Response addNote(String subject, byte[] bytes) {
        if (bytes.length > MAX_BODY_BYTES) {
            return json(413, Map.of("error", "too_large"));
        }
        Object text;
        try {
            text = JsonUtil.parseJson(new String(bytes, StandardCharsets.UTF_8)).get("text");
        } catch (JoseException | RuntimeException e) {
            return json(400, Map.of("error", "invalid_request", "hint", "send JSON {\"text\":\"...\"}"));
        }
        if (!(text instanceof String s) || s.isBlank() || s.length() > MAX_NOTE_CHARS) {
            return json(400, Map.of("error", "invalid_request", "hint", "text: 1 to " + MAX_NOTE_CHARS + " characters"));
        }
        if (!notes.containsKey(subject) && notes.size() >= MAX_USERS) {
            return json(409, Map.of("error", "too_many_users"));
        }
        List<Map<String, Object>> mine = notes.computeIfAbsent(subject, u -> new CopyOnWriteArrayList<>());
        Map<String, Object> note = new LinkedHashMap<>();
        synchronized (mine) {
            if (mine.size() >= MAX_NOTES) {
                return json(409, Map.of("error", "too_many_notes"));
            }
            note.put("id", ids.incrementAndGet());
            note.put("owner", subject);
            note.put("text", s.strip());
            mine.add(note);
        }
        return json(201, note);
    }

    /**
     * The subject of the one valid bearer token in {@code authorization}; {@code null} when there
     * is none, several, or it is not valid.
     */
    private String subject(List<String> authorization) {
        if (authorization.size() != 1 || !authorization.get(0).regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        try {
            return consumer.processToClaims(authorization.get(0).substring(7).strip()).getSubject();
        } catch (InvalidJwtException | MalformedClaimException e) {
            // The exception's message holds the whole token: never log it.
            LOG.debug("the demo API refused a bearer token");
            return null;
        }
    }

    private static Response json(int status, Map<String, ?> body) {
        return new Response(status, JsonUtil.toJson(body), false);
    }
}
