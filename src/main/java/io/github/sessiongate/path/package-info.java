/**
 * Request paths: which path a request is for, and what that path requires.
 *
 * <p>{@link io.github.sessiongate.path.RequestPaths} is a normalising firewall: it refuses any
 * request whose path could be read two ways (encoded slashes, dot segments, path parameters,
 * control characters, ...) and returns the decoded servlet path + path info as a
 * {@link io.github.sessiongate.path.PathVerdict}. {@link io.github.sessiongate.path.PathRules}
 * then maps that path to public, protected, or protected-with-roles, from the filter's
 * {@code public-paths}, {@code protected-paths}, {@code role-rules} and {@code default-access}
 * init-params. Rules are only ever matched against a path the firewall accepted.
 */
package io.github.sessiongate.path;
