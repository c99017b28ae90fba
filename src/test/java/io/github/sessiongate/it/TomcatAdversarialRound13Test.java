package io.github.sessiongate.it;

/** {@link AdversarialRound13Scenarios} on embedded Tomcat. */
class TomcatAdversarialRound13Test extends AdversarialRound13Scenarios {
    @Override
    Container newContainer() {
        return new TomcatContainer();
    }
}
