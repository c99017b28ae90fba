package io.github.sessiongate.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A backend that answers with raw bytes, for tests of what a proxy does with a broken or hostile
 * answer (garbage, HTTP/0.9, a 1xx, a body cut off mid-chunk, headers of odd spelling): a plain
 * {@link ServerSocket} on 127.0.0.1 that reads each request head (and a body of declared length),
 * records the request line, writes the bytes scripted for the path and closes the connection.
 * Thread-safe; {@link AutoCloseable}.
 */
public final class ScriptedBackend implements AutoCloseable {
    private final Map<String, byte[]> scripts = new ConcurrentHashMap<>();
    private final List<String> heads = Collections.synchronizedList(new ArrayList<>());
    private ServerSocket server;
    private ExecutorService executor;

    /** Starts listening on a free port of 127.0.0.1. */
    public ScriptedBackend start() {
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        executor = Executors.newCachedThreadPool(FakeAuthBackend.daemonThreads("scripted-backend"));
        executor.execute(this::accept);
        return this;
    }

    /** {@code http://127.0.0.1:port}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** What a request whose path (request target without query) is {@code path} gets, byte for byte (ISO-8859-1). */
    public void script(String path, String raw) {
        scripts.put(path, raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The request heads received so far, as text. */
    public List<String> heads() {
        synchronized (heads) {
            return List.copyOf(heads);
        }
    }

    @Override
    public void close() throws IOException {
        if (server != null) {
            server.close();
            executor.shutdownNow();
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                executor.execute(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setSoTimeout(10_000);
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            heads.add(head);
            String target = head.split(" ", 3).length > 1 ? head.split(" ", 3)[1] : "";
            String path = target.split("\\?", 2)[0];
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    in.readNBytes((int) Long.parseLong(line.substring(15).strip()));
                }
            }
            byte[] answer = scripts.getOrDefault(path,
                    "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(answer);
            socket.getOutputStream().flush();
        } catch (IOException | RuntimeException e) {
            // the proxy went away: nothing to record
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        for (int b; matched < 4 && (b = in.read()) >= 0; ) {
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }
}
