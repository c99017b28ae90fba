package io.github.sessiongate.engine;

import io.github.sessiongate.LoginFlow;
import io.github.sessiongate.cookie.CookieKind;
import io.github.sessiongate.cookie.CookieSeal;
import io.github.sessiongate.cookie.ProviderFactsValue;
import io.github.sessiongate.lifetime.SessionLifetime;
import io.github.sessiongate.rotation.SessionClues;
import java.time.Instant;
import java.util.Optional;

/**
 * A cookie request's {@link SessionClues}: the provider facts cookie (opened once, lazily, and only
 * when that cookie is configured) and the lifetime meta cookie's first login. One per request.
 */
final class RequestClues implements SessionClues {
    private final String factsValue;
    private final CookieSeal factsSeal;
    private final String meta;
    private final SessionLifetime lifetime;
    private Optional<LoginFlow.ProviderFacts> facts;

    private RequestClues(String factsValue, CookieSeal factsSeal, String meta, SessionLifetime lifetime) {
        this.factsValue = factsValue;
        this.factsSeal = factsSeal;
        this.meta = meta;
        this.lifetime = lifetime;
    }

    /**
     * The clues of a request's credentials; {@link SessionClues#NONE} for a bearer request (no
     * cookies) or one that presents neither cookie.
     *
     * @param factsSeal opens the facts cookie; empty when that cookie is not configured
     * @param lifetime the server-enforced lifetime, if configured
     */
    static SessionClues of(Credentials credentials, Optional<CookieSeal> factsSeal, Optional<SessionLifetime> lifetime) {
        if (credentials.fromBearer()) {
            return NONE;
        }
        String facts = factsSeal.isPresent() ? credentials.cookies().value(CookieKind.PROVIDER_FACTS).orElse(null) : null;
        String meta = lifetime.isPresent() ? credentials.cookies().meta().orElse(null) : null;
        if (facts == null && meta == null) {
            return NONE;
        }
        return new RequestClues(facts, factsSeal.orElse(null), meta, lifetime.orElse(null));
    }

    private Optional<LoginFlow.ProviderFacts> facts() {
        if (facts == null) {
            facts = factsValue == null ? Optional.empty() : ProviderFactsValue.open(factsValue, factsSeal);
        }
        return facts;
    }

    @Override
    public Optional<String> sid() {
        return facts().flatMap(LoginFlow.ProviderFacts::sessionId);
    }

    @Override
    public Optional<String> subject() {
        return facts().map(LoginFlow.ProviderFacts::subject);
    }

    @Override
    public boolean boundTo(String sessionSubject) {
        return factsValue != null && ProviderFactsValue.openFor(factsValue, factsSeal, sessionSubject).isPresent();
    }

    /** The meta's first login, when the meta is genuine, of this subject, and alive. */
    @Override
    public Optional<Instant> authenticatedAt(String sessionSubject) {
        if (meta == null || lifetime == null) {
            return Optional.empty();
        }
        SessionLifetime.Verdict v = lifetime.check(meta, sessionSubject);
        return v.kind() == SessionLifetime.Verdict.Kind.ALIVE && v.subjectChecked() ? v.firstLogin() : Optional.empty();
    }
}
