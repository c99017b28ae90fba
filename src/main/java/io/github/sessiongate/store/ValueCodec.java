package io.github.sessiongate.store;

import io.github.sessiongate.Session;
import io.github.sessiongate.TokenPair;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.jose4j.json.JsonUtil;
import org.jose4j.lang.JoseException;

/**
 * How one kind of value becomes the bytes a {@link io.github.sessiongate.StateStore} holds, and
 * back: a small versioned binary form (first byte: the version), never Java serialisation. A value
 * the codec cannot read (another version, truncated, tampered) decodes to an
 * {@link IllegalArgumentException}, which the caller treats as a miss.
 *
 * @param <V> the value type; immutable
 */
public interface ValueCodec<V> {
    /** The version byte every codec here writes first. */
    byte VERSION = 1;

    /** The value's bytes. */
    byte[] encode(V value);

    /**
     * The value the bytes encode.
     *
     * @throws IllegalArgumentException when the bytes are not this codec's
     */
    V decode(byte[] bytes);

    /** Whether the value holds a token (or a session's token), so that it is sealed before it leaves the JVM. */
    boolean carriesToken();

    /** A marker: the value is its presence. Carries no token. */
    ValueCodec<Boolean> PRESENCE = of(false, (v, out) -> out.writeBoolean(v), DataInputStream::readBoolean);

    /** A string: here always a raw refresh token, so it carries a token. */
    ValueCodec<String> TOKEN = of(true, (v, out) -> writeLong(out, v), ValueCodec::readLong);

    /** A rotated token pair. */
    ValueCodec<TokenPair> TOKEN_PAIR = of(true, (v, out) -> {
        writeLong(out, v.accessToken());
        writeNullable(out, v.refreshToken());
        writeInstant(out, v.accessExpiresAt());
    }, in -> new TokenPair(readLong(in), readNullable(in), readInstant(in)));

    /** A validated session: subject, roles, claims (as JSON), expiry, token, guest flag. */
    ValueCodec<Session> SESSION = of(true, (v, out) -> {
        out.writeUTF(v.subject());
        out.writeInt(v.roles().size());
        for (String role : v.roles()) {
            out.writeUTF(role);
        }
        writeLong(out, JsonUtil.toJson(new LinkedHashMap<>(v.claims())));
        writeInstant(out, v.expiresAt().orElse(null));
        writeLong(out, v.token());
        out.writeBoolean(v.isGuest());
    }, in -> {
        String subject = in.readUTF();
        int roles = in.readInt();
        if (roles < 0 || roles > 10_000) {
            throw new IOException("bad role count");
        }
        Set<String> roleSet = new LinkedHashSet<>();
        for (int i = 0; i < roles; i++) {
            roleSet.add(in.readUTF());
        }
        Map<String, Object> claims;
        try {
            claims = JsonUtil.parseJson(readLong(in));
        } catch (JoseException e) {
            throw new IOException("bad claims");
        }
        Instant expiresAt = readInstant(in);
        String token = readLong(in);
        boolean guest = in.readBoolean();
        return Session.builder(subject, token).roles(Set.copyOf(roleSet)).claims(java.util.Collections.unmodifiableMap(claims))
                .expiresAt(expiresAt).guest(guest).build();
    });

    /** A codec of another type that maps onto this one (a wrapper around a value this codec writes). */
    default <W> ValueCodec<W> mapped(java.util.function.Function<W, V> unwrap, java.util.function.Function<V, W> wrap) {
        ValueCodec<V> inner = this;
        return new ValueCodec<>() {
            @Override
            public byte[] encode(W value) {
                return inner.encode(unwrap.apply(value));
            }

            @Override
            public W decode(byte[] bytes) {
                return wrap.apply(inner.decode(bytes));
            }

            @Override
            public boolean carriesToken() {
                return inner.carriesToken();
            }
        };
    }

    /** Writes one value's fields. */
    @FunctionalInterface
    interface Writer<V> {
        void write(V value, DataOutputStream out) throws IOException;
    }

    /** Reads one value's fields. */
    @FunctionalInterface
    interface Reader<V> {
        V read(DataInputStream in) throws IOException;
    }

    /** A codec from a field writer and reader; adds and checks the version byte, and refuses trailing bytes. */
    static <V> ValueCodec<V> of(boolean carriesToken, Writer<V> writer, Reader<V> reader) {
        return new ValueCodec<>() {
            @Override
            public byte[] encode(V value) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
                try (DataOutputStream out = new DataOutputStream(bytes)) {
                    out.writeByte(VERSION);
                    writer.write(value, out);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return bytes.toByteArray();
            }

            @Override
            public V decode(byte[] data) {
                try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
                    if (in.readByte() != VERSION) {
                        throw new IllegalArgumentException("unknown version");
                    }
                    V value = reader.read(in);
                    if (in.available() > 0) {
                        throw new IllegalArgumentException("trailing bytes");
                    }
                    return value;
                } catch (IOException | RuntimeException e) {
                    throw new IllegalArgumentException("not a value of this kind", e);
                }
            }

            @Override
            public boolean carriesToken() {
                return carriesToken;
            }
        };
    }

    /** A nullable string. */
    static void writeNullable(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            writeLong(out, s);
        }
    }

    /** Reads what {@link #writeNullable} wrote. */
    static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? readLong(in) : null;
    }

    /** A string of any length (tokens may pass 64 KiB of UTF-8 in principle): length then UTF-8. */
    static void writeLong(DataOutputStream out, String s) throws IOException {
        byte[] utf8 = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    /** Reads what {@link #writeLong} wrote. */
    static String readLong(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IOException("bad length");
        }
        return new String(in.readNBytes(n), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A nullable instant, to the nanosecond. */
    static void writeInstant(DataOutputStream out, Instant i) throws IOException {
        out.writeBoolean(i != null);
        if (i != null) {
            out.writeLong(i.getEpochSecond());
            out.writeInt(i.getNano());
        }
    }

    /** Reads what {@link #writeInstant} wrote. */
    static Instant readInstant(DataInputStream in) throws IOException {
        return in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
    }
}
