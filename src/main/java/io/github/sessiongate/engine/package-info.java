/**
 * The engine {@code SessionFilter} starts; not exported, never imported by applications.
 *
 * <p>{@link io.github.sessiongate.engine.FilterEngine} is the one type the API names: it maps
 * init-params (or takes the given settings), has {@link io.github.sessiongate.engine.Components}
 * build and own the running components, and passes each dispatch to
 * {@link io.github.sessiongate.engine.Gate}, which runs the request steps (firewall, route,
 * credentials, CSRF, resolve, write, decide, chain). {@link io.github.sessiongate.engine.Endpoints}
 * and {@link io.github.sessiongate.engine.Logins} serve the filter's own routes.
 */
package io.github.sessiongate.engine;
