package dev.vsa.processing.internal;

import dev.vsa.processing.ProcessingConfig;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Which URLs a webhook may be sent to. Unless the operator allows private targets, a URL whose host resolves
 * to a loopback, private, link-local, unique-local, carrier-grade NAT, multicast or unspecified address is
 * refused: a user must not be able to make the server call its own network (SSRF). Checked when the webhook
 * is saved and again before every delivery (a name may resolve elsewhere later). Redirects are never followed.
 */
public final class WebhookTargets {
    /** Longest URL accepted. */
    public static final int MAX_URL_LENGTH = 2048;

    private final boolean allowPrivate;

    public WebhookTargets(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    /** A URL refused as a webhook target, with the reason. */
    public static final class RefusedTarget extends Exception {
        private static final long serialVersionUID = 1L;

        public RefusedTarget(String reason) {
            super(reason);
        }
    }

    /**
     * Parses and checks a target URL (syntax only: http or https, a host, no user info, no fragment).
     *
     * @throws RefusedTarget naming what is wrong
     */
    public static URI parse(String url) throws RefusedTarget {
        if (url == null || url.isBlank() || url.length() > MAX_URL_LENGTH) {
            throw new RefusedTarget("the URL must be 1.." + MAX_URL_LENGTH + " characters");
        }
        URI u;
        try {
            u = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new RefusedTarget("not a URL: " + e.getReason());
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new RefusedTarget("the URL must be http or https");
        }
        if (u.getHost() == null || u.getHost().isEmpty()) {
            throw new RefusedTarget("the URL has no host");
        }
        if (u.getRawUserInfo() != null) {
            throw new RefusedTarget("the URL must not carry a user name or password");
        }
        if (u.getRawFragment() != null) {
            throw new RefusedTarget("the URL must not have a #fragment");
        }
        return u;
    }

    /**
     * Checks that the URL may be called now: its syntax, and every address its host resolves to.
     *
     * @throws RefusedTarget if the URL is malformed, its host does not resolve, or it reaches a private address
     *                       while those are not allowed
     */
    public URI check(String url) throws RefusedTarget {
        return check(parse(url));
    }

    /**
     * As {@link #check(String)} for a URL already {@link #parse parsed}: the network part (resolving its host).
     *
     * @throws RefusedTarget if its host does not resolve, or reaches a private address while those are not allowed
     */
    public URI check(URI u) throws RefusedTarget {
        if (allowPrivate) {
            return u;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(u.getHost());
        } catch (UnknownHostException e) {
            throw new RefusedTarget("the host " + u.getHost() + " does not resolve");
        }
        for (InetAddress a : addresses) {
            if (isPrivate(a)) {
                throw new RefusedTarget("the host " + u.getHost() + " resolves to " + a.getHostAddress()
                        + ", a private or local address (the operator of the server can allow those: "
                        + ProcessingConfig.envName(ProcessingConfig.WEBHOOKS_ALLOW_PRIVATE) + "=true, or "
                        + ProcessingConfig.WEBHOOKS_ALLOW_PRIVATE + "=true in config.properties)");
            }
        }
        return u;
    }

    /** True for addresses that are not on the public internet. */
    static boolean isPrivate(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int b0 = b[0] & 0xff;
            int b1 = b[1] & 0xff;
            return b0 == 0                                   // "this network"
                    || (b0 == 100 && (b1 & 0xc0) == 64)      // 100.64.0.0/10 carrier-grade NAT
                    || (b0 == 192 && b1 == 0 && (b[2] & 0xff) == 0) // 192.0.0.0/24 protocol assignments
                    || (b0 == 198 && (b1 & 0xfe) == 18)      // 198.18.0.0/15 benchmarking
                    || b0 >= 240;                            // reserved and broadcast
        }
        if (a instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {                     // fc00::/7 unique local
                return true;
            }
            boolean mapped = true;                           // ::ffff:a.b.c.d: judge the IPv4 address
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                try {
                    return isPrivate(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException e) {
                    return true;
                }
            }
        }
        return false;
    }
}
