/**
 * The engine's side of the {@link io.github.sessiongate.StateStore} SPI: the bounded in-memory
 * default ({@link io.github.sessiongate.store.InMemoryStateStore}), and {@link
 * io.github.sessiongate.store.StateSlot}, which shows one kind of state to the rotation package as
 * a typed {@link io.github.sessiongate.store.ExpiringStore}: immutable objects on the in-memory
 * default, bytes ({@link io.github.sessiongate.store.ValueCodec}) sealed by {@link
 * io.github.sessiongate.store.StateSeal} on any other store.
 */
package io.github.sessiongate.store;
