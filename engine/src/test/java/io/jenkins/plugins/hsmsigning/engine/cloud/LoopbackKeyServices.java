package io.jenkins.plugins.hsmsigning.engine.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.DigestInfo;

/**
 * Stand-ins on 127.0.0.1 for the REST calls the engine makes to Azure Key Vault (with Azure AD's token endpoint),
 * AWS KMS (checking Signature Version 4), Google Cloud KMS (with Google's JWT-bearer token endpoint) and HashiCorp
 * Vault (transit and AppRole), as each service documents them. A real key signs; faults are injected per test.
 */
public final class LoopbackKeyServices implements AutoCloseable {

    public static final String TENANT = "tenant-1";
    public static final String CLIENT_ID = "client-1";
    public static final String CLIENT_SECRET = "azure-client-secret-value";
    public static final String CERTIFICATE = "release";
    public static final String ARTIFACT_ACCOUNT = "account-1";
    public static final String ARTIFACT_PROFILE = "public-trust";
    private static final String ARTIFACT_SIGNING = "/codesigningaccounts/" + ARTIFACT_ACCOUNT
            + "/certificateprofiles/" + ARTIFACT_PROFILE;
    public static final String ESIGNER_USER = "release@example.org";
    public static final String ESIGNER_PASSWORD = "esigner-password-value";
    public static final String ESIGNER_TOTP = Base64.getEncoder().encodeToString("totp-secret-bytes-1234".getBytes(
            StandardCharsets.US_ASCII));
    public static final String ESIGNER_CREDENTIAL = "cred-1";
    public static final String AWS_ACCESS_KEY = "AKIDEXAMPLE";
    public static final String AWS_SECRET_KEY = "aws-secret-access-key-value";
    public static final String AWS_SESSION_TOKEN = "aws-session-token-value";
    public static final String AWS_KEY_ID = "alias/release";
    public static final String GCP_KEY = "projects/p/locations/global/keyRings/r/cryptoKeys/release/cryptoKeyVersions/1";
    public static final String VAULT_TOKEN = "hvs.vault-token-value";
    public static final String VAULT_ROLE = "role-1";
    public static final String VAULT_SECRET_ID = "vault-secret-id-value";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final KeyPair key;
    private final X509Certificate certificate;
    private final PublicKey googleAccountKey;
    private final Set<String> validTokens = ConcurrentHashMap.newKeySet();
    private final AtomicInteger tokensIssued = new AtomicInteger();
    private final AtomicInteger signatures = new AtomicInteger();
    private final Deque<Integer> signFaults = new ArrayDeque<>();
    private volatile long tokenLifetimeSeconds = 3600;
    private volatile int revokeTokensAfterSignatures = Integer.MAX_VALUE;
    private volatile long signDelayMillis;

    public LoopbackKeyServices(KeyPair key, X509Certificate certificate, PublicKey googleAccountKey) {
        this.key = key;
        this.certificate = certificate;
        this.googleAccountKey = googleAccountKey;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        validTokens.add(VAULT_TOKEN);
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(8));
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next signing requests answer these statuses, in order, before any signs. */
    synchronized void failNextSignatures(int... statuses) {
        for (int status : statuses) {
            signFaults.add(status);
        }
    }

    /** Every token stops working after {@code count} more signatures, as if it expired in the middle of a batch. */
    void revokeTokensAfter(int count) {
        revokeTokensAfterSignatures = signatures.get() + count;
    }

    void delaySignatures(long millis) {
        signDelayMillis = millis;
    }

    int tokensIssued() {
        return tokensIssued.get();
    }

    int signatures() {
        return signatures.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            byte[] body = exchange.getRequestBody().readAllBytes();
            Answer answer;
            if (path.equals("/metadata/identity/oauth2/token")) {
                answer = managedIdentityToken(exchange);
            } else if (path.endsWith("/oauth2/v2.0/token")) {
                answer = azureToken(path, form(body));
            } else if (path.startsWith("/certificates/")) {
                answer = authorized(exchange, "Authorization", "Bearer ") ? azureCertificate(path)
                        : Answer.error(401, "Unauthorized");
            } else if (path.startsWith("/keys/") && path.endsWith("/sign")) {
                answer = signing(exchange, "Authorization", "Bearer ", () -> azureSign(body));
            } else if (path.startsWith(ARTIFACT_SIGNING + "/sign")) {
                answer = signing(exchange, "Authorization", "Bearer ", () -> artifactSigning(path, body));
            } else if (path.equals("/ssl/oauth2/token")) {
                answer = eSignerLogin(body);
            } else if (path.equals("/ssl/csc/v0/signatures/signHash")) {
                answer = signing(exchange, "Authorization", "Bearer ", () -> eSigner(path, body));
            } else if (path.startsWith("/ssl/csc/v0/")) {
                answer = authorized(exchange, "Authorization", "Bearer ") ? eSigner(path, body)
                        : Answer.error(401, "invalid token");
            } else if (path.equals("/aws/")) {
                answer = awsSign(exchange, body);
            } else if (path.equals("/google/token")) {
                answer = googleToken(form(body));
            } else if (path.startsWith("/google/v1/") && path.endsWith(":asymmetricSign")) {
                answer = signing(exchange, "Authorization", "Bearer ", () -> googleSign(path, body));
            } else if (path.equals("/v1/auth/approle/login")) {
                answer = vaultLogin(body);
            } else if (path.startsWith("/v1/transit/sign/")) {
                answer = signing(exchange, "X-Vault-Token", "", () -> vaultSign(path, body));
            } else {
                answer = Answer.error(404, "no such endpoint");
            }
            byte[] out = JSON.writeValueAsBytes(answer.json());
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), out.length);
            exchange.getResponseBody().write(out);
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private record Answer(int status, Map<String, ?> json) {
        static Answer ok(Map<String, ?> json) {
            return new Answer(200, json);
        }

        static Answer error(int status, String message) {
            return new Answer(status, Map.of("error", Map.of("code", "Fault", "message", message)));
        }
    }

    private interface Signer {
        Answer sign() throws Exception;
    }

    private Answer signing(HttpExchange exchange, String header, String prefix, Signer signer) throws Exception {
        if (!authorized(exchange, header, prefix)) {
            return Answer.error(401, "the token is not valid");
        }
        Integer fault;
        synchronized (this) {
            fault = signFaults.poll();
        }
        if (fault != null) {
            return Answer.error(fault, "injected fault");
        }
        if (signDelayMillis > 0) {
            Thread.sleep(signDelayMillis);
        }
        Answer answer = signer.sign();
        if (signatures.incrementAndGet() >= revokeTokensAfterSignatures) {
            validTokens.clear();
            revokeTokensAfterSignatures = Integer.MAX_VALUE;
        }
        return answer;
    }

    private boolean authorized(HttpExchange exchange, String header, String prefix) {
        String value = exchange.getRequestHeaders().getFirst(header);
        return value != null && value.startsWith(prefix) && validTokens.contains(value.substring(prefix.length()));
    }

    private String issueToken() {
        String token = "token-" + tokensIssued.incrementAndGet();
        validTokens.add(token);
        return token;
    }

    // Azure AD: client credentials grant (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow)
    private Answer azureToken(String path, Map<String, String> form) {
        if (!path.equals("/" + TENANT + "/oauth2/v2.0/token") || !"client_credentials".equals(form.get("grant_type"))
                || !CLIENT_ID.equals(form.get("client_id")) || !CLIENT_SECRET.equals(form.get("client_secret"))
                || !Set.of("https://vault.azure.net/.default", "https://codesigning.azure.net/.default")
                        .contains(form.get("scope"))) {
            return new Answer(401, Map.of("error", "invalid_client",
                    "error_description", "AADSTS7000215: Invalid client secret provided."));
        }
        return Answer.ok(Map.of("token_type", "Bearer", "expires_in", tokenLifetimeSeconds,
                "access_token", issueToken()));
    }

    // Azure instance metadata service (https://learn.microsoft.com/entra/identity/managed-identities-azure-resources/how-to-use-vm-token)
    private Answer managedIdentityToken(HttpExchange exchange) {
        String query = exchange.getRequestURI().getRawQuery();
        if (!"true".equals(exchange.getRequestHeaders().getFirst("Metadata")) || query == null
                || !query.contains("resource=https%3A%2F%2Fvault.azure.net")) {
            return new Answer(400, Map.of("error", "invalid_request", "error_description", "Required metadata header "
                    + "not specified"));
        }
        return Answer.ok(Map.of("access_token", issueToken(), "expires_in", String.valueOf(tokenLifetimeSeconds),
                "token_type", "Bearer"));
    }

    // Key Vault: Get Certificate, Sign (https://learn.microsoft.com/rest/api/keyvault/)
    private Answer azureCertificate(String path) throws Exception {
        if (!path.equals("/certificates/" + CERTIFICATE)) {
            return Answer.error(404, "A certificate with (name/id) " + path + " was not found in this key vault.");
        }
        return Answer.ok(Map.of("id", url() + path, "kid", url() + "/keys/" + CERTIFICATE + "/v1",
                "cer", Base64.getEncoder().encodeToString(certificate.getEncoded())));
    }

    private Answer azureSign(byte[] body) throws Exception {
        JsonNode request = JSON.readTree(body);
        String alg = request.path("alg").asText();
        byte[] hash = Base64.getUrlDecoder().decode(request.path("value").asText());
        byte[] signature = signHash(alg.startsWith("RS") ? "RSA" : alg.startsWith("ES") ? "EC" : "?", hash);
        if (signature == null) {
            return Answer.error(400, "unsupported algorithm " + alg);
        }
        if (alg.startsWith("ES")) {
            signature = derToRaw(signature, alg.equals("ES256") ? 32 : alg.equals("ES384") ? 48 : 66);
        }
        return Answer.ok(Map.of("kid", url() + "/keys/" + CERTIFICATE + "/v1",
                "value", Base64.getUrlEncoder().withoutPadding().encodeToString(signature)));
    }

    private final Map<String, byte[]> operations = new ConcurrentHashMap<>();
    private final Map<String, Integer> polls = new ConcurrentHashMap<>();
    private X509Certificate issuer;

    /** The issuer Artifact Signing returns with each signature, after the leaf. */
    public void artifactSigningIssuer(X509Certificate certificate) {
        issuer = certificate;
    }

    // Artifact Signing: sign and poll, as the service's REST API and jsign's client use them
    private Answer artifactSigning(String path, byte[] body) throws Exception {
        if (path.equals(ARTIFACT_SIGNING + "/sign")) {
            JsonNode request = JSON.readTree(body);
            byte[] signature = signHash(request.path("signatureAlgorithm").asText().startsWith("RS") ? "RSA" : "EC",
                    Base64.getDecoder().decode(request.path("digest").asText()));
            String id = "op-" + operations.size();
            operations.put(id, signature);
            return new Answer(202, Map.of("operationId", id, "status", "InProgress"));
        }
        String id = path.substring((ARTIFACT_SIGNING + "/sign/").length());
        byte[] signature = operations.get(id);
        if (signature == null) {
            return Answer.error(404, "no such operation");
        }
        if (polls.merge(id, 1, Integer::sum) < 2) {
            return Answer.ok(Map.of("operationId", id, "status", "InProgress"));
        }
        java.io.ByteArrayOutputStream chain = new java.io.ByteArrayOutputStream();
        chain.write(issuer.getEncoded());
        chain.write(certificate.getEncoded());
        String inner = Base64.getMimeEncoder().encodeToString(chain.toByteArray());
        return Answer.ok(Map.of("operationId", id, "status", "Succeeded",
                "signature", Base64.getEncoder().encodeToString(signature),
                "signingCertificate", Base64.getEncoder().encodeToString(inner.getBytes(StandardCharsets.US_ASCII))));
    }

    // SSL.com eSigner: OAuth2 password grant and the CSC API v0 (credentials/info, authorize, signatures/signHash)
    private Answer eSignerLogin(byte[] body) throws Exception {
        JsonNode request = JSON.readTree(body);
        if (!ESIGNER_USER.equals(request.path("username").asText())
                || !ESIGNER_PASSWORD.equals(request.path("password").asText())
                || !"password".equals(request.path("grant_type").asText())) {
            return new Answer(401, Map.of("error", "invalid_grant", "error_description", "Invalid credentials"));
        }
        return Answer.ok(Map.of("access_token", issueToken(), "expires_in", tokenLifetimeSeconds));
    }

    private final Set<String> activations = ConcurrentHashMap.newKeySet();

    private Answer eSigner(String path, byte[] body) throws Exception {
        JsonNode request = JSON.readTree(body);
        if (!ESIGNER_CREDENTIAL.equals(request.path("credentialID").asText())) {
            return new Answer(404, Map.of("error", "invalid_request", "error_description", "unknown credential"));
        }
        switch (path.substring("/ssl/csc/v0/".length())) {
            case "credentials/info":
                return Answer.ok(Map.of("cert", Map.of("certificates", java.util.List.of(
                        Base64.getEncoder().encodeToString(certificate.getEncoded()),
                        Base64.getEncoder().encodeToString(issuer.getEncoded())))));
            case "credentials/authorize":
                if (!validOtp(request.path("OTP").asText())) {
                    return new Answer(400, Map.of("error", "invalid_otp", "error_description", "Invalid OTP"));
                }
                String sad = "sad-" + activations.size();
                activations.add(sad + request.path("hash").path(0).asText());
                return Answer.ok(Map.of("SAD", sad));
            case "signatures/signHash":
                String hash = request.path("hash").path(0).asText();
                if (!activations.remove(request.path("SAD").asText() + hash)) {
                    return new Answer(400, Map.of("error", "invalid_request", "error_description", "invalid SAD"));
                }
                byte[] signature = signHash(key.getPublic().getAlgorithm(), Base64.getDecoder().decode(hash));
                return Answer.ok(Map.of("signatures", java.util.List.of(
                        Base64.getEncoder().encodeToString(signature))));
            default:
                return Answer.error(404, "no such call");
        }
    }

    private static boolean validOtp(String otp) throws Exception {
        long step = System.currentTimeMillis() / 30_000;
        for (long candidate = step - 1; candidate <= step + 1; candidate++) {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(ESIGNER_TOTP), "RAW"));
            java.nio.ByteBuffer hash = java.nio.ByteBuffer.wrap(mac.doFinal(
                    java.nio.ByteBuffer.allocate(8).putLong(candidate).array()));
            int offset = hash.get(hash.capacity() - 1) & 0x0F;
            if (String.format("%06d", (hash.getInt(offset) & 0x7FFFFFFF) % 1_000_000).equals(otp)) {
                return true;
            }
        }
        return false;
    }

    // AWS KMS: Sign (https://docs.aws.amazon.com/kms/latest/APIReference/API_Sign.html), SigV4 checked independently
    private Answer awsSign(HttpExchange exchange, byte[] body) throws Exception {
        if (!sigV4Valid(exchange, body)) {
            return new Answer(400, Map.of("__type", "InvalidSignatureException", "message",
                    "The request signature we calculated does not match the signature you provided."));
        }
        String sessionToken = exchange.getRequestHeaders().getFirst("X-Amz-Security-Token");
        if (sessionToken != null && !AWS_SESSION_TOKEN.equals(sessionToken)) {
            return new Answer(400, Map.of("__type", "UnrecognizedClientException", "message",
                    "The security token included in the request is invalid."));
        }
        if (!"TrentService.Sign".equals(exchange.getRequestHeaders().getFirst("X-Amz-Target"))) {
            return new Answer(400, Map.of("__type", "UnknownOperationException"));
        }
        Integer fault;
        synchronized (this) {
            fault = signFaults.poll();
        }
        if (fault != null) {
            return fault == 429 ? new Answer(400, Map.of("__type", "ThrottlingException", "message", "Rate exceeded"))
                    : Answer.error(fault, "injected fault");
        }
        JsonNode request = JSON.readTree(body);
        if (!AWS_KEY_ID.equals(request.path("KeyId").asText())) {
            return new Answer(400, Map.of("__type", "NotFoundException", "message", "Alias is not found."));
        }
        if (!"DIGEST".equals(request.path("MessageType").asText())) {
            return new Answer(400, Map.of("__type", "ValidationException"));
        }
        String algorithm = request.path("SigningAlgorithm").asText();
        byte[] hash = Base64.getDecoder().decode(request.path("Message").asText());
        byte[] signature = signHash(algorithm.startsWith("RSASSA_PKCS1") ? "RSA"
                : algorithm.startsWith("ECDSA") ? "EC" : "?", hash);
        if (signature == null) {
            return new Answer(400, Map.of("__type", "InvalidKeyUsageException"));
        }
        signatures.incrementAndGet();
        return Answer.ok(Map.of("KeyId", "arn:aws:kms:eu-west-1:111122223333:key/1", "SigningAlgorithm", algorithm,
                "Signature", Base64.getEncoder().encodeToString(signature)));
    }

    private boolean sigV4Valid(HttpExchange exchange, byte[] body) throws Exception {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String date = exchange.getRequestHeaders().getFirst("X-Amz-Date");
        if (authorization == null || date == null) {
            return false;
        }
        Map<String, String> parts = new HashMap<>();
        for (String part : authorization.substring("AWS4-HMAC-SHA256 ".length()).split(", ")) {
            parts.put(part.substring(0, part.indexOf('=')), part.substring(part.indexOf('=') + 1));
        }
        String[] scope = parts.get("Credential").split("/");
        if (!scope[0].equals(AWS_ACCESS_KEY) || !scope[3].equals("kms")) {
            return false;
        }
        StringBuilder canonical = new StringBuilder("POST\n/aws/\n\n");
        for (String name : parts.get("SignedHeaders").split(";")) {
            canonical.append(name).append(':').append(exchange.getRequestHeaders().getFirst(name).strip()).append('\n');
        }
        canonical.append('\n').append(parts.get("SignedHeaders")).append('\n')
                .append(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)));
        String toSign = "AWS4-HMAC-SHA256\n" + date + "\n" + String.join("/", scope[1], scope[2], scope[3], scope[4])
                + "\n" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        byte[] k = hmac(("AWS4" + AWS_SECRET_KEY).getBytes(StandardCharsets.UTF_8), scope[1]);
        for (String step : new String[] {scope[2], scope[3], "aws4_request"}) {
            k = hmac(k, step);
        }
        return HexFormat.of().formatHex(hmac(k, toSign)).equals(parts.get("Signature"));
    }

    private static byte[] hmac(byte[] key, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    // Google: JWT bearer grant (https://developers.google.com/identity/protocols/oauth2/service-account#httprest)
    private Answer googleToken(Map<String, String> form) throws Exception {
        String[] jwt = form.getOrDefault("assertion", "").split("\\.");
        if (!"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(form.get("grant_type")) || jwt.length != 3) {
            return new Answer(400, Map.of("error", "invalid_grant"));
        }
        Signature check = Signature.getInstance("SHA256withRSA");
        check.initVerify(googleAccountKey);
        check.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(jwt[1]));
        if (!check.verify(Base64.getUrlDecoder().decode(jwt[2]))
                || !"https://www.googleapis.com/auth/cloudkms".equals(claims.path("scope").asText())
                || !(url() + "/google/token").equals(claims.path("aud").asText())) {
            return new Answer(400, Map.of("error", "invalid_grant", "error_description", "Invalid JWT Signature."));
        }
        return Answer.ok(Map.of("access_token", issueToken(), "expires_in", tokenLifetimeSeconds,
                "token_type", "Bearer"));
    }

    // Cloud KMS: asymmetricSign (https://cloud.google.com/kms/docs/reference/rest/v1/projects.locations.keyRings.cryptoKeys.cryptoKeyVersions/asymmetricSign)
    private Answer googleSign(String path, byte[] body) throws Exception {
        if (!path.equals("/google/v1/" + GCP_KEY + ":asymmetricSign")) {
            return Answer.error(404, "CryptoKeyVersion not found");
        }
        JsonNode digest = JSON.readTree(body).path("digest");
        String field = digest.fieldNames().hasNext() ? digest.fieldNames().next() : "";
        byte[] signature = signHash(key.getPublic().getAlgorithm(),
                Base64.getDecoder().decode(digest.path(field).asText()));
        return Answer.ok(Map.of("signature", Base64.getEncoder().encodeToString(signature), "name", GCP_KEY));
    }

    // Vault: AppRole login and transit sign (https://developer.hashicorp.com/vault/api-docs/secret/transit#sign-data)
    private Answer vaultLogin(byte[] body) throws Exception {
        JsonNode request = JSON.readTree(body);
        if (!VAULT_ROLE.equals(request.path("role_id").asText())
                || !VAULT_SECRET_ID.equals(request.path("secret_id").asText())) {
            return new Answer(400, Map.of("errors", java.util.List.of("invalid role or secret ID")));
        }
        return Answer.ok(Map.of("auth", Map.of("client_token", issueToken(), "lease_duration", tokenLifetimeSeconds)));
    }

    private Answer vaultSign(String path, byte[] body) throws Exception {
        JsonNode request = JSON.readTree(body);
        if (!path.startsWith("/v1/transit/sign/release/sha2-") || !request.path("prehashed").asBoolean()) {
            return new Answer(400, Map.of("errors", java.util.List.of("bad request")));
        }
        byte[] signature = signHash(key.getPublic().getAlgorithm(),
                Base64.getDecoder().decode(request.path("input").asText()));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("signature", "vault:v1:" + Base64.getEncoder().encodeToString(signature));
        data.put("key_version", 1);
        return Answer.ok(Map.of("data", data));
    }

    /** The key's raw signature over a digest: PKCS#1 v1.5 for RSA, DER for ECDSA; null for another key type. */
    private byte[] signHash(String keyType, byte[] hash) throws Exception {
        if (!keyType.equals(key.getPublic().getAlgorithm())) {
            return null;
        }
        if (keyType.equals("RSA")) {
            Signature rsa = Signature.getInstance("NONEwithRSA");
            rsa.initSign(key.getPrivate());
            AlgorithmIdentifier digest = new AlgorithmIdentifier(hash.length == 32 ? NISTObjectIdentifiers.id_sha256
                    : hash.length == 48 ? NISTObjectIdentifiers.id_sha384 : NISTObjectIdentifiers.id_sha512,
                    DERNull.INSTANCE);
            rsa.update(new DigestInfo(digest, hash).getEncoded("DER"));
            return rsa.sign();
        }
        Signature ecdsa = Signature.getInstance("NONEwithECDSA");
        ecdsa.initSign(key.getPrivate());
        ecdsa.update(hash);
        return ecdsa.sign();
    }

    private static byte[] derToRaw(byte[] der, int size) {
        ASN1Sequence sequence = ASN1Sequence.getInstance(der);
        byte[] raw = new byte[2 * size];
        copyUnsigned(ASN1Integer.getInstance(sequence.getObjectAt(0)).getValue(), raw, 0, size);
        copyUnsigned(ASN1Integer.getInstance(sequence.getObjectAt(1)).getValue(), raw, size, size);
        return raw;
    }

    private static void copyUnsigned(BigInteger value, byte[] target, int offset, int size) {
        byte[] bytes = value.toByteArray();
        int start = bytes.length > size ? bytes.length - size : 0;
        System.arraycopy(bytes, start, target, offset + size - (bytes.length - start), bytes.length - start);
    }

    private static Map<String, String> form(byte[] body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
