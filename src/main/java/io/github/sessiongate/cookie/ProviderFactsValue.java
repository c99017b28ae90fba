package io.github.sessiongate.cookie;

import io.github.sessiongate.LoginFlow.ProviderFacts;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
 * <p>Opening is lenient: a value that does not open under the seal (tampered, sealed by another
 * node's per-process key or a removed key) or that this version did not write is absent, never an
 * error. Stateless.
 */
public final class ProviderFactsValue {
    private static final byte VERSION = 1;
    private static final byte NO_ID_TOKEN = 0;
    /** The ID token as its three base64url parts, decoded. */
    private static final byte PACKED = 1;
    /** The ID token as text, when its parts do not decode canonically. */
    private static final byte TEXT = 2;
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private ProviderFactsValue() {
    }

    /** The sealed cookie value for these facts. */
    public static String seal(ProviderFacts facts, CookieSeal seal) {
        Objects.requireNonNull(facts, "facts");
        Objects.requireNonNull(seal, "seal");
        return seal.sealBytes(pack(facts));
    }

    /** The facts a cookie value carries; empty for anything but a value {@link #seal} made under this seal. */
    public static Optional<ProviderFacts> open(String value, CookieSeal seal) {
        if (value == null || seal == null) {
            return Optional.empty();
        }
        return seal.openBytes(value).flatMap(ProviderFactsValue::unpack);
    }

    static byte[] pack(ProviderFacts facts) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
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

    static Optional<ProviderFacts> unpack(byte[] plain) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(plain))) {
            if (in.readByte() != VERSION) {
                return Optional.empty();
            }
            String issuer = readText(in);
            String subject = readText(in);
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
            return Optional.of(new ProviderFacts(issuer, subject, sid, idToken));
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
