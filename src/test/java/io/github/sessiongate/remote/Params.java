package io.github.sessiongate.remote;

import io.github.sessiongate.InitParams;
import java.util.LinkedHashMap;
import java.util.Map;

/** Init-params for tests: {@code Params.of("refresh-url", url, ...)}. */
public final class Params {
    private Params() {
    }

    public static Map<String, String> map(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values come in pairs");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return map;
    }

    public static InitParams of(String... namesAndValues) {
        return InitParams.resolve(map(namesAndValues));
    }
}
