package io.github.sessiongate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The regex-free IPv4 loopback reading agrees with the regex it short-cuts, and the rest of the rules hold. */
class HostsTest {
    private static final Pattern IPV4_LOOPBACK =
            Pattern.compile("127\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){2}");

    @Test
    void ipv4LoopbackReadingMatchesTheRegex() {
        String[] samples = {"127.0.0.1", "127.255.255.255", "127.1.2.3", "127.0.0.01", "127.0.0.256", "127.00.0.1",
            "127.0.0", "127.0.0.1.", "127.0.0.1 ", " 127.0.0.1", "127..0.1", "127.0.0.1a", "128.0.0.1", "127.0.0.1000",
            "127.249.250.199", "127.2550.0.1", "127.0.0.", "127.", "localhost", "127.0.0.-1", "127.0.0.+1"};
        for (String s : samples) {
            assertEquals(IPV4_LOOPBACK.matcher(s).matches(), Hosts.isIpv4Loopback(s, 0, s.length()), s);
        }
        for (int a = 0; a < 300; a += 7) {
            String s = "127." + a + "." + (299 - a) + ".1";
            assertEquals(IPV4_LOOPBACK.matcher(s).matches(), Hosts.isIpv4Loopback(s, 0, s.length()), s);
        }
    }

    @Test
    void loopbackRulesHold() {
        assertEquals(true, Hosts.isLoopback("127.0.0.1"));
        assertEquals(true, Hosts.isLoopback("LOCALHOST"));
        assertEquals(true, Hosts.isLoopback("[::1]"));
        assertEquals(true, Hosts.isLoopback("0:0:0:0:0:0:0:1"));
        assertEquals(true, Hosts.isLoopback("::ffff:127.0.0.1"));
        assertEquals(false, Hosts.isLoopback("127.0.0.01"));
        assertEquals(false, Hosts.isLoopback("10.0.0.1"));
        assertEquals(false, Hosts.isLoopback("localhost.example.com"));
        assertEquals(false, Hosts.isLoopback(null));
    }
}
