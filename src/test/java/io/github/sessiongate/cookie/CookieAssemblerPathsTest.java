package io.github.sessiongate.cookie;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.sessiongate.CookieSettings;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The assembler's quick read of the usual Cookie header gives exactly what its general path gives,
 * for usual headers and for every kind of unusual one (which the quick read hands to the general path).
 */
class CookieAssemblerPathsTest {

    @Test
    void quickReadAgreesWithTheGeneralPath() {
        CookieSettings settings = CookieSettings.defaults();
        List<CookieKind> kinds = CookieCodec.sessionKinds(true, false, false);
        Set<CookieKind> known = new LinkedHashSet<>(CookieKind.BUILT_IN);
        known.addAll(kinds);
        CookieAssembler assembler = new CookieAssembler(settings, kinds, List.copyOf(known), 1);
        String[] names = {"__Host-sg_access", "sg_access", "__Host-sg_refresh", "sg_refresh", "__Host-sg_guest",
            "sg_meta", "__Host-sg_access.0", "__Host-sg_access.1", "__Host-sg_access.2", "sg_access.0", "theme",
            "__Host-sg_access.x", "__Host-sg_refresh.01"};
        String[] values = {"tok-a", "", "tok-b"};
        List<String> headers = new ArrayList<>();
        headers.add("");
        for (String a : names) {
            for (String v : values) {
                headers.add(a + "=" + v);
                for (String b : names) {
                    headers.add(a + "=" + v + "; " + b + "=x2");
                    headers.add("theme=dark; " + a + "=" + v + "; " + b + "=" + v);
                }
            }
        }
        for (String header : headers) {
            for (boolean secure : new boolean[] {true, false}) {
                List<CookieHeaderReader.Pair> pairs = new ArrayList<>();
                CookieHeaderReader.parse(header, pairs);
                SessionCookies quick = assembler.assemble(pairs, secure);
                SessionCookies general = assembler.general(pairs, secure);
                String what = header + " secure=" + secure;
                assertEquals(general.toString(), quick.toString(), what);
                assertEquals(List.copyOf(general.presentNames()), List.copyOf(quick.presentNames()), what);
                assertEquals(general.duplicateNames(), quick.duplicateNames(), what);
                assertEquals(general.ignoredSummary(), quick.ignoredSummary(), what);
                assertEquals(general.presentedRefreshTokens(), quick.presentedRefreshTokens(), what);
                for (CookieKind kind : kinds) {
                    assertEquals(general.value(kind), quick.value(kind), what);
                }
                assertEquals(general.bytes(n -> true), quick.bytes(n -> true), what);
                assertEquals(general.count(n -> true), quick.count(n -> true), what);
            }
        }
    }
}
