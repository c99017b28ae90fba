package io.github.sessiongate.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whether a host is this machine, judged by name or literal only. Internal; not for application
 * code.
 */
public final class Hosts {
    private static final Pattern IPV4_LOOPBACK =
            Pattern.compile("127\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){2}");

    private Hosts() {
    }

    /**
     * Whether {@code host} is {@code localhost}, an IPv4 literal in 127.0.0.0/8 (decimal octets
     * without leading zeros) or an IPv6 loopback literal, with or without brackets ({@code ::1} in
     * any spelling, or IPv4-mapped 127.0.0.0/8). Never resolves DNS, so a name cannot be made to
     * point home; no other name counts.
     *
     * @param host a host as {@link java.net.URI#getHost()} or a request gives it; {@code null} is not loopback
     */
    public static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        if (isIpv4Loopback(host, 0, host.length())) {
            return true; // the usual answer for a client address, without a regex or a lower-cased copy
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.equals("localhost") || IPV4_LOOPBACK.matcher(h).matches()) {
            return true;
        }
        if (h.indexOf(':') >= 0) {
            try {
                // In brackets getByName takes it as an IPv6 literal: it parses and never looks up.
                return InetAddress.getByName("[" + h + "]").isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return false;
    }

    /**
     * Whether {@code s[from, to)} is {@code 127.a.b.c} with decimal octets of at most 255 and no
     * leading zeros: what {@link #IPV4_LOOPBACK} matches, read without a {@link java.util.regex.Matcher}.
     */
    static boolean isIpv4Loopback(String s, int from, int to) {
        if (to - from < 9 || !s.startsWith("127.", from)) {
            return false;
        }
        int at = from + 4;
        for (int octet = 0; octet < 3; octet++) {
            int start = at;
            int value = 0;
            while (at < to && s.charAt(at) >= '0' && s.charAt(at) <= '9') {
                value = value * 10 + (s.charAt(at) - '0');
                at++;
                if (at - start > 3) {
                    return false;
                }
            }
            int digits = at - start;
            if (digits == 0 || value > 255 || (digits > 1 && s.charAt(start) == '0')) {
                return false;
            }
            if (octet < 2) {
                if (at >= to || s.charAt(at) != '.') {
                    return false;
                }
                at++;
            }
        }
        return at == to;
    }
}
