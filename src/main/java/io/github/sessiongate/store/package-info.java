/**
 * Shared short-lived state behind a small SPI: {@link io.github.sessiongate.store.ExpiringStore},
 * with a bounded in-memory default. Without a shared implementation the rotation guarantees
 * (single-flight refresh, grace window, validation cache) hold per node.
 */
package io.github.sessiongate.store;
