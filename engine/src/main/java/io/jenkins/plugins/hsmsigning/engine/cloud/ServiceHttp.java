package io.jenkins.plugins.hsmsigning.engine.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import io.jenkins.plugins.hsmsigning.engine.net.TlsTrust;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;
import javax.net.ssl.KeyManager;

/**
 * JSON over HTTP to one key service, with bounded retries for throttling (429), server errors (5xx) and timeouts,
 * bounded answers, and failures that name the service, the operation and what to fix.
 */
final class ServiceHttp {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ANSWER_BYTES = 1 << 20;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final String service;
    private final ServiceConnection connection;
    private final HttpClient client;

    ServiceHttp(String service, ServiceConnection connection) {
        this(service, connection, null);
    }

    /** {@code clientKeys} authenticate this machine to the service with a TLS client certificate, or are null. */
    ServiceHttp(String service, ServiceConnection connection, KeyManager[] clientKeys) {
        this.service = service;
        this.connection = connection;
        HttpClient.Builder builder = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connection.connectTimeout());
        if (connection.proxy() != null) {
            builder.proxy(connection.proxy());
        }
        if (clientKeys != null || !connection.trusted().isEmpty()) {
            builder.sslContext(TlsTrust.context(clientKeys, connection.trusted()));
        }
        this.client = builder.build();
    }

    static ObjectMapper json() {
        return JSON;
    }

    /** A request to send; {@code hints} turns a status such as 403 into what the user must fix. */
    record Call(String operation, HttpRequest.Builder request, IntFunction<String> hints, Bearer bearer) {
        Call(String operation, HttpRequest.Builder request, IntFunction<String> hints) {
            this(operation, request, hints, null);
        }
    }

    /** A token sent in {@code header} as {@code prefix + token}; refreshed once when the service answers 401. */
    record Bearer(AccessToken token, String header, String prefix) {
        static Bearer authorization(AccessToken token) {
            return new Bearer(token, "Authorization", "Bearer ");
        }
    }

    static HttpRequest.Builder post(URI uri, String contentType, String body) {
        return HttpRequest.newBuilder(uri).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    }

    static HttpRequest.Builder postJson(URI uri, Object body) {
        try {
            return post(uri, "application/json", JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot encode a request as JSON", e);
        }
    }

    static HttpRequest.Builder get(URI uri) {
        return HttpRequest.newBuilder(uri).GET();
    }

    /** Sends the call, retrying what may pass on a second try, and returns the answer's JSON. */
    JsonNode send(Call call) throws SigningException {
        String token = call.bearer() == null ? null : call.bearer().token().get();
        HttpRequest request = request(call, token);
        boolean refreshed = false;
        Duration backoff = connection.firstBackoff();
        for (int attempt = 1; ; attempt++) {
            boolean last = attempt >= connection.attempts();
            HttpResponse<InputStream> response;
            try {
                response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            } catch (HttpTimeoutException e) {
                if (last) {
                    throw failure(call, "did not answer within " + connection.requestTimeout().toSeconds()
                            + " s", null, e);
                }
                pause(backoff);
                backoff = next(backoff);
                continue;
            } catch (IOException e) {
                if (last) {
                    throw failure(call, "cannot be reached (" + e.getClass().getSimpleName() + ")", null, e);
                }
                pause(backoff);
                backoff = next(backoff);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SigningException(Kind.KEY, "Interrupted while waiting for " + service + ".", e);
            }
            int status = response.statusCode();
            byte[] body = read(response, call);
            if (status / 100 == 2) {
                return parse(body, call);
            }
            if (status == 401 && token != null && !refreshed) {
                call.bearer().token().invalidate(token);
                token = call.bearer().token().get();
                request = request(call, token);
                refreshed = true;
                attempt--;
                continue;
            }
            if ((status == 429 || status >= 500 || throttled(body)) && !last) {
                pause(retryAfter(response).orElse(backoff));
                backoff = next(backoff);
                continue;
            }
            throw failure(call, "answered HTTP " + status + detail(body), call.hints().apply(status), null);
        }
    }

    private HttpRequest request(Call call, String token) {
        HttpRequest.Builder builder = call.request().copy().timeout(connection.requestTimeout())
                .setHeader("Accept", "application/json");
        if (token != null) {
            builder.setHeader(call.bearer().header(), call.bearer().prefix() + token);
        }
        return builder.build();
    }

    private byte[] read(HttpResponse<InputStream> response, Call call) throws SigningException {
        try (InputStream in = response.body()) {
            byte[] body = in.readNBytes(MAX_ANSWER_BYTES + 1);
            if (body.length > MAX_ANSWER_BYTES) {
                throw failure(call, "answered with more than 1 MiB", null, null);
            }
            return body;
        } catch (IOException e) {
            throw failure(call, "broke off its answer", null, e);
        }
    }

    private JsonNode parse(byte[] body, Call call) throws SigningException {
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || !node.isObject()) {
                throw failure(call, "answered with something other than a JSON object", null, null);
            }
            return node;
        } catch (IOException e) {
            throw failure(call, "answered with malformed JSON", null, e);
        }
    }

    /** AWS says "slow down" with HTTP 400 and an error type. */
    private static boolean throttled(byte[] body) {
        try {
            JsonNode node = JSON.readTree(body);
            String type = node == null ? "" : node.path("__type").asText("");
            return type.endsWith("ThrottlingException") || type.endsWith("LimitExceededException")
                    || type.endsWith("KMSInternalException");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The service's own error text, shortened and stripped of control characters; never a request's content. */
    private static String detail(byte[] body) {
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null) {
                return "";
            }
            JsonNode message = node.at("/error/message");
            if (message.isMissingNode()) {
                message = node.path("error_description");
            }
            if (message.isMissingNode()) {
                message = node.path("message");
            }
            if (message.isMissingNode() && node.path("errors").isArray()) {
                message = node.path("errors").path(0);
            }
            if (message.isMissingNode() && node.path("error").isTextual()) {
                message = node.path("error");
            }
            String text = message.isTextual() ? message.asText() : "";
            String type = node.path("__type").asText("");
            if (!type.isEmpty()) {
                text = type.substring(type.lastIndexOf('#') + 1) + (text.isEmpty() ? "" : ": " + text);
            }
            text = text.replaceAll("\\p{Cntrl}", " ").strip();
            if (text.length() > 200) {
                text = text.substring(0, 200) + "…";
            }
            return text.isEmpty() ? "" : " (\"" + text + "\")";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private SigningException failure(Call call, String what, String hint, Throwable cause) {
        String message = service + " " + what + " to '" + call.operation() + "'"
                + (hint == null ? "." : ": " + hint);
        return new SigningException(Kind.KEY, message, cause);
    }

    private static Optional<Duration> retryAfter(HttpResponse<?> response) {
        Optional<String> value = response.headers().firstValue("Retry-After");
        try {
            return value.map(Long::parseLong).map(Duration::ofSeconds)
                    .map(d -> d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Duration next(Duration backoff) {
        Duration doubled = backoff.multipliedBy(2);
        return doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled;
    }

    private static void pause(Duration duration) throws SigningException {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SigningException(Kind.KEY, "Interrupted while waiting to retry a key service.", e);
        }
    }

    /** The usual meaning of an error status for a signing call, for services that say nothing more specific. */
    static String commonHint(int status, String permission) {
        switch (status) {
            case 400:
                return "the service refused the request; check the key's algorithm against the digest setting";
            case 401:
                return "the credentials were not accepted; check the credential and that it has not expired";
            case 403:
                return "the identity lacks the permission " + permission;
            case 404:
                return "the key or certificate was not found; check its name and the endpoint";
            case 429:
                return "the service kept throttling requests; lower the maximum concurrent operations";
            default:
                return status >= 500 ? "the service kept failing; try again later" : null;
        }
    }

    static Map<String, String> form(String... pairs) {
        Map<String, String> form = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            form.put(pairs[i], pairs[i + 1]);
        }
        return form;
    }

    static String formBody(Map<String, String> form) {
        StringBuilder body = new StringBuilder();
        for (Map.Entry<String, String> entry : form.entrySet()) {
            if (body.length() > 0) {
                body.append('&');
            }
            body.append(java.net.URLEncoder.encode(entry.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(java.net.URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8));
        }
        return body.toString();
    }
}
