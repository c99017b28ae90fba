package io.github.sessiongate.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * A login body that stops arriving ends in the container's idle timeout, which the read sees as
 * an {@code IOException}: that is the client's fault and answers 400, never the container's 500.
 */
class RequestBodiesStalledTest {

    @Test
    void aBodyThatStopsArrivingIsMalformedNotAnError() throws Exception {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getContentLengthLong()).thenReturn(100L);
        when(request.getContentType()).thenReturn("application/x-www-form-urlencoded");
        when(request.getInputStream()).thenReturn(new StalledStream());
        RequestBodies.Fields fields = RequestBodies.read(request, 8192);
        assertEquals(RequestBodies.Problem.MALFORMED, fields.problem());
    }

    /** Gives a few bytes, then fails as Jetty does when its idle timeout expires mid-body. */
    private static final class StalledStream extends ServletInputStream {
        private final byte[] start = "username=al".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        private int next;

        @Override
        public int read() throws IOException {
            if (next < start.length) {
                return start[next++];
            }
            throw new IOException(new TimeoutException("Idle timeout expired: 30000/30000 ms"));
        }

        @Override
        public boolean isFinished() {
            return false;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            throw new UnsupportedOperationException();
        }
    }
}
