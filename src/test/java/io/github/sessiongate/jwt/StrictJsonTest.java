package io.github.sessiongate.jwt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jose4j.json.JsonUtil;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The strict parser: RFC 8259 exactly, values as jose4j's parser gives them, and never wider than it. */
class StrictJsonTest {
    private static Map<String, Object> parse(String json) throws StrictJson.Refused {
        return StrictJson.parseObject(json.getBytes(StandardCharsets.UTF_8), 32);
    }

    @Test
    void valuesHaveJose4jsTypes() throws Exception {
        Map<String, Object> m = parse(" {\"a\":1,\"b\":-0,\"c\":1.5,\"d\":1e2,\"e\":123456789012345678901,\"f\":true,"
                + "\"g\":null,\"h\":[1,\"x\",{}],\"i\":\"\\u00e9\\ud83d\\ude00\\n\\/\",\"j\":\"Zo\u00eb\"} ");
        assertEquals(1L, m.get("a"));
        assertEquals(0L, m.get("b"));
        assertEquals(1.5, m.get("c"));
        assertEquals(100.0, m.get("d"));
        assertEquals(new BigInteger("123456789012345678901"), m.get("e"));
        assertEquals(Boolean.TRUE, m.get("f"));
        assertTrue(m.containsKey("g"));
        assertEquals(List.of(1L, "x", Map.of()), m.get("h"));
        assertEquals("\u00e9\uD83D\uDE00\n/", m.get("i"));
        assertEquals("Zo\u00eb", m.get("j"));
        assertEquals(List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j"), List.copyOf(m.keySet()));
        assertEquals(JsonUtil.parseJson(new String(" {\"a\":1,\"e\":123456789012345678901,\"h\":[1,\"x\",{}]}")),
                parse(" {\"a\":1,\"e\":123456789012345678901,\"h\":[1,\"x\",{}]}"));
        assertThrows(UnsupportedOperationException.class, () -> m.put("k", 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "[]", "null", "\"x\"", "{", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{,}", "{\"a\":[1,]}",
            "{\"a\":01}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":+1}", "{\"a\":1e}", "{\"a\":-}", "{\"a\":NaN}", "{\"a\":1e400}",
            "{\"a\":tru}", "{\"a\":nul}", "{'a':1}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"\\ud800\"}",
            "{\"a\":\"\\udc00\"}", "{\"a\":\"\\ud800\\u0041\"}", "{\"a\":\"\t\"}", "{\"a\":1} x", "{}{}", "{\"a\":1,\"a\":1}",
            "{\"a\":null,\"a\":null}", "{\"a\":{\"b\":1,\"b\":2}}", "\ufeff{}", "{\"a\":1}\u0000", "{\"a\"\u000b:1}"})
    void notStrictJsonIsRefused(String json) {
        assertThrows(StrictJson.Refused.class, () -> parse(json));
    }

    @Test
    void malformedUtf8IsRefused() {
        byte[][] bad = {{(byte) 0xc0, (byte) 0x80}, {(byte) 0xe0, (byte) 0x80, (byte) 0x80}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
                {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xff}, {(byte) 0x80}, {(byte) 0xc3}};
        for (byte[] b : bad) {
            byte[] json = new byte[b.length + 9];
            byte[] head = "{\"a\":\"".getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(head, 0, json, 0, head.length);
            System.arraycopy(b, 0, json, head.length, b.length);
            json[head.length + b.length] = '"';
            json[head.length + b.length + 1] = '}';
            byte[] exact = Arrays.copyOf(json, head.length + b.length + 2);
            assertThrows(StrictJson.Refused.class, () -> StrictJson.parseObject(exact, 32), Arrays.toString(b));
        }
    }

    @Test
    void nestingIsBounded() throws Exception {
        String ok = "{\"a\":" + "[".repeat(31) + "]".repeat(31) + "}";
        parse(ok);
        assertThrows(StrictJson.Refused.class, () -> parse("{\"a\":" + "[".repeat(32) + "]".repeat(32) + "}"));
        assertThrows(StrictJson.Refused.class, () -> parse("{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}"));
    }

    /** Random mutations of claims JSON: whatever this parser accepts, jose4j's parses to the same values. */
    @Test
    void neverWiderThanJose4j() {
        String seed = "{\"iss\":\"https://idp\",\"aud\":[\"a\",\"b\"],\"exp\":1893456600,\"n\":-1.5e3,\"o\":{\"p\":null,\"q\":true},"
                + "\"s\":\"\\u00e9\\\"\"}";
        String alphabet = "{}[]\":,.-+eE0123456789 \\u\"truefalsenull\t\n";
        Random random = new Random(7);
        int accepted = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder s = new StringBuilder(seed);
            for (int m = random.nextInt(3) + 1; m > 0; m--) {
                int at = random.nextInt(s.length() + 1);
                switch (random.nextInt(3)) {
                    case 0 -> s.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 1 -> { if (at < s.length()) { s.deleteCharAt(at); } }
                    default -> { if (at < s.length()) { s.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length()))); } }
                }
            }
            Map<String, Object> strict;
            try {
                strict = parse(s.toString());
            } catch (StrictJson.Refused e) {
                continue;
            }
            accepted++;
            try {
                assertEquals(JsonUtil.parseJson(s.toString()), strict, s::toString);
            } catch (JoseException e) {
                fail("accepted what jose4j refuses: " + s);
            }
        }
        assertTrue(accepted > 1_000, "accepted " + accepted);
    }
}
