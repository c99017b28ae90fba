package io.github.sessiongate.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The username delay is served by an injected sleeper, never more than a bounded number at once. */
class LoginDelayTest {

    @Test
    void waitsForTheDelayThroughTheSleeper() {
        List<Duration> slept = new CopyOnWriteArrayList<>();
        LoginDelay delay = new LoginDelay(2, slept::add);
        assertTrue(delay.pause(Duration.ofMillis(500)));
        assertFalse(delay.pause(Duration.ZERO), "no delay, no wait");
        assertEquals(List.of(Duration.ofMillis(500)), slept);
    }

    @Test
    void whenEverySlotWaitsTheNextAttemptGoesAheadAtOnceRatherThanTieUpAThreadOrBeRefused() throws Exception {
        CountDownLatch entered = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        LoginDelay delay = new LoginDelay(2, d -> {
            entered.countDown();
            release.await();
        });
        List<Thread> waiting = List.of(new Thread(() -> delay.pause(Duration.ofSeconds(2))),
                new Thread(() -> delay.pause(Duration.ofSeconds(2))));
        waiting.forEach(Thread::start);
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        assertFalse(delay.pause(Duration.ofSeconds(2)), "a third does not wait");
        release.countDown();
        for (Thread t : waiting) {
            t.join(10_000);
        }
        List<Duration> slept = new CopyOnWriteArrayList<>();
        assertTrue(new LoginDelay(1, slept::add).pause(Duration.ofSeconds(1)), "slots are given back");
    }

    @Test
    void anInterruptEndsTheWaitAndIsKept() {
        LoginDelay delay = new LoginDelay(1, d -> {
            throw new InterruptedException();
        });
        assertFalse(delay.pause(Duration.ofSeconds(1)));
        assertTrue(Thread.interrupted(), "the interrupt is kept (and cleared here)");
    }
}
