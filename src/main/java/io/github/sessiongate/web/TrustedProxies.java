package io.github.sessiongate.web;

import io.github.sessiongate.ConfigException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The addresses (single IPs or CIDR ranges, IPv4 or IPv6) whose forwarded headers are believed.
 * Built once from literals only: no name is ever resolved. Immutable and thread-safe.
 */
public final class TrustedProxies {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    private final List<byte[]> networks;
    private final int[] prefixes;
    private final List<String> literals;

    private TrustedProxies(List<byte[]> networks, int[] prefixes, List<String> literals) {
        this.networks = networks;
        this.prefixes = prefixes;
        this.literals = literals;
    }

    /** Trusts nobody. */
    public static TrustedProxies none() {
        return new TrustedProxies(List.of(), new int[0], List.of());
    }

    /**
     * @param parameter the parameter name, for error messages
     * @param entries IPs or CIDRs such as {@code 10.0.0.0/8}, {@code 127.0.0.1}, {@code ::1}
     */
    public static TrustedProxies parse(String parameter, List<String> entries) {
        List<byte[]> nets = new ArrayList<>();
        int[] prefixes = new int[entries.size()];
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i);
            int slash = entry.indexOf('/');
            String ip = slash < 0 ? entry : entry.substring(0, slash);
            byte[] address = literal(ip);
            if (address == null) {
                throw new ConfigException(parameter, "'" + entry + "' is not an IP address or CIDR range");
            }
            int bits = address.length * 8;
            int prefix = bits;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(entry.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > bits) {
                    throw new ConfigException(parameter, "'" + entry + "' has a bad prefix length");
                }
            }
            nets.add(address);
            prefixes[i] = prefix;
        }
        return new TrustedProxies(List.copyOf(nets), prefixes, List.copyOf(entries));
    }

    /** Whether the address (an IP literal as the container reports it) is trusted. */
    public boolean trusts(String address) {
        if (networks.isEmpty() || address == null) {
            return false;
        }
        byte[] candidate = literal(address);
        if (candidate == null) {
            return false;
        }
        for (int i = 0; i < networks.size(); i++) {
            if (matches(networks.get(i), prefixes[i], candidate)) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return networks.isEmpty();
    }

    @Override
    public String toString() {
        return literals.toString();
    }

    private static boolean matches(byte[] network, int prefix, byte[] candidate) {
        if (network.length != candidate.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (network[i] != candidate[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (network[full] & mask) == (candidate[full] & mask);
    }

    /** Parses an IP literal without any name lookup; {@code null} if it is not one. */
    static byte[] literal(String ip) {
        String s = ip.strip();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        if (IPV4.matcher(s).matches()) {
            for (String part : s.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    return null;
                }
            }
        } else if (!IPV6.matcher(s).matches()) {
            return null;
        }
        try {
            // A literal: InetAddress parses it without resolving.
            return InetAddress.getByName(s).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
