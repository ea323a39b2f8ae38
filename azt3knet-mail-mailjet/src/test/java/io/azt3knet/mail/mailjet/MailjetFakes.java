package io.azt3knet.mail.mailjet;

import io.azt3knet.mail.Secret;
import io.azt3knet.mail.internal.http.JsonHttpClient;
import io.azt3knet.mail.internal.http.RequestPacer;
import io.azt3knet.mail.internal.http.RetrySettings;
import io.azt3knet.mail.test.fake.FakeMailjet;
import java.net.URI;
import java.time.Duration;

/** Settings and a fast HTTP client pointing at the test kit's {@link FakeMailjet}. */
final class MailjetFakes {

    private MailjetFakes() {
    }

    /**
     * @param fake a started fake
     * @return settings pointing at it with its key pair and an inbound URL, ready to build or adjust
     */
    static MailjetSettings.Builder settings(FakeMailjet fake) {
        return MailjetSettings.builder(FakeMailjet.KEY, Secret.of(FakeMailjet.SECRET))
                .apiUrl(fake.baseUrl()).inboundUrl(URI.create("https://hooks.example.org/mailjet/inbound"));
    }

    /**
     * An HTTP client for tests: no pacing, quick retries.
     *
     * @param settings the settings, usually from {@link #settings(FakeMailjet)}
     * @return the client
     */
    static JsonHttpClient http(MailjetSettings settings) {
        return MailjetClient.httpClientBuilder(settings).pacer(RequestPacer.NONE)
                .retry(RetrySettings.defaults().withBackoff(Duration.ofMillis(1), Duration.ofMillis(5))
                        .withMaxThrottleWait(Duration.ofMillis(300)))
                .requestTimeout(Duration.ofSeconds(10)).build();
    }
}
