/**
 * The API proxy (backend-for-frontend): requests under a configured path prefix are forwarded to
 * a backend base URL with the user's token, the browser's cookies and credentials stripped.
 *
 * <ul>
 *   <li>{@link io.github.sessiongate.proxy.ApiProxy}: one filter's routes, each a
 *       {@link io.github.sessiongate.proxy.Forwarder} found by the normalised path. The request
 *       steps ({@code engine.RequestSteps}) route, apply the CSRF rule, resolve the session with
 *       refresh allowed and decide (401, never a login redirect); the forwarder does the rest.</li>
 *   <li>{@link io.github.sessiongate.proxy.ProxyPath}, {@link io.github.sessiongate.proxy.ProxyHeaders},
 *       {@link io.github.sessiongate.proxy.LocationRewrite}: the pure rules (backend URL, headers
 *       each way, redirects), unit-tested without a server.</li>
 *   <li>{@link io.github.sessiongate.proxy.RouteThreads} and
 *       {@link io.github.sessiongate.proxy.ProxyThreads}: each route's bulkhead and async threads,
 *       made and stopped by the composition root ({@code engine.Components}).</li>
 * </ul>
 *
 * <p>Not exported: applications configure routes through {@code ProxyRoute} and never name these types.
 */
package io.github.sessiongate.proxy;
