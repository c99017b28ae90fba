package io.github.sessiongate.it;

/** {@link AdversarialRound13Scenarios} on embedded Jetty. */
class JettyAdversarialRound13Test extends AdversarialRound13Scenarios {
    @Override
    Container newContainer() {
        return new JettyContainer();
    }
}
