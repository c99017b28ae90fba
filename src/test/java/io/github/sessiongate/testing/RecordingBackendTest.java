package io.github.sessiongate.testing;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.testing.RecordingBackend.Answer;
import io.github.sessiongate.testing.RecordingBackend.Hold;
import io.github.sessiongate.testing.RecordingBackend.Recorded;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy scenarios' backend keeps its word: it records what arrived and answers as told. */
class RecordingBackendTest {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private RecordingBackend backend;

    @BeforeEach
    void start() {
        backend = new RecordingBackend().start();
    }

    @AfterEach
    void stop() {
        backend.close();
    }

    @Test
    void recordsTheRequestTargetHeadersAndBodyAndAnswersAsTold() throws Exception {
        backend.answer("/v1/a%20b", Answer.status(201).withBackendCookie().header("X-Answer", "yes").body("made"));

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(backend.baseUrl() + "/v1/a%20b?x=%2F+1"))
                .header("X-Sent", "1").POST(HttpRequest.BodyPublishers.ofString("hello")).build(),
                HttpResponse.BodyHandlers.ofString());

        Recorded seen = backend.only("/v1/a%20b");
        assertAll(
                () -> assertEquals(201, response.statusCode()),
                () -> assertEquals("made", response.body()),
                () -> assertEquals(List.of(RecordingBackend.BACKEND_COOKIE + "; Path=/"), response.headers().allValues("Set-Cookie")),
                () -> assertEquals(List.of("yes"), response.headers().allValues("X-Answer")),
                () -> assertEquals("POST", seen.method()),
                () -> assertEquals("/v1/a%20b?x=%2F+1", seen.target()),
                () -> assertEquals("x=%2F+1", seen.rawQuery()),
                () -> assertEquals(List.of("1"), seen.headers("x-sent")),
                () -> assertEquals(List.of(backend.authority()), seen.headers("Host")),
                () -> assertEquals("hello", seen.body()),
                () -> assertEquals(5, seen.bodyBytes()),
                () -> assertTrue(seen.complete()),
                () -> assertTrue(seen.firstBodyByteNanos() != 0 && seen.endNanos() - seen.firstBodyByteNanos() >= 0));
    }

    @Test
    void aHeldAnswerWaitsForItsReleaseAndCountsItsArrival() throws Exception {
        try (Hold hold = new Hold()) {
            backend.answer("/held", Answer.status(200).body("late").heldBy(hold));
            CompletableFuture<HttpResponse<String>> response = http.sendAsync(
                    HttpRequest.newBuilder(URI.create(backend.baseUrl() + "/held")).build(), HttpResponse.BodyHandlers.ofString());

            hold.awaitArrivals(1);
            assertFalse(response.isDone(), "answered before the release");
            hold.release();

            assertEquals("late", response.get(20, TimeUnit.SECONDS).body());
        }
    }

    @Test
    void aStreamedAnswerPausesWhereToldAndResumesOnRelease() throws Exception {
        long total = 5L * RecordingBackend.BLOCK_SIZE;
        long pauseAt = 3L * RecordingBackend.BLOCK_SIZE;
        Hold pause = new Hold();
        backend.answer("/stream", Answer.status(200).streamed(total).pausedAfter(pauseAt, pause));

        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(backend.baseUrl() + "/stream")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        CRC32 crc = new CRC32();
        try (InputStream in = response.body()) {
            byte[] head = in.readNBytes((int) pauseAt);
            crc.update(head);
            assertEquals(1, pause.arrivals(), "paused after the first part");
            pause.release();
            crc.update(in.readAllBytes());
        }
        assertEquals(RecordingBackend.crc32(total), crc.getValue());
    }
}
