package io.github.sessiongate.cookie;

import io.github.sessiongate.ConfigException;
import static io.github.sessiongate.cookie.CookieSealTest.KEY_A;
import static io.github.sessiongate.cookie.CookieSealTest.KEY_B;
import static io.github.sessiongate.cookie.CookieSealTest.KID_A;
import static io.github.sessiongate.cookie.CookieSealTest.KID_B;
import static io.github.sessiongate.cookie.CookieSealTest.TOKEN;
import static io.github.sessiongate.cookie.CookieSealTest.b64;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.testing.LogCapture;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Captures what CookieSeal logs at TRACE through every path and proves no token, sealed value or key appears. */
class CookieSealLogTest {
    private LogCapture capture;

    @BeforeEach
    void captureLog() {
        capture = new LogCapture(CookieSeal.class);
    }

    @AfterEach
    void restore() {
        capture.close();
    }

    @Test
    void noTokenSealedValueOrKeyIsEverLogged() {
        CookieSeal seal = CookieSealTest.seal(KID_B + ":" + b64(KEY_B) + "," + KID_A + ":" + b64(KEY_A));
        String sealed = seal.seal(TOKEN);
        seal.open(sealed);
        String[] parts = sealed.split("\\.", -1);
        String tampered = parts[0] + "." + parts[1] + "." + parts[2] + ".AAAA" + parts[3] + "." + parts[4];
        for (String hostile : List.of(tampered, TOKEN, sealed + ";", parts[0] + ".AAAA." + parts[2] + "." + parts[3]
                + "." + parts[4], CookieSealTest.seal("other:" + b64(KEY_A)).seal(TOKEN))) {
            assertTrue(seal.open(hostile).isEmpty());
        }
        assertThrows(ConfigException.class, () -> CookieSealTest.seal(KID_A + ":" + b64(KEY_A) + "," + KID_A + ":" + b64(KEY_B)));

        String log = capture.text();
        assertTrue(log.contains("sealed cookie value refused"), "the paths that log did run");
        assertTrue(log.contains("cookie sealing enabled"), "the INFO summary did run");
        for (String secret : List.of(TOKEN.split("\\.")[1], TOKEN.split("\\.")[2], parts[3], parts[4],
                b64(KEY_A).substring(0, 12), b64(KEY_B).substring(0, 12))) {
            assertFalse(log.contains(secret), "log shows " + secret);
        }
    }
}
