package io.github.sessiongate.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a fuzz input into a flag byte and text fields, so that seed files stay readable: the
 * first byte's low four bits are flags (seeds use {@code @} to {@code O}, 0 to 15), the rest is
 * text (UTF-8 when flag 0 is set, else ISO-8859-1, as containers hand header bytes over), split
 * at NUL bytes into fields.
 */
public final class FuzzInput {
    private final int flags;
    private final List<String> fields;
    private final byte[] rest;

    private FuzzInput(int flags, List<String> fields, byte[] rest) {
        this.flags = flags;
        this.fields = fields;
        this.rest = rest;
    }

    public static FuzzInput of(byte[] data) {
        if (data == null || data.length == 0) {
            return new FuzzInput(0, List.of(""), new byte[0]);
        }
        int flags = data[0] & 0x0f;
        byte[] rest = Arrays.copyOfRange(data, 1, data.length);
        String text = new String(rest, (flags & 1) != 0 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        return new FuzzInput(flags, new ArrayList<>(List.of(text.split("\u0000", -1))), rest);
    }

    /** Flag {@code bit} (0 to 3); flag 0 chose the text's charset. */
    public boolean flag(int bit) {
        return (flags & (1 << bit)) != 0;
    }

    /** Bits 2 and 3 as a number from 0 to 3. */
    public int choice() {
        return (flags >> 2) & 3;
    }

    /** Field {@code i}, or {@code ""} when the input has fewer. */
    public String field(int i) {
        return i < fields.size() ? fields.get(i) : "";
    }

    /** Field {@code i}, or {@code null} when the input has fewer. */
    public String fieldOrNull(int i) {
        return i < fields.size() ? fields.get(i) : null;
    }

    public List<String> fields() {
        return fields;
    }

    /** The bytes after the flag byte, undecoded. */
    public byte[] rest() {
        return rest.clone();
    }
}
