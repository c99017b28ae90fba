/**
 * Server-enforced session lifetimes (idle timeout, absolute timeout, sliding cookie expiry) kept in
 * a signed meta cookie: {@link io.github.sessiongate.lifetime.SessionLifetime}.
 */
package io.github.sessiongate.lifetime;
