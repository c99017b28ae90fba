package io.github.sessiongate.it;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Client addresses of their own, one per call, each as the {@code X-Forwarded-For} header a request
 * through the trusted proxy 127.0.0.1 carries, so that the login limiter counts each test apart.
 */
final class ForwardedClients {
    private final AtomicInteger issued = new AtomicInteger();
    private final String firstTwoOctets;
    private final int thirdOctet;

    /** Addresses from {@code firstTwoOctets.thirdOctet.1} on, such as {@code ("198.51", 100)}. */
    ForwardedClients(String firstTwoOctets, int thirdOctet) {
        this.firstTwoOctets = firstTwoOctets;
        this.thirdOctet = thirdOctet;
    }

    /** The header line for an address not handed out before. */
    String next() {
        int n = issued.incrementAndGet();
        return "X-Forwarded-For: " + firstTwoOctets + "." + (thirdOctet + n / 250) + "." + (1 + n % 250);
    }
}
