package io.github.sessiongate.redis;

import io.github.sessiongate.ConfigException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS trust of {@code redis.tls-ca-file}: the PEM certificates in the file, and only those,
 * as the roots a Redis server's certificate must chain to. Read once at start-up; a file that is
 * missing, unreadable or holds no certificate fails start-up naming the parameter. JDK only, so
 * the settings load without the Redis client.
 */
final class RedisTlsTrust {
    private RedisTlsTrust() {
    }

    /** A socket factory trusting exactly the CA certificates in {@code pem}. */
    static SSLSocketFactory fromPemFile(String parameter, Path pem) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(pem);
        } catch (IOException | SecurityException e) {
            throw new ConfigException(parameter, "cannot be read (" + e.getClass().getSimpleName()
                    + "); name a PEM file of the CA certificates that sign the Redis server's certificate");
        }
        Collection<? extends Certificate> certs;
        try {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes));
        } catch (GeneralSecurityException | RuntimeException e) {
            certs = java.util.List.of();
        }
        if (certs.isEmpty()) {
            throw new ConfigException(parameter, "holds no PEM certificate (-----BEGIN CERTIFICATE-----); name the "
                    + "CA certificates that sign the Redis server's certificate");
        }
        try {
            KeyStore roots = KeyStore.getInstance(KeyStore.getDefaultType());
            roots.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                if (c instanceof X509Certificate) {
                    roots.setCertificateEntry("ca-" + i++, c);
                }
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(roots);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, tmf.getTrustManagers(), null);
            return tls.getSocketFactory();
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigException(parameter, "could not be used as a trust store: " + e.getClass().getSimpleName());
        }
    }
}
