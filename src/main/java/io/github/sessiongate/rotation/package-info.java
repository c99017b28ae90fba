/**
 * Token rotation in place and validation at speed: the validation cache, de-duplication of
 * concurrent validations and refreshes (single flight, with a cross-node {@link
 * io.github.sessiongate.rotation.FlightLease} on top), the grace memo for just-rotated refresh
 * tokens, and the bulkhead that bounds backend calls. All state lives behind
 * {@link io.github.sessiongate.store.ExpiringStore}, each kind a slot of the configured
 * {@link io.github.sessiongate.StateStore}; the guarantees hold per node unless that store is shared.
 */
package io.github.sessiongate.rotation;
