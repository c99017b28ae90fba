package io.github.sessiongate.jwt;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import org.jose4j.jwk.OctetKeyPairJsonWebKey;

/**
 * Edwards-curve test keys (Ed25519, Ed448) as key pairs, JWKs and PEM, and a minimal self-signed
 * X.509 certificate over any such key, built by hand in DER (the JDK has no certificate builder).
 */
final class EdKeys {
    static final KeyPair ED25519 = generate("Ed25519");
    static final KeyPair OTHER_ED25519 = generate("Ed25519");
    static final KeyPair ED448 = generate("Ed448");

    private EdKeys() {
    }

    static KeyPair generate(String curve) {
        try {
            return KeyPairGenerator.getInstance(curve).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public half as an {@code OKP} JWK with this {@code kid}. */
    static OctetKeyPairJsonWebKey jwk(KeyPair pair, String kid) {
        OctetKeyPairJsonWebKey jwk = new OctetKeyPairJsonWebKey(pair.getPublic());
        jwk.setKeyId(kid);
        return jwk;
    }

    /** {@code BEGIN CERTIFICATE} PEM of a self-signed certificate for {@code pair}, signed with its own curve. */
    static String certificatePem(KeyPair pair) {
        try {
            String curve = pair.getPublic().getAlgorithm(); // "Ed25519" or "Ed448" from these generators
            byte[] algorithm = seq(oid(curve.equals("Ed448") ? new byte[] {0x2b, 0x65, 0x71} : new byte[] {0x2b, 0x65, 0x70}));
            byte[] name = seq(set(seq(oid(new byte[] {0x55, 0x04, 0x03}), tlv(0x0c, "test".getBytes(StandardCharsets.UTF_8)))));
            byte[] validity = seq(tlv(0x17, "250101000000Z".getBytes(StandardCharsets.US_ASCII)),
                    tlv(0x17, "350101000000Z".getBytes(StandardCharsets.US_ASCII)));
            byte[] tbs = seq(tlv(0xa0, tlv(0x02, new byte[] {2})), tlv(0x02, new byte[] {1}), algorithm, name, validity,
                    name, pair.getPublic().getEncoded());
            Signature signer = Signature.getInstance(curve);
            signer.initSign(pair.getPrivate());
            signer.update(tbs);
            byte[] signature = signer.sign();
            byte[] bits = new byte[signature.length + 1];
            System.arraycopy(signature, 0, bits, 1, signature.length);
            byte[] der = seq(tbs, algorithm, tlv(0x03, bits));
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                    + "\n-----END CERTIFICATE-----\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] oid(byte[] body) {
        return tlv(0x06, body);
    }

    private static byte[] seq(byte[]... parts) {
        return tlv(0x30, concat(parts));
    }

    private static byte[] set(byte[]... parts) {
        return tlv(0x31, concat(parts));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] tlv(int tag, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = body.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n & 0xff);
        }
        out.writeBytes(body);
        return out.toByteArray();
    }
}
