package io.github.sessiongate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.sun.net.httpserver.HttpServer;
import io.github.sessiongate.ProxyRoute;
import io.github.sessiongate.audit.AuditLog;
import io.github.sessiongate.internal.HttpTransport;
import io.github.sessiongate.testing.Await;
import io.github.sessiongate.web.RequestOrigin;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A forward whose request the container ended (browser gone, {@code onError}) right as the
 * answer's headers went never touches the response again: not even {@code getOutputStream()},
 * which on a recycled Tomcat response (facades kept, {@code discardFacades=false}) belongs to the
 * next request and would mark it as using its output stream.
 */
class ForwardAfterContainerEndedTest {
    private HttpServer backend;
    private HttpTransport transport;
    private Forwarder forwarder;
    private RouteThreads threads;

    @BeforeEach
    void start() throws Exception {
        backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        backend.createContext("/", exchange -> {
            byte[] body = "a body for the browser that left".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        backend.start();
        ProxyRoute route = ProxyRoute.builder("r", "/api/*",
                "http://127.0.0.1:" + backend.getAddress().getPort() + "/v1/").build();
        threads = new RouteThreads(route);
        transport = HttpTransport.create(Duration.ofSeconds(5));
        forwarder = new Forwarder(route, threads, transport, new AuditLog(), "", "forward-after-ended", "Bearer", 5);
    }

    @AfterEach
    void stop() {
        forwarder.close();
        threads.shutdownNow();
        transport.close();
        backend.stop(0);
    }

    @Test
    void theContainerEndingTheRequestAsTheHeadersGoLeavesTheOutputStreamAlone() throws Exception {
        HttpServletRequest request = mock(HttpServletRequest.class);
        HttpServletResponse response = mock(HttpServletResponse.class);
        AsyncContext async = mock(AsyncContext.class);
        AtomicReference<AsyncListener> listener = new AtomicReference<>();
        when(request.getMethod()).thenReturn("GET");
        when(request.getContentLengthLong()).thenReturn(-1L);
        when(request.getHeaderNames()).thenReturn(Collections.emptyEnumeration());
        when(request.getHeaders(any())).thenReturn(Collections.emptyEnumeration());
        when(request.isAsyncSupported()).thenReturn(true);
        when(request.startAsync()).thenReturn(async);
        doAnswer(call -> {
            listener.set(call.getArgument(0));
            return null;
        }).when(async).addListener(any());
        doAnswer(call -> {
            listener.get().onError(null); // the browser went away: the container ends and recycles the request
            return null;
        }).when(response).flushBuffer();

        forwarder.forward(request, response, "/api/x", new RequestOrigin("http", "localhost", 80, "127.0.0.1"), "tok");
        Await.until("the forward ending", () -> threads.inFlight() == 0);

        verify(response).flushBuffer();
        verify(response, never()).getOutputStream();
        verify(async, never()).complete();
        assertEquals(0, threads.inFlight());
    }
}
