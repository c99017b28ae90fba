package io.github.sessiongate.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A hand-written HTTP/1.1 request over a plain socket: the request target goes on the wire byte
 * for byte, as an attacker would send it ({@code java.net.http} refuses or rewrites many of them).
 * One request per connection ({@code Connection: close}); the response is read to end of stream.
 */
final class RawHttp {
    private static final int TIMEOUT_MILLIS = 5_000;

    private RawHttp() {
    }

    /** A parsed response; header names are lower case. */
    record Response(int status, Map<String, List<String>> headers, String body) {
        Optional<String> header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
        }

        List<String> headers(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + (body.length() > 300 ? body.substring(0, 300) + "..." : body);
        }
    }

    /**
     * Sends {@code method target HTTP/1.1} with a Host header, {@code Connection: close} and the
     * extra header lines ({@code "Name: value"}), written as ISO-8859-1 bytes.
     */
    static Response send(URI base, String method, String target, String... headerLines) throws IOException {
        return send(base, method, target, null, headerLines);
    }

    /**
     * As {@link #send(URI, String, String, String...)} with a request body, sent byte for byte after a
     * {@code Content-Length} header ({@code null} for none): a form body may carry raw CR and LF.
     */
    static Response send(URI base, String method, String target, byte[] body, String... headerLines) throws IOException {
        if (body == null) {
            return sendRaw(base, method, target, new byte[0], headerLines);
        }
        String[] lines = new String[headerLines.length + 1];
        System.arraycopy(headerLines, 0, lines, 0, headerLines.length);
        lines[headerLines.length] = "Content-Length: " + body.length;
        return sendRaw(base, method, target, body, lines);
    }

    /**
     * Sends the request head and then {@code rawBody} exactly as given, framed by whatever the
     * header lines say (such as {@code Transfer-Encoding: chunked} with a body already chunked).
     */
    static Response sendRaw(URI base, String method, String target, byte[] rawBody, String... headerLines) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write(head(base, method, target, headerLines));
            out.write(rawBody);
            out.flush();
            return receive(socket);
        }
    }

    /**
     * {@code method target HTTP/1.1}, a Host header, the header lines ({@code "Name: value"}),
     * {@code Connection: close} and the blank line, as ISO-8859-1 bytes.
     */
    static byte[] head(URI base, String method, String target, String... headerLines) {
        StringBuilder request = new StringBuilder();
        request.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        request.append("Host: ").append(base.getHost()).append(':').append(base.getPort()).append("\r\n");
        for (String line : headerLines) {
            request.append(line).append("\r\n");
        }
        request.append("Connection: close\r\n\r\n");
        return request.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Reads the response on {@code socket} to end of stream (bounded by the socket's read timeout). */
    static Response receive(Socket socket) throws IOException {
        return parse(readAll(socket.getInputStream()));
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                bytes.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            if (bytes.size() == 0) {
                throw e;
            }
        } catch (IOException e) {
            // A server may reset the connection right after its error response: keep what arrived.
            if (bytes.size() == 0) {
                throw e;
            }
        }
        return bytes.toByteArray();
    }

    private static Response parse(byte[] raw) throws IOException {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.") || end < 0) {
            throw new IOException("not an HTTP response: " + text);
        }
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.computeIfAbsent(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1).strip());
        }
        String body = text.substring(end + 4);
        if (headers.getOrDefault("transfer-encoding", List.of()).stream().anyMatch(v -> v.equalsIgnoreCase("chunked"))) {
            body = dechunk(body);
        }
        return new Response(status, headers, new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
    }

    private static String dechunk(String body) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (at < body.length()) {
            int eol = body.indexOf("\r\n", at);
            if (eol < 0) {
                break;
            }
            int size = Integer.parseInt(body.substring(at, eol).split(";")[0].strip(), 16);
            if (size == 0) {
                break;
            }
            out.append(body, eol + 2, Math.min(body.length(), eol + 2 + size));
            at = eol + 2 + size + 2;
        }
        return out.toString();
    }
}
