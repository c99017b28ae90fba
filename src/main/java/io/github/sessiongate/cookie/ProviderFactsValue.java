package io.github.sessiongate.cookie;

import io.github.sessiongate.LoginFlow.ProviderFacts;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * The value of the provider-facts cookie ({@link CookieKind#PROVIDER_FACTS}): the provider's
 * {@code iss}, {@code sub}, {@code sid} and, when kept, the ID token, packed in binary and sealed
 * ({@link CookieSeal#sealBytes}). The ID token's three base64url parts are stored decoded, so a
 * Keycloak ID token of 1.3 kB seals to about 1.5 kB rather than 1.9 kB: what lets it sit next to
 * the access and refresh tokens and two pending sign-ins within the default
 * {@code cookie-max-total-bytes} (see {@code ProviderFactsBudgetTest}).
 *
 * <p>The value is bound to the session it was written with: it carries the subject of that
 * session's access token as the filter's validator saw it at login (one flag byte when it is the
 * provider's {@code sub}, else 16 bytes of its SHA-256: it may differ, as Entra ID's pairwise
 * subjects do), and {@link #openFor} gives the facts only next to a session of that subject. A
 * facts cookie planted next to another user's session (cookie tossing from a sibling host, where
 * the {@code __Host-} prefix is off) is then absent, never that user's {@code id_token_hint} or
 * {@code logout_hint}.
 *
 * <p>Opening is lenient: a value that does not open under the seal (tampered, sealed by another
 * node's per-process key or a removed key) or that this version did not write is absent, never an
 * error. Stateless.
 */
public final class ProviderFactsValue {
    /** 2: bound to the session's subject (1, unbound, is no longer read: its logout goes without a hint). */
    private static final byte VERSION = 2;
    private static final byte NO_ID_TOKEN = 0;
    /** The ID token as its three base64url parts, decoded. */
    private static final byte PACKED = 1;
    /** The ID token as text, when its parts do not decode canonically. */
    private static final byte TEXT = 2;
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private ProviderFactsValue() {
    }

    /** The sealed cookie value for these facts, bound to a session whose subject is the provider's {@code sub}. */
    public static String seal(ProviderFacts facts, CookieSeal seal) {
        return seal(facts, facts.subject(), seal);
    }

    /**
     * The sealed cookie value for these facts, bound to the session they were written with.
     *
     * @param sessionSubject the subject of the session's access token, as the filter's validator saw it
     */
    public static String seal(ProviderFacts facts, String sessionSubject, CookieSeal seal) {
        Objects.requireNonNull(facts, "facts");
        Objects.requireNonNull(sessionSubject, "sessionSubject");
        Objects.requireNonNull(seal, "seal");
        return seal.sealBytes(pack(facts, sessionSubject));
    }

    /**
     * The facts a cookie value carries, whatever session it is bound to; empty for anything but a
     * value {@link #seal} made under this seal. For a logout use {@link #openFor}.
     */
    public static Optional<ProviderFacts> open(String value, CookieSeal seal) {
        return bound(value, seal).map(Bound::facts);
    }

    /**
     * The facts a cookie value carries when it is bound to a session of {@code sessionSubject};
     * empty otherwise (another user's facts, tampered, foreign), never an error.
     */
    public static Optional<ProviderFacts> openFor(String value, CookieSeal seal, String sessionSubject) {
        if (sessionSubject == null) {
            return Optional.empty();
        }
        byte[] wanted = digest(sessionSubject);
        return bound(value, seal).filter(b -> MessageDigest.isEqual(b.sessionSubject(), wanted)).map(Bound::facts);
    }

    /** The facts and the digest of the subject of the session they were written with. */
    private record Bound(byte[] sessionSubject, ProviderFacts facts) {
    }

    /** Bytes of SHA-256 kept of a session subject that differs from the provider's {@code sub}. */
    private static final int DIGEST_BYTES = 16;

    private static byte[] digest(String subject) {
        try {
            return Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(subject.getBytes(StandardCharsets.UTF_8)),
                    DIGEST_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every Java has SHA-256
        }
    }

    private static Optional<Bound> bound(String value, CookieSeal seal) {
        if (value == null || seal == null) {
            return Optional.empty();
        }
        return seal.openBytes(value).flatMap(ProviderFactsValue::unpack);
    }

    static byte[] pack(ProviderFacts facts) {
        return pack(facts, facts.subject());
    }

    static byte[] pack(ProviderFacts facts, String sessionSubject) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            // The session's subject is most often the provider's sub: one byte then; else its digest
            // (a fixed 16 bytes, however long the access token's subject).
            boolean same = sessionSubject.equals(facts.subject());
            out.writeBoolean(!same);
            if (!same) {
                out.write(digest(sessionSubject));
            }
            writeText(out, facts.issuer());
            writeText(out, facts.subject());
            out.writeBoolean(facts.sessionId().isPresent());
            if (facts.sessionId().isPresent()) {
                writeText(out, facts.sessionId().get());
            }
            if (facts.idToken().isEmpty()) {
                out.writeByte(NO_ID_TOKEN);
            } else {
                byte[][] parts = decodedParts(facts.idToken().get());
                if (parts == null) {
                    out.writeByte(TEXT);
                    writeText(out, facts.idToken().get());
                } else {
                    out.writeByte(PACKED);
                    for (byte[] part : parts) {
                        out.writeShort(part.length);
                        out.write(part);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    private static Optional<Bound> unpack(byte[] plain) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(plain))) {
            if (in.readByte() != VERSION) {
                return Optional.empty();
            }
            byte[] ownSessionSubject = null;
            if (in.readBoolean()) {
                ownSessionSubject = new byte[DIGEST_BYTES];
                in.readFully(ownSessionSubject);
            }
            String issuer = readText(in);
            String subject = readText(in);
            byte[] sessionSubject = ownSessionSubject == null ? digest(subject) : ownSessionSubject;
            Optional<String> sid = in.readBoolean() ? Optional.of(readText(in)) : Optional.empty();
            byte kind = in.readByte();
            Optional<String> idToken;
            if (kind == NO_ID_TOKEN) {
                idToken = Optional.empty();
            } else if (kind == TEXT) {
                idToken = Optional.of(readText(in));
            } else if (kind == PACKED) {
                StringBuilder token = new StringBuilder();
                for (int i = 0; i < 3; i++) {
                    byte[] part = new byte[in.readUnsignedShort()];
                    in.readFully(part);
                    token.append(i == 0 ? "" : ".").append(ENCODER.encodeToString(part));
                }
                idToken = Optional.of(token.toString());
            } else {
                return Optional.empty();
            }
            if (in.read() != -1 || issuer.isEmpty() || subject.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Bound(sessionSubject, new ProviderFacts(issuer, subject, sid, idToken)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The decoded parts of a compact JWS, or {@code null} unless each re-encodes to exactly what it was. */
    private static byte[][] decodedParts(String jwt) {
        String[] parts = jwt.split("\\.", -1);
        if (parts.length != 3) {
            return null;
        }
        byte[][] decoded = new byte[3][];
        for (int i = 0; i < 3; i++) {
            try {
                decoded[i] = DECODER.decode(parts[i]);
            } catch (IllegalArgumentException e) {
                return null;
            }
            if (decoded[i].length > 0xFFFF || !ENCODER.encodeToString(decoded[i]).equals(parts[i])) {
                return null;
            }
        }
        return decoded;
    }

    private static void writeText(DataOutputStream out, String text) throws IOException {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > 0xFFFF) {
            throw new IllegalArgumentException("a provider fact is longer than 65535 bytes");
        }
        out.writeShort(utf8.length);
        out.write(utf8);
    }

    private static String readText(DataInputStream in) throws IOException {
        byte[] utf8 = new byte[in.readUnsignedShort()];
        in.readFully(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }
}
