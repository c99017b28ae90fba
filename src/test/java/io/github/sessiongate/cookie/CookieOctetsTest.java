package io.github.sessiongate.cookie;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@link CookieHeaderReader#isCookieOctet}'s table says what RFC 6265 says, for every char. */
class CookieOctetsTest {
    @Test
    void theTableIsTheRfcRule() {
        for (int c = 0; c <= Character.MAX_VALUE; c++) {
            boolean rfc = c == 0x21 || (c >= 0x23 && c <= 0x2b) || (c >= 0x2d && c <= 0x3a) || (c >= 0x3c && c <= 0x5b)
                    || (c >= 0x5d && c <= 0x7e);
            assertEquals(rfc, CookieHeaderReader.isCookieOctet((char) c), "char " + c);
        }
    }
}
