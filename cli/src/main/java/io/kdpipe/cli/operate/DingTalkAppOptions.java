package io.kdpipe.cli.operate;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Optional;

import io.kdpipe.common.config.ConfigReader;
import io.kdpipe.common.config.KafkaConfig;
import io.kdpipe.common.config.Secret;
import picocli.CommandLine.Option;

/**
 * What the directory commands share to ask DingTalk's contacts API: the DingTalk app, read from
 * {@code DINGTALK_BASE_URL}, {@code DINGTALK_APP_KEY} and {@code DINGTALK_APP_SECRET} like the
 * notifier, and how fast to ask ({@code --rate}).
 */
final class DingTalkAppOptions {

    @Option(names = "--rate", paramLabel = "N", defaultValue = "10", description = "contacts lookups per second (default: ${DEFAULT-VALUE})")
    double rate;

    /** The Kafka settings and the app's; key and secret are absent when not {@code required} and not set. */
    record Settings(KafkaConfig kafka, URI base, Optional<String> appKey, Optional<Secret> appSecret) {

        boolean configured() {
            return appKey.isPresent() && appSecret.isPresent();
        }

        /** A contacts client of the app; only when {@link #configured()}. */
        DingTalkContacts contacts(Duration timeout) {
            return new DingTalkContacts(base, appKey.orElseThrow(), appSecret.orElseThrow(),
                    HttpClient.newBuilder().connectTimeout(timeout).build(), timeout);
        }
    }

    /**
     * Reads the Kafka and the app's settings and validates them: a {@link io.kdpipe.common.config.ConfigException}
     * lists every problem, a missing key or secret among them when {@code required}.
     */
    static Settings read(ConfigReader reader, boolean required) {
        KafkaConfig kafka = KafkaConfig.read(reader);
        URI base = reader.uri("DINGTALK_BASE_URL", "https://oapi.dingtalk.com", "DingTalk oapi base URL");
        String key = "DINGTALK_APP_KEY";
        String keyMeaning = "the DingTalk app's AppKey";
        String secret = "DINGTALK_APP_SECRET";
        String secretMeaning = "the DingTalk app's AppSecret";
        Optional<String> appKey = required ? Optional.ofNullable(reader.required(key, keyMeaning)) : reader.optional(key, keyMeaning);
        Optional<Secret> appSecret = required ? Optional.ofNullable(reader.secret(secret, secretMeaning))
                : reader.optionalSecret(secret, secretMeaning);
        reader.validate();
        return new Settings(kafka, base, appKey, appSecret);
    }

    Pacer pacer() {
        return new Pacer(rate);
    }
}
