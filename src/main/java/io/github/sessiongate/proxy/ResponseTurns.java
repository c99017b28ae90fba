package io.github.sessiongate.proxy;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may touch a forward's response now: the forward's own thread, or the container once it
 * ended the request itself.
 *
 * <p>When the browser goes away mid-answer the container ends an async request on one of its own
 * threads ({@link AsyncListener#onError}, then completion) and recycles the request and response
 * objects; Tomcat hands them to the next request that arrives. A forward's thread that then still
 * writes, completes or times the request out would cut a stranger's answer. So every touch of the
 * response from the forward's thread ({@link #touch}) and its end ({@link #end}) hold one lock,
 * the container's {@code onError}/{@code onComplete}/{@code onTimeout} wait for it, and once the
 * container had its turn the forward's touches fail with {@link Ended} and its end does nothing.
 * A blocked write holds the lock only until it fails or goes through (the container raises an
 * error for that same write only after it failed); should a container call its listener first and
 * fail the write after, the listener stops waiting after {@link #CONTAINER_WAIT_SECONDS}, so a container
 * thread is never held for good.
 *
 * <p>A forward on the request thread (no async) needs no turns: {@link #inline()}.
 */
final class ResponseTurns implements AsyncListener {
    private static final Logger LOG = LoggerFactory.getLogger(ResponseTurns.class);
    private static final ResponseTurns INLINE = new ResponseTurns(null);
    /** How long a container callback waits for a touch in progress. */
    static final long CONTAINER_WAIT_SECONDS = 10;

    /** A touch of the response; may throw what the response throws. */
    interface Touch {
        void run() throws IOException;
    }

    /** The container ended the request: the forward must leave it alone. */
    static final class Ended extends IOException {
        private static final long serialVersionUID = 1L;

        Ended() {
            super("the container ended the request");
        }
    }

    /** {@code null}: inline. */
    private final AsyncContext async;
    private final ReentrantLock lock = new ReentrantLock();
    /** Written under {@link #lock}, or by a container callback that gave up waiting for it. */
    private volatile boolean ended;

    private ResponseTurns(AsyncContext async) {
        this.async = async;
    }

    /** Turns for a forward on the request thread: every touch runs, the end does nothing. */
    static ResponseTurns inline() {
        return INLINE;
    }

    /**
     * The request in async mode without a container timeout (the route's timeout bounds the wait
     * for the backend; a stream may run long), or {@code null} to forward on the request thread:
     * async unsupported on this request (a filter or servlet on its way is not async-supported),
     * or already started by someone else.
     */
    static ResponseTurns startAsync(HttpServletRequest request) {
        if (!request.isAsyncSupported()) {
            return null;
        }
        try {
            AsyncContext async = request.startAsync();
            async.setTimeout(0);
            ResponseTurns turns = new ResponseTurns(async);
            async.addListener(turns);
            return turns;
        } catch (IllegalStateException e) {
            LOG.debug("async refused ({}); forwarding on the request thread", e.toString());
            return null;
        }
    }

    /** Runs {@code touch} unless the container ended the request ({@link Ended}). */
    void touch(Touch touch) throws IOException {
        if (async == null) {
            touch.run();
            return;
        }
        lock.lock();
        try {
            if (ended) {
                throw new Ended();
            }
            touch.run();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the request, once, unless the container did: completes it, or for an answer that broke
     * off ({@code broken}) aborts it so the browser sees a broken answer, not a shorter complete
     * one (completing would write the last chunk). Jetty aborts the connection on
     * {@code sendError(-1)}; a container that refuses it (the response is committed) has the
     * request time out at once, and finding the response committed, closes the connection instead
     * of ending the body (Tomcat).
     */
    void end(HttpServletResponse response, boolean broken) {
        if (async == null) {
            return;
        }
        lock.lock();
        try {
            if (ended) {
                return;
            }
            ended = true;
            if (broken && abort(response)) {
                return;
            }
            try {
                async.complete();
            } catch (IllegalStateException e) {
                LOG.debug("async request already completed: {}", e.toString());
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether the abort was set going; {@code false}: complete instead. */
    private boolean abort(HttpServletResponse response) {
        try {
            response.sendError(-1);
            return false; // Jetty: aborted; the completion that follows ends nothing more
        } catch (IOException | IllegalStateException | IllegalArgumentException e) {
            LOG.debug("the container refused sendError(-1) on a committed response; timing the request out instead");
        }
        try {
            async.setTimeout(1);
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    @Override
    public void onComplete(AsyncEvent event) {
        containerEnded();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        containerEnded();
    }

    @Override
    public void onError(AsyncEvent event) {
        containerEnded();
    }

    /** The container's turn: waits for a touch in progress (bounded), then the forward leaves the request alone. */
    private void containerEnded() {
        boolean held = false;
        try {
            held = lock.tryLock(CONTAINER_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            ended = true;
        } finally {
            if (held) {
                lock.unlock();
            }
        }
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // not re-registered: one forward per request
    }
}
