package io.github.sessiongate.sample;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code /api/notes}: protected JSON. {@code GET} lists the signed-in user's notes; {@code POST}
 * (a cookie-authenticated write, so the filter's CSRF check applies) adds one and answers 201.
 * Notes live in memory, per user, at most 100 each.
 */
public final class NotesServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final int MAX_NOTES = 100;
    private static final int MAX_BODY = 2048;

    private final transient Map<String, List<Map<String, Object>>> notes = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String user = request.getRemoteUser();
        Json.send(response, HttpServletResponse.SC_OK, Map.of("notes", new ArrayList<>(notes.getOrDefault(user, List.of()))));
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String user = request.getRemoteUser();
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(MAX_BODY + 1);
        }
        if (body.length > MAX_BODY) {
            Json.send(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, Map.of("error", "too_large"));
            return;
        }
        List<Map<String, Object>> mine = notes.computeIfAbsent(user, u -> new CopyOnWriteArrayList<>());
        if (mine.size() >= MAX_NOTES) {
            Json.send(response, HttpServletResponse.SC_CONFLICT, Map.of("error", "too_many_notes"));
            return;
        }
        Map<String, Object> note = new LinkedHashMap<>();
        note.put("id", ids.incrementAndGet());
        note.put("owner", user);
        note.put("text", new String(body, StandardCharsets.UTF_8));
        mine.add(note);
        Json.send(response, HttpServletResponse.SC_CREATED, note);
    }
}
