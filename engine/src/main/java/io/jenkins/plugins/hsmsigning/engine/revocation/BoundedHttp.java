package io.jenkins.plugins.hsmsigning.engine.revocation;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The only way revocation checking reaches the network, for URLs that a signature's certificates name and an attacker
 * may have chosen: plain http or https, no redirects, the whole exchange bounded in time and the answer in size.
 */
final class BoundedHttp {

    private final Duration timeout;
    private HttpClient client;

    BoundedHttp(Duration timeout) {
        this.timeout = timeout;
    }

    /** Made at the first request: checks that stay offline never start an HTTP client's thread. */
    private synchronized HttpClient client() {
        if (client == null) {
            client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                    .build();
        }
        return client;
    }

    /** Whether {@code url} is one this client fetches at all (LDAP and file URLs are not). */
    static boolean fetchable(String url) {
        try {
            URI uri = URI.create(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    byte[] get(String url, int maxBytes) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build(), maxBytes);
    }

    byte[] post(String url, String contentType, byte[] body, int maxBytes) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), maxBytes);
    }

    private byte[] send(HttpRequest request, int maxBytes) throws IOException {
        CompletableFuture<HttpResponse<byte[]>> pending = client().sendAsync(request,
                info -> new LimitedBody(maxBytes));
        HttpResponse<byte[]> response;
        try {
            // the request timeout ends at the headers; this one also bounds a body that trickles in
            response = pending.get(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new IOException("no complete answer within " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IOException(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage(),
                    cause);
        }
        int status = response.statusCode();
        if (status / 100 == 3) {
            throw new IOException("HTTP status " + status + ": redirects are not followed");
        }
        if (status != 200) {
            throw new IOException("HTTP status " + status);
        }
        return response.body();
    }

    /** Collects a body and gives up, closing the connection, once it exceeds the limit. */
    private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {

        private final int maxBytes;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        LimitedBody(int maxBytes) {
            this.maxBytes = maxBytes;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                if (bytes.size() + buffer.remaining() > maxBytes) {
                    subscription.cancel();
                    result.completeExceptionally(new IOException("the answer is larger than " + maxBytes
                            + " bytes"));
                    return;
                }
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                bytes.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable error) {
            result.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            result.complete(bytes.toByteArray());
        }
    }
}
