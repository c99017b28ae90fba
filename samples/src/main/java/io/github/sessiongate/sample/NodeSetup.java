package io.github.sessiongate.sample;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * This process's place in a demo of several nodes ({@code SAMPLE_NODES=2 samples/run}), from the
 * environment the script hands each node:
 *
 * <ul>
 *   <li>{@code SAMPLE_NODE}: {@code 1} (the default) runs the identity side on {@code IDP_PORT};
 *       {@code 2} uses the one node 1 runs there and starts nothing on it;</li>
 *   <li>{@code SAMPLE_REDIS_URL}: the Redis both nodes keep their shared state in (tombstones,
 *       revocations, the refresh lease and grace memo, the login limiter), with
 *       {@code SAMPLE_STATE_STORE_KEY} (base64url of 32 bytes) sealing what goes there;</li>
 *   <li>{@code SAMPLE_CLIENT_TOKEN_SECRET} and {@code SAMPLE_COOKIE_KEYS}: the client-token key
 *       and the cookie key ring, written as the filter's init-params take them, so that what one
 *       node minted or sealed the other accepts (without them each process makes its own).</li>
 * </ul>
 *
 * <p>The script generates the secrets once and exports them: never on a command line, where any
 * local user could read them in the process list. {@code toString} shows no secret.
 */
record NodeSetup(int node, Optional<String> redisUrl, Optional<String> stateStoreKey,
        Optional<String> clientTokenSecret, Optional<String> cookieKeys) {

    /** One node, nothing shared: the demo as it always was. */
    static NodeSetup single() {
        return new NodeSetup(1, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /**
     * Reads the variables above.
     *
     * @throws IllegalArgumentException saying what to set
     */
    static NodeSetup from(Map<String, String> env) {
        String nodeValue = value(env, "SAMPLE_NODE").orElse("1");
        if (!nodeValue.equals("1") && !nodeValue.equals("2")) {
            throw new IllegalArgumentException("SAMPLE_NODE must be 1 (runs the identity provider) or 2 (uses "
                    + "node 1's); samples/run sets it, with SAMPLE_NODES=2");
        }
        Optional<String> redisUrl = value(env, "SAMPLE_REDIS_URL");
        Optional<String> key = value(env, "SAMPLE_STATE_STORE_KEY");
        if (redisUrl.isPresent() && key.isEmpty()) {
            throw new IllegalArgumentException("SAMPLE_REDIS_URL needs SAMPLE_STATE_STORE_KEY (base64url of 32 random "
                    + "bytes, the same on every node); samples/run generates it");
        }
        if (key.isPresent() && redisUrl.isEmpty()) {
            throw new IllegalArgumentException("SAMPLE_STATE_STORE_KEY is set without SAMPLE_REDIS_URL");
        }
        redisUrl.ifPresent(NodeSetup::checkRedisUrl);
        return new NodeSetup(Integer.parseInt(nodeValue), redisUrl, key, value(env, "SAMPLE_CLIENT_TOKEN_SECRET"),
                value(env, "SAMPLE_COOKIE_KEYS"));
    }

    private static void checkRedisUrl(String url) {
        try {
            URI uri = new URI(url);
            if (uri.getHost() == null || !("redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme()))) {
                throw new IllegalArgumentException();
            }
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            throw new IllegalArgumentException("SAMPLE_REDIS_URL must be redis://host:port or rediss://host:port");
        }
    }

    private static Optional<String> value(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
    }

    /** Whether this node runs the identity side on {@code IDP_PORT} (node 1 does). */
    boolean runsIdentityProvider() {
        return node == 1;
    }

    /**
     * Where the shared state lives, for the log: {@code host:port} of the Redis, never its
     * password; {@code "this node's memory"} without Redis.
     */
    String stateWhere() {
        return redisUrl.map(u -> {
            URI uri = URI.create(u);
            return "Redis at " + uri.getHost() + ":" + (uri.getPort() == -1 ? 6379 : uri.getPort());
        }).orElse("this node's memory");
    }

    @Override
    public String toString() {
        return "node " + node + ", state in " + stateWhere();
    }
}
