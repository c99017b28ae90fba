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
        assertTrue(delay.pause(Duration.ZERO), "no delay: served at once, without a wait");
        assertEquals(List.of(Duration.ofMillis(500)), slept);
    }

    @Test
    void whenEverySlotWaitsTheNextAttemptIsRefusedRatherThanSkipTheDelayOrTieUpAThread() throws Exception {
        CountDownLatch entered = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        LoginDelay delay = new LoginDelay(2, d -> {
            entered.countDown();
            release.await();
        });
        List<Boolean> served = new CopyOnWriteArrayList<>();
        List<Thread> waiting = List.of(new Thread(() -> served.add(delay.pause(Duration.ofSeconds(2)))),
                new Thread(() -> served.add(delay.pause(Duration.ofSeconds(2)))));
        waiting.forEach(Thread::start);
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        assertFalse(delay.pause(Duration.ofSeconds(2)), "a third is refused: going ahead undelayed would bypass the delay");
        assertTrue(delay.pause(Duration.ZERO), "an attempt with no delay to serve is never refused");
        release.countDown();
        for (Thread t : waiting) {
            t.join(10_000);
        }
        assertEquals(List.of(true, true), served, "the two that waited were served");
        assertTrue(delay.pause(Duration.ofSeconds(2)), "a freed slot serves the next delay");
        List<Duration> slept = new CopyOnWriteArrayList<>();
        assertTrue(new LoginDelay(1, slept::add).pause(Duration.ofSeconds(1)), "slots are given back");
    }

    @Test
    void oneKeyHoldsAtMostItsShareOfTheSlots() throws Exception {
        CountDownLatch entered = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        LoginDelay delay = new LoginDelay(16, 2, d -> {
            entered.countDown();
            release.await();
        });
        List<Boolean> served = new CopyOnWriteArrayList<>();
        List<Thread> attacker = List.of(new Thread(() -> served.add(delay.pause("mallory", Duration.ofSeconds(2)))),
                new Thread(() -> served.add(delay.pause("mallory", Duration.ofSeconds(2)))));
        attacker.forEach(Thread::start);
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        assertFalse(delay.pause("mallory", Duration.ofSeconds(2)), "a third wait for the same key is refused");
        release.countDown(); // from here on the sleeper returns at once
        assertTrue(delay.pause("alice", Duration.ofSeconds(2)), "another key still gets a slot");
        for (Thread t : attacker) {
            t.join(10_000);
        }
        assertEquals(List.of(true, true), served);
        assertTrue(delay.pause("mallory", Duration.ofSeconds(2)), "the key's share is given back");
    }

    @Test
    void anInterruptEndsTheWaitUnservedAndIsKept() {
        LoginDelay delay = new LoginDelay(1, d -> {
            throw new InterruptedException();
        });
        assertFalse(delay.pause(Duration.ofSeconds(1)));
        assertTrue(Thread.interrupted(), "the interrupt is kept (and cleared here)");
    }
}
