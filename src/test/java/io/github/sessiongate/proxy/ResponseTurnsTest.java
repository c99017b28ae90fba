package io.github.sessiongate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The forward's thread and the container take turns on an async response. */
class ResponseTurnsTest {
    private final HttpServletRequest request = mock(HttpServletRequest.class);
    private final HttpServletResponse response = mock(HttpServletResponse.class);
    private final AsyncContext async = mock(AsyncContext.class);

    private ResponseTurns started() {
        when(request.isAsyncSupported()).thenReturn(true);
        when(request.startAsync()).thenReturn(async);
        ResponseTurns turns = ResponseTurns.startAsync(request);
        verify(async).setTimeout(0);
        verify(async).addListener(turns);
        return turns;
    }

    @Test
    void afterTheContainerEndedTheRequestTheForwardLeavesItAlone() throws Exception {
        ResponseTurns turns = started();
        turns.onError(null);

        AtomicBoolean touched = new AtomicBoolean();
        assertThrows(ResponseTurns.Ended.class, () -> turns.touch(() -> touched.set(true)));
        turns.end(response, true);
        turns.end(response, false);

        assertFalse(touched.get());
        verify(async, never()).complete();
        verify(response, never()).sendError(-1);
        verify(async, never()).setTimeout(1);
    }

    @Test
    void theContainerWaitsForATouchInProgress() throws Exception {
        ResponseTurns turns = started();
        CountDownLatch touching = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread forward = new Thread(() -> {
            try {
                turns.touch(() -> {
                    touching.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        });
        forward.start();
        assertTrue(touching.await(10, TimeUnit.SECONDS));
        CountDownLatch containerDone = new CountDownLatch(1);
        Thread container = new Thread(() -> {
            turns.onError(null);
            containerDone.countDown();
        });
        container.start();

        while (container.getState() != Thread.State.TIMED_WAITING && containerDone.getCount() == 1) {
            Thread.onSpinWait(); // until onError waits for the lock (or wrongly returned)
        }
        assertEquals(1, containerDone.getCount(), "onError returned while the forward was writing");
        release.countDown();
        assertTrue(containerDone.await(10, TimeUnit.SECONDS));
        forward.join(10_000);
        assertThrows(ResponseTurns.Ended.class, () -> turns.touch(() -> { }));
    }

    @Test
    void aBrokenAnswerOnTomcatTimesTheRequestOutOnce() throws Exception {
        ResponseTurns turns = started();
        doThrow(new IllegalStateException("committed")).when(response).sendError(-1);

        turns.end(response, true);
        turns.end(response, false);
        turns.onTimeout(null);

        verify(async).setTimeout(1);
        verify(async, never()).complete();
    }

    @Test
    void aBrokenAnswerOnJettyIsAbortedThenCompleted() throws Exception {
        ResponseTurns turns = started();

        turns.end(response, true);

        verify(response).sendError(-1);
        verify(async).complete();
        verify(async, never()).setTimeout(1);
    }

    @Test
    void aWholeAnswerIsCompletedOnce() throws Exception {
        ResponseTurns turns = started();
        AtomicBoolean touched = new AtomicBoolean();
        turns.touch(() -> touched.set(true));

        turns.end(response, false);
        turns.end(response, false);
        turns.onComplete(null);

        assertTrue(touched.get());
        verify(async).complete();
    }

    @Test
    void withoutAsyncEveryTouchRunsAndNothingIsEnded() throws Exception {
        when(request.isAsyncSupported()).thenReturn(false);
        assertEquals(null, ResponseTurns.startAsync(request));
        ResponseTurns inline = ResponseTurns.inline();
        AtomicBoolean touched = new AtomicBoolean();

        inline.touch(() -> touched.set(true));
        inline.end(response, true);

        assertTrue(touched.get());
        verify(response, never()).sendError(any(Integer.class));
    }
}
