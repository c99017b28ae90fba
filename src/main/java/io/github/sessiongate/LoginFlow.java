package io.github.sessiongate;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How users sign in: the routes a login flow serves, where a browser without a session is sent,
 * how a logout ends at the provider, and what the filter keeps and shows about the provider. The
 * filter serves the session itself (cookies, validation, rotation, lifetime, CSRF); a flow only
 * turns a sign-in into a {@link TokenPair} and hands it to {@link Context#startSession}.
 *
 * <p>The default flow is the password login: {@code login-endpoint} takes a username and password,
 * forwards them to {@code login-url} (or the OAuth2 password grant) and starts the session; a page
 * without a session is redirected to {@code login-path?from=...}. Another flow (the OpenID Connect
 * code flow, say) is chosen with {@link GateConfig.Builder#loginFlow}.
 *
 * <h2>What the filter guarantees before it calls a route</h2>
 * <ul>
 *   <li>The request passed the firewall: its path is normalised ({@link Context#path()}), with no
 *       dot segment, encoded slash or path parameter.</li>
 *   <li>The path is one of {@link #routes()} (exactly, or with one trailing slash).</li>
 *   <li>CSRF per the route's {@link Csrf} policy: {@link Csrf#ENDPOINT_RULE} routes passed the same
 *       check as the filter's own endpoints; {@link Csrf#OWN_DEFENCE} routes were not checked at
 *       all, so the flow must defend them (the OpenID callback: a cross-site top-level {@code GET}
 *       whose defence is the {@code state} in its login-transaction cookie).</li>
 *   <li>No session has been resolved for the request: a route runs instead of resolution, and
 *       {@link Context#startSession} replaces whatever session the request carried.</li>
 * </ul>
 *
 * <h2>What the filter enforces on a flow</h2>
 * <ul>
 *   <li>Login transactions are sealed cookies, always {@code SameSite=Lax}: with
 *       {@code cookie-encryption-keys}, or without it a random key of this process (a sign-in then
 *       completes only on the node that started it); an unsealed or planted value is never handed
 *       to the flow.</li>
 *   <li>{@link Context#redirect} and {@link #logoutLocation} go only to a path on this origin or an
 *       absolute https URL (http only to a loopback host) without user info or control characters,
 *       within {@link Context#locationRoom()}: a redirect anywhere else throws
 *       {@link IllegalArgumentException}; a logout location anywhere else is replaced by
 *       {@code logout-redirect-path}. Which provider URLs are right is the flow's to check.</li>
 *   <li>{@link Context#header} sets only {@code Retry-After}, {@code WWW-Authenticate} and
 *       {@code Allow}, printable ASCII: cookies, caching and {@code Location} stay the filter's.</li>
 *   <li>What {@link #sessionDetails} returns never shows the session's token, nor any JWT-shaped value.</li>
 * </ul>
 *
 * <h2>Routes and paths</h2>
 * A route may not sit on one of the filter's endpoints (start-up fails naming it); it takes
 * precedence over the application at its exact path, protected or not, so keep routes under a
 * path of their own ({@code /auth/...}). An {@link Csrf#OWN_DEFENCE} route is exempt from the CSRF
 * check for every method: a flow reading a body must bound it itself, and a flow that takes only
 * {@code GET} (the OpenID Connect callback) answers other methods with
 * {@link Context#methodNotAllowed}. There is no narrower policy per method. A flow must answer
 * exactly once: one that answers nothing leaves an empty {@code 200}.
 *
 * <h2>What a flow must never do</h2>
 * <ul>
 *   <li>Log a token, password, code, verifier or cookie value (fingerprint it, if anything).</li>
 *   <li>Sign anyone out or clear cookies on a transient failure (a provider timeout, a 5xx, a full
 *       store): answer {@link Context#unavailable()} and leave the session as it was.</li>
 *   <li>Redirect to a target it did not check ({@link Context#safeTarget}) or to a provider URL it
 *       did not configure.</li>
 *   <li>Write cookies itself: session cookies go through {@link Context#startSession}, its own
 *       state through the login-transaction cookies of the {@link Context}.</li>
 * </ul>
 *
 * <p>One instance serves every request of a filter at once: implementations must be thread-safe
 * and should not block longer than their provider call (bounded by their own timeouts). A flow
 * handed in through the builder stays its owner's: the filter never closes it.
 */
public interface LoginFlow {

    /** The routes this flow serves, fixed for the filter's life; paths are plain paths inside the application. */
    List<Route> routes();

    /**
     * Serves a request to one of {@link #routes()}, answering through {@code context}.
     *
     * @throws IOException only when the answer cannot be written
     */
    void handle(Route route, Context context) throws IOException;

    /**
     * The entry point: answers a browser navigation to a protected page that has no session, e.g. a
     * redirect to the login page or to the provider's authorize URL (after saving the login
     * transaction). API calls and bearer requests get a 401 without asking the flow.
     */
    void enter(Context context) throws IOException;

    /**
     * The logout step, after the filter ended the session (tombstones, revocations, cookies cleared):
     * where a browser goes next, e.g. the provider's end-session URL (RP-initiated logout). Empty for
     * {@code logout-redirect-path}. A form logout answers {@code 303} to it; a JSON logout answers
     * {@code 200 {"location": ...}} with it (or {@code 204} when empty), and since a script reads that
     * body the flow is then called with facts <em>without</em> the ID token: build no token into it.
     *
     * @param ended the provider facts the session's facts cookie carried (see {@link ProviderFacts});
     *     empty when there was none, it did not open (tampered, sealed on another node), or it was not
     *     written for the session the logout ended (another user's, or no live access token to tell)
     */
    default Optional<String> logoutLocation(Context context, Optional<ProviderFacts> ended) {
        return Optional.empty();
    }

    /**
     * Revokes refresh tokens at whoever issued them (RFC 7009), best effort: called at logout for the
     * session's refresh tokens and for tokens refused or ended along a rotation. Empty: none.
     */
    default Optional<Revoker> revoker() {
        return Optional.empty();
    }

    /**
     * The token-endpoint client that refreshes the sessions this flow starts. Empty: the validator's
     * own refresh ({@code refresh-url} or {@code oauth2.token-url}).
     */
    default Optional<TokenRefresher> refresher() {
        return Optional.empty();
    }

    /**
     * What {@code /auth/session} shows about the flow under {@code "login"} for a signed-in user,
     * e.g. {@code {"provider": "https://id.example"}}; empty adds nothing. Never a token.
     */
    default Map<String, Object> sessionDetails(Session session) {
        return Map.of();
    }

    /** One line for the start-up log; never a secret. */
    default String describe() {
        return getClass().getSimpleName();
    }

    /**
     * One route of a flow.
     *
     * @param path a plain path inside the application, such as {@code /auth/callback}
     * @param csrf how the route is defended against cross-site requests
     */
    record Route(String path, Csrf csrf) {
        public Route {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(csrf, "csrf");
        }
    }

    /** A route's CSRF policy. */
    enum Csrf {
        /** The filter's endpoint rule: every unsafe request must come from an allowed origin. */
        ENDPOINT_RULE,
        /** No filter check: the flow defends the route itself (e.g. with {@code state}). */
        OWN_DEFENCE
    }

    /** Revokes one refresh token at its issuer; best effort, never throws, never logs the token. */
    @FunctionalInterface
    interface Revoker {
        void revoke(String refreshToken);
    }

    /**
     * What the provider said about a session it started, kept with the session so that a logout can
     * end it at the provider (RP-initiated, with the ID token as hint) and a back-channel logout can
     * find it by {@code sid}. The password flow has none.
     *
     * <p>Home: a cookie kind of their own ({@code sg_idp}), sealed like the login transactions,
     * written with the tokens by {@link Context#startSession}, left alone by refreshes in place and
     * cleared with the session cookies; kept for flows that {@linkplain #usesLoginTransactions() use
     * login transactions}. The ID token is kept only when the session's cookies and it leave room for
     * two pending sign-ins within {@code cookie-max-total-bytes}; otherwise the facts are kept without it.
     * {@link #toString()} never shows the ID token.
     *
     * @param issuer the provider's {@code iss}
     * @param subject the provider's {@code sub}
     * @param sessionId the provider's session, {@code sid}, if it sent one
     * @param idToken the ID token (or a stand-in small enough to keep), if kept
     */
    record ProviderFacts(String issuer, String subject, Optional<String> sessionId, Optional<String> idToken) {
        public ProviderFacts {
            Objects.requireNonNull(issuer, "issuer");
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(sessionId, "sessionId");
            Objects.requireNonNull(idToken, "idToken");
        }

        @Override
        public String toString() {
            return "ProviderFacts[issuer=" + issuer + ", subject=[PROTECTED], sessionId=" + sessionId.isPresent()
                    + ", idToken=" + (idToken.isPresent() ? "[PROTECTED]" : "none") + "]";
        }
    }

    /**
     * The outcome of {@link Context#startSession}.
     *
     * @param outcome what happened
     * @param session the session started, for {@link Outcome#STARTED} only
     * @param refusal for {@link Outcome#TOKEN_NOT_VALID}: which check failed, expected versus actual
     *     where the validator can say (e.g. {@code aud: expected [api], was [web]}), for a log line;
     *     never a token
     */
    record SessionStart(Outcome outcome, Optional<Session> session, Optional<String> refusal) {
        public SessionStart {
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(refusal, "refusal");
        }

        /** Without a refusal detail. */
        public SessionStart(Outcome outcome, Optional<Session> session) {
            this(outcome, session, Optional.empty());
        }

        /** What became of a session start. Only {@link #STARTED} wrote cookies. */
        public enum Outcome {
            /** The session's cookies are written. */
            STARTED,
            /**
             * The filter's validator refused the access token (or it is a guest's): the provider
             * and the filter disagree (audience, issuer); a refused sign-in, never an outage.
             */
            TOKEN_NOT_VALID,
            /** The filter's validator had no verdict (its key set or backend is down): transient, answer 503. */
            VALIDATOR_UNAVAILABLE,
            /** A security store is full: transient, answer 503; the tokens were revoked, nothing was handed out. */
            STATE_FULL,
            /** The tokens do not fit in the cookies: answer 502 ({@code tokens_too_large}). */
            TOO_LARGE
        }
    }

    /**
     * One pending login transaction, as its cookie carried it (unsealed).
     *
     * @param slot which member of the cookie family, for {@link Context#clearLoginTransaction}
     * @param value the value saved with {@link Context#saveLoginTransaction}; the seal proves only
     *     that this filter wrote it, not when: put an issue time inside and check it
     */
    record Transaction(int slot, String value) {
        @Override
        public String toString() {
            return "Transaction[slot=" + slot + ", value=[PROTECTED]]";
        }
    }

    /**
     * What the filter gives a flow for one request: the request, the session start and the answers.
     * Confined to the request's thread. An answer method commits the response; call one at most.
     */
    interface Context {
        /** The request; its body is unread. Read it with a bound, never log it. */
        HttpServletRequest request();

        /** The normalised path inside the application. */
        String path();

        /** The client's address (through trusted proxies only), e.g. for login limits. */
        String clientAddress();

        /** {@code raw} if it is a safe same-origin path for a redirect ({@code from}), else empty. */
        Optional<String> safeTarget(String raw);

        /** How many characters a {@code Location} may take next to the {@code Set-Cookie} headers written so far. */
        int locationRoom();

        /**
         * Starts a session from tokens the provider issued: validates the access token, links the
         * refresh token to it, ends whatever session the request carried, and writes the session
         * cookies (with the lifetime record, when configured). Answer afterwards. The tokens must
         * be the provider's answer, never a value the client sent: on a node without a shared
         * store, an access token without {@code jti} that this node signed out is served again
         * here, since the provider has just issued that very string (two sign-ins in one second).
         *
         * @param facts the provider's facts about the session, if any: kept sealed with the session
         *     (the ID token only when it fits; see {@link ProviderFacts}); none clears what a
         *     previous session left
         */
        SessionStart startSession(TokenPair tokens, Optional<ProviderFacts> facts);

        /** The pending login transactions the request carried, oldest first; empty unless {@link LoginFlow#usesLoginTransactions()}. */
        List<Transaction> loginTransactions();

        /**
         * Saves a login transaction (a state, nonce and verifier, say) in the short-lived
         * login-transaction cookie family (always sealed, {@code SameSite=Lax}, {@code Max-Age}
         * {@code oidc.transaction-max-age} or 10 minutes), dropping the oldest when all are taken.
         *
         * When the value does not fit the cookie budget next to the other pending transactions,
         * those are given up and the save is tried once more.
         *
         * @return the slot written, or {@code -1} when the value does not fit even alone (save less)
         * @throws IllegalStateException when the flow did not ask for them ({@link LoginFlow#usesLoginTransactions()})
         */
        int saveLoginTransaction(String value);

        /** Clears one login transaction, once it completed or failed. */
        void clearLoginTransaction(int slot);

        /** Records an audit event for this request; {@code token} (nullable) is only fingerprinted. */
        void audit(AuditEvent.Event event, String detail, String token);

        /** Counts a provider outage in the filter's metrics. */
        void countUnavailable();

        /**
         * Sets a response header, before an answer: only {@code Retry-After}, {@code WWW-Authenticate}
         * or {@code Allow}, printable ASCII, at most 512 characters.
         *
         * @throws IllegalArgumentException for any other header or value
         */
        void header(String name, String value);

        /** Answers JSON, {@code Cache-Control: no-store}. */
        void json(int status, Map<String, ?> body) throws IOException;

        /**
         * Answers a redirect: {@code 302} or {@code 303} to {@code location}, which the flow checked
         * and the filter checks again (see "What the filter enforces on a flow").
         *
         * @throws IllegalArgumentException for another status or a location the filter refuses
         */
        void redirect(int status, String location) throws IOException;

        /** Answers {@code 204}. */
        void noContent() throws IOException;

        /** Answers {@code 503} with {@code Retry-After}: transient, nothing cleared. */
        void unavailable() throws IOException;

        /** Answers {@code 405} with {@code Allow}. */
        void methodNotAllowed(String allow) throws IOException;
    }

    /** Whether the flow keeps login transactions in the login-transaction cookies (then read, budgeted and cleared). */
    default boolean usesLoginTransactions() {
        return false;
    }
}
