package io.jenkins.plugins.hsmsigning.engine.cloud;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 for one JSON POST to the service root, as KMS takes it: the headers that are signed are
 * content-type, host, x-amz-date, x-amz-target and, with temporary credentials, x-amz-security-token.
 */
final class AwsSigV4 {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final String CONTENT_TYPE = "application/x-amz-json-1.1";

    private AwsSigV4() {
    }

    static HttpRequest.Builder post(URI endpoint, String region, String service, String target, String body,
            String accessKey, String secretKey, String sessionToken, ZonedDateTime now) {
        String amzDate = now.withZoneSameInstant(ZoneOffset.UTC).format(STAMP);
        String day = amzDate.substring(0, 8);
        String host = endpoint.getPort() == -1 ? endpoint.getHost() : endpoint.getHost() + ":" + endpoint.getPort();
        String path = endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() ? "/" : endpoint.getRawPath();
        StringBuilder headers = new StringBuilder()
                .append("content-type:").append(CONTENT_TYPE).append('\n')
                .append("host:").append(host).append('\n')
                .append("x-amz-date:").append(amzDate).append('\n');
        String signed = "content-type;host;x-amz-date";
        if (sessionToken != null) {
            headers.append("x-amz-security-token:").append(sessionToken).append('\n');
            signed += ";x-amz-security-token";
        }
        headers.append("x-amz-target:").append(target).append('\n');
        signed += ";x-amz-target";
        String canonical = "POST\n" + path + "\n\n" + headers + "\n" + signed + "\n" + hex(sha256(body));
        String scope = day + "/" + region + "/" + service + "/aws4_request";
        String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + hex(sha256(canonical));
        byte[] key = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), day);
        key = hmac(key, region);
        key = hmac(key, service);
        key = hmac(key, "aws4_request");
        String signature = hex(hmac(key, toSign));
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .header("Content-Type", CONTENT_TYPE)
                .header("X-Amz-Date", amzDate)
                .header("X-Amz-Target", target)
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=" + accessKey + "/" + scope
                        + ", SignedHeaders=" + signed + ", Signature=" + signature)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (sessionToken != null) {
            request.header("X-Amz-Security-Token", sessionToken);
        }
        return request;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is always available", e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
