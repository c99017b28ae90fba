package io.github.sessiongate.cookie;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class CookieHeaderReaderTest {

    private static List<String> parse(String... headers) {
        List<String> out = new ArrayList<>();
        for (CookieHeaderReader.Pair p : CookieHeaderReader.parse(Collections.enumeration(java.util.Arrays.asList(headers)))) {
            out.add(p.name() + "=" + p.value());
        }
        return out;
    }

    @Test
    void splitsOnSemicolonsAndTrimsSpacesAndTabs() {
        assertEquals(List.of("a=1", "b=2", "c=3"), parse("a=1;b=2 ;\t c \t= 3\t"));
    }

    @Test
    void stripsOnePairOfDoubleQuotes() {
        assertEquals(List.of("a=1", "b=", "c=x"), parse("a=\"1\"; b=\"\"; c=x"));
    }

    @Test
    void skipsAValueWithAnUnbalancedQuote() {
        assertEquals(List.of("b=2"), parse("a=\"1; b=2"));
    }

    @Test
    void skipsPairsWithoutEqualsOrName() {
        assertEquals(List.of("b=2", "d="), parse("junk; =1; b=2;; ;d="));
    }

    @Test
    void skipsPairsWithControlCharactersOrTabInsideTheValue() {
        assertEquals(List.of("ok=1", "ok2=2"), parse("x=a\tb; ok=1; y=\u0001; z=\u007f; ok2=2"));
    }

    @Test
    void skipsValuesThatAreNotCookieOctets() {
        assertEquals(List.of("ok=1"), parse("s=a b; c=a,b; bs=a\\b; u=\u00e9; ok=1"));
    }

    @Test
    void skipsNamesThatAreNotTokens() {
        assertEquals(List.of("ok=1"), parse("a b=1; (x)=2; \u00e9=3; ok=1"));
    }

    @Test
    void keepsEqualsSignsInsideTheValue() {
        assertEquals(List.of("a=b=c=="), parse("a=b=c=="));
    }

    @Test
    void readsEveryHeaderInOrder() {
        assertEquals(List.of("a=1", "b=2", "c=3"), parse("a=1; b=2", "c=3"));
    }

    @Test
    void nullEnumerationAndNullHeaderReadAsNothing() {
        assertEquals(List.of(), CookieHeaderReader.parse(null));
        assertEquals(List.of("a=1"), parse("a=1", null));
    }

    @Test
    void pairToStringHidesTheValue() {
        String s = new CookieHeaderReader.Pair("a", "secret-token").toString();
        assertFalse(s.contains("secret"), s);
    }
}
