package io.github.sessiongate.engine;

import io.github.sessiongate.LoginFlow;
import io.github.sessiongate.RefreshResult;
import io.github.sessiongate.TokenRefresher;
import io.github.sessiongate.TokenValidator;
import io.github.sessiongate.ValidationResult;

/**
 * The refresh half of a validator, answered by a {@link LoginFlow#refresher()}: what the rotation
 * calls when the flow that started the sessions has its own token-endpoint client. It inherits the
 * validator's guard (junk refused before any call, anything thrown is "unavailable"); it validates
 * nothing, the filter's validator still does. The refresher stays the flow's: never closed here.
 */
final class FlowRefresh extends TokenValidator {
    private final TokenRefresher refresher;

    FlowRefresh(TokenRefresher refresher) {
        this.refresher = refresher;
    }

    /** The validator the rotation refreshes with: the flow's refresher if it has one, else {@code validator}. */
    static TokenValidator of(LoginFlow flow, TokenValidator validator) {
        return flow.refresher().<TokenValidator>map(FlowRefresh::new).orElse(validator);
    }

    @Override
    protected ValidationResult doValidate(String token) {
        throw new UnsupportedOperationException("a login flow's refresher validates nothing");
    }

    @Override
    protected RefreshResult doRefresh(String refreshToken) {
        return refresher.refresh(refreshToken);
    }

    @Override
    public String describe() {
        return refresher.describe();
    }

    @Override
    public void close() {
        // the flow's
    }
}
