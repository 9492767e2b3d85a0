package dev.vsa.processing.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebhookSignerTest {
    @Test
    void signature_matchesTheStandardWebhooksTestVector() {
        // The vector published with the Standard Webhooks reference libraries: a receiver's library verifies ours.
        String sig = WebhookSigner.signature(List.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
                "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L, "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8));
        assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", sig);
    }

    @Test
    void signature_twoSecrets_spaceSeparated() {
        String a = WebhookSigner.newSecret();
        String b = WebhookSigner.newSecret();
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        String both = WebhookSigner.signature(List.of(a, b), "m", 1, body);
        assertEquals(WebhookSigner.signature(List.of(a), "m", 1, body) + " "
                + WebhookSigner.signature(List.of(b), "m", 1, body), both);
    }

    @Test
    void signature_secretWithoutPrefix_rejected() {
        assertThrows(IllegalArgumentException.class, () -> WebhookSigner.signature(List.of("abc"), "m", 1, new byte[0]));
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
            "0.0.0.0", "::1", "fd00::1", "fe80::1", "::ffff:127.0.0.1", "224.0.0.1", "255.255.255.255"})
    void isPrivate_localAndPrivateAddresses(String address) throws Exception {
        assertTrue(WebhookTargets.isPrivate(InetAddress.getByName(address)), address);
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "100.128.0.1"})
    void isPrivate_publicAddresses(String address) throws Exception {
        assertFalse(WebhookTargets.isPrivate(InetAddress.getByName(address)), address);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://example.org/x", "http://user:pw@example.org/", "http://example.org/#f", "/relative",
            "http:///nohost", "not a url"})
    void parse_badUrls_refused(String url) {
        assertThrows(WebhookTargets.RefusedTarget.class, () -> WebhookTargets.parse(url));
    }

    @Test
    void check_loopbackName_refusedUnlessAllowed() throws Exception {
        var e = assertThrows(WebhookTargets.RefusedTarget.class,
                () -> new WebhookTargets(false).check("http://localhost:9/hook"));
        // the refusal names what an operator sets: the environment variable (the config key alone was a dead end)
        assertTrue(e.getMessage().contains("VSA_WEBHOOKS_ALLOW_PRIVATE_TARGETS=true"), e.getMessage());
        assertEquals("localhost", new WebhookTargets(true).check("http://localhost:9/hook").getHost());
    }
}
