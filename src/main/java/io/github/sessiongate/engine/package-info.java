/**
 * The engine {@code SessionFilter} starts; not exported, never imported by applications.
 *
 * <p>{@link io.github.sessiongate.engine.FilterEngine} is the type the API starts: it maps
 * init-params (or takes the given settings), has {@link io.github.sessiongate.engine.Components}
 * build and own the running components, and passes each dispatch to
 * {@link io.github.sessiongate.engine.RequestSteps}, which runs the request steps top to bottom,
 * forward only: firewall, route, credentials ({@link io.github.sessiongate.engine.Credentials}),
 * CSRF, resolve, write, decide, chain. The decision is a value:
 * {@link io.github.sessiongate.engine.Resolver} turns what the request presents into a sealed
 * {@link io.github.sessiongate.engine.Resolution} (authenticated, anonymous, no verdict, ended),
 * and {@link io.github.sessiongate.engine.SessionWriter} applies it to the response
 * ({@link io.github.sessiongate.engine.Exchange} is only the request's plumbing).
 * {@link io.github.sessiongate.engine.Endpoints} serves the filter's own endpoints and
 * {@link io.github.sessiongate.engine.Logins} the {@link io.github.sessiongate.LoginFlow}'s side:
 * the flow's routes (through a {@code LoginFlow.Context} that starts sessions with the resolver
 * and the writer), its entry point for the deny step, and the generic logout that ends the chain
 * before the flow's logout step; both get the collaborators they use, never the steps. The flow
 * itself ({@code login.PasswordLoginFlow} by default) is built by {@code Components}.
 *
 * <p>The API depends on this package only through {@code SessionFilter}: it registers
 * {@link io.github.sessiongate.engine.ApiAccess} hooks (the validator's once-only {@code init},
 * the outbound components and compiled settings of a config) and has
 * {@link io.github.sessiongate.engine.SettingsChecks} run the checks of {@code GateConfig.Builder.build()}
 * that need engine code. {@link io.github.sessiongate.engine.InitParamsMapping} maps web.xml
 * init-params onto the typed builder.
 */
package io.github.sessiongate.engine;
