package io.github.sessiongate.loadtest;

/** One way of serving the servlet: its context path and the name the report gives it. */
enum Variant {
    NONE("/none", "no filter (baseline)"),
    SESSIONGATE("/sessiongate", "SessionGate (`SessionFilter`, `JwtTokenValidator`, PEM key, default cache)"),
    JOSE4J("/jose4j", "bare jose4j filter (one prebuilt `JwtConsumer`, no cache)"),
    SPRING("/spring", "Spring Security 6.5 `BearerTokenAuthenticationFilter` + `NimbusJwtDecoder`"),
    PAC4J("/pac4j", "pac4j 6.3 `JwtAuthenticator`"),
    FLOOR("/floor", "verification floor: one RS256 signature check and nothing else (`SignatureOnlyFilter`; accepts expired tokens, not a filter to deploy)");

    private final String contextPath;
    private final String title;

    Variant(String contextPath, String title) {
        this.contextPath = contextPath;
        this.title = title;
    }

    String contextPath() {
        return contextPath;
    }

    /** The path every request of this variant asks for. */
    String path() {
        return contextPath + "/hello";
    }

    String title() {
        return title;
    }

    /** Whether it checks claims: the verification floor checks the signature only, so an expired token passes. */
    boolean checksClaims() {
        return this != FLOOR;
    }
}
