package io.github.sessiongate.path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PathVerdictTest {

    @Test
    void acceptedVerdictHasPathAndNoReason() {
        PathVerdict v = PathVerdict.accepted("/a");
        assertTrue(v.isAccepted());
        assertEquals("/a", v.path());
        assertThrows(IllegalStateException.class, v::reason);
    }

    @Test
    void rejectedVerdictHasReasonAndNoPath() {
        PathVerdict v = PathVerdict.rejected("encoded slash");
        assertFalse(v.isAccepted());
        assertEquals("encoded slash", v.reason());
        IllegalStateException e = assertThrows(IllegalStateException.class, v::path);
        assertTrue(e.getMessage().contains("encoded slash"));
    }

    @Test
    void nullArgumentsAreRefused() {
        assertThrows(NullPointerException.class, () -> PathVerdict.accepted(null));
        assertThrows(NullPointerException.class, () -> PathVerdict.rejected(null));
    }

    @Test
    void verdictsCompareByValue() {
        assertEquals(PathVerdict.accepted("/a"), PathVerdict.accepted("/a"));
        assertEquals(PathVerdict.accepted("/a").hashCode(), PathVerdict.accepted("/a").hashCode());
        assertNotEquals(PathVerdict.accepted("/a"), PathVerdict.rejected("/a"));
        assertEquals("PathVerdict[rejected: dot segment]", PathVerdict.rejected("dot segment").toString());
    }
}
