package io.vendorusage.agent.config;

import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.runtime.Startup;

/**
 * Rules that join several settings, checked at start-up so a bad combination stops the agent with a line
 * naming the property (single values are checked by {@link ConfigRules}).
 */
@Startup
@ApplicationScoped
public class SettingsCheck {

    /** The upstream's REST client, under {@code quarkus.rest-client.<name>.*}. */
    public static final String CLIENT = "genesys";
    /** Its TLS configuration in the TLS registry, under {@code quarkus.tls.<name>.*}. */
    public static final String TLS = "genesys";
    static final String CONNECT_TIMEOUT = "quarkus.rest-client." + CLIENT + ".connect-timeout";
    static final String READ_TIMEOUT = "quarkus.rest-client." + CLIENT + ".read-timeout";

    public SettingsCheck(AgentConfig config) {
        Config all = ConfigProvider.getConfig();
        // the upstream's certificate is always verified: a sidecar that sends billing data trusts no one blindly
        if (all.getOptionalValue("quarkus.tls." + TLS + ".trust-all", Boolean.class).orElse(false)
                || all.getOptionalValue("quarkus.rest-client." + CLIENT + ".verify-host", Boolean.class).orElse(true)
                        == Boolean.FALSE
                || "NONE".equalsIgnoreCase(all.getOptionalValue(
                        "quarkus.tls." + TLS + ".hostname-verification-algorithm", String.class).orElse(""))) {
            throw new IllegalStateException("quarkus.tls." + TLS + ": the upstream's certificate and host name are"
                    + " always verified; add its CA with quarkus.tls." + TLS + ".trust-store.* instead of trusting all");
        }
        Duration longestPost = millis(all, CONNECT_TIMEOUT).plus(millis(all, READ_TIMEOUT));
        if (config.submission().lease().compareTo(longestPost) <= 0) {
            // a record whose lease runs out is taken for abandoned and held as uncertain; a sender still
            // waiting for its answer then could have its POST billed after reconciliation judged it unbilled
            throw new IllegalStateException("agent.submission.lease: " + config.submission().lease()
                    + " must be longer than " + CONNECT_TIMEOUT + " + " + READ_TIMEOUT + " (" + longestPost
                    + "), the longest a POST can stay in flight");
        }
    }

    private static Duration millis(Config all, String name) {
        Optional<Long> value = all.getOptionalValue(name, Long.class);
        return Duration.ofMillis(value.orElseThrow(() -> new IllegalStateException(name + " must be set")));
    }
}
