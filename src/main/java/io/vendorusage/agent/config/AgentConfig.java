package io.vendorusage.agent.config;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;


import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * Every {@code agent.*} setting. A value that breaks a rule of {@link ConfigRules} stops start-up with a message
 * naming the property. Secrets are only ever read through {@link Secrets}, which never logs values.
 */
@ConfigMapping(prefix = "agent")
public interface AgentConfig {

    /** A region name: two letters, a word, a digit ({@code us-east-1}). */
    String REGION_PATTERN = "[a-z]{2}-[a-z]+-[0-9]";

    /** Directory of the embedded SQLite store (vendorusage.db), absolute or starting with ./; created on first start. */
    @WithDefault("./data")
    String dataDir();

    /** The Genesys Cloud upstream. */
    Genesys genesys();

    /** Premium apps by AppFoundry app id; when any is configured, ingest accepts only these. */
    Map<String, App> apps();

    /** Aggregation and sending. */
    Submission submission();

    /** The ingest API. */
    Ingest ingest();

    /** The operator API. */
    Admin admin();

    /** Comparison with the upstream's own usage figures. */
    Reconciliation reconciliation();

    /** The built-in fake upstream. */
    Sandbox sandbox();

    /** The events table. */
    Outbox outbox();

    /** Logging. */
    Log log();

    /** Health checks. */
    Health health();

    /** Signed webhook notifications to the vendor's own systems. */
    Notifications notifications();

    interface Notifications {
        /** Where notifications are POSTed; none are written or sent while it is unset. */
        Optional<URI> url();

        /** The Standard Webhooks signing key, {@code whsec_} + base64 (prefer the file form or the environment). */
        Optional<String> secret();

        /** File holding the signing key, e.g. a mounted Kubernetes Secret. */
        Optional<Path> secretFile();

        /** Which notification types are sent (their full names); all when unset. */
        Optional<List<String>> types();

        /** How long an undelivered notification is retried before it is dropped (with a log line and a metric). */
        @WithDefault("P1D")
        Duration maxAge();

        /** The longest one delivery may take, connecting included; a slower receiver counts as a failed attempt. */
        @WithDefault("PT10S")
        Duration timeout();

        /** The wait after a first failed delivery; it doubles (with jitter) after each further failure. */
        @WithDefault("PT10S")
        Duration retryBase();

        /** The longest wait between two attempts at one notification. */
        @WithDefault("PT1H")
        Duration retryMaxDelay();

        /** How often due notifications are looked for and sent. */
        @WithDefault("PT1S")
        Duration interval();

        /**
         * Delivered and dropped notifications (with their attempts) are deleted once they are this old, checked every
         * {@code agent.outbox.purge-interval}; one that holds a once-key (a threshold crossing, a drift, a period at
         * risk) stays, as it keeps the same news from being told twice.
         */
        @WithDefault("P7D")
        Duration retention();
    }

    interface Health {
        /**
         * A job run (submitter pass, reconciliation, ingest commit, outbox upkeep) lasting longer than this
         * is taken as wedged: liveness goes down so the process is restarted. Far above any legitimate run.
         */
        @WithDefault("PT15M")
        Duration stuckAfter();
    }

    interface Log {
        /** One JSON object per line on the console instead of the text format (for log shippers). */
        @WithDefault("false")
        boolean json();
    }

    interface Genesys {
        /** Region whose API and login hosts are called. */
        @WithDefault("us-east-1")
        String region();

        /** Base URL of the API (scheme, host, port); derived from the region when absent. */
        Optional<URI> apiUrl();

        /** Base URL of the login service; derived from the region when absent. */
        Optional<URI> loginUrl();

        /** OAuth client id. */
        Optional<String> clientId();

        /** OAuth client secret (prefer the file form or the environment). */
        Optional<String> clientSecret();

        /** File holding the OAuth client secret, e.g. a mounted Kubernetes Secret. */
        Optional<Path> clientSecretFile();

        /** Upstream calls allowed per minute, shared by every call the agent makes. */
        @WithDefault("300")
        int rateLimitPerMinute();

        /**
         * After the login service rejected the client credentials ({@code bad.credentials},
         * {@code credentials.expired}, {@code ip.not.authorized}: a configuration fault), how long before the agent
         * asks for a token again; meanwhile no upstream call is made and ingest keeps accepting.
         */
        @WithDefault("PT5M")
        Duration credentialsRetry();
    }

    interface App {
        /** How the app's usage is aggregated and billed. */
        AppMode mode();

        /**
         * Quantities whose crossing within an org's billing period (its accepted sum, or its peak for
         * high-water-mark) is notified once ({@code io.vendorusage.usage.threshold-crossed}).
         */
        Optional<List<BigDecimal>> usageThresholds();
    }

    interface Submission {
        /** Whether the submitter job runs; when false events are still accepted and a flush still sends. */
        @WithDefault("true")
        boolean enabled();

        /** Aggregation window (ISO-8601 duration). */
        @WithDefault("PT1H")
        Duration bucket();

        /** Wait after a window closes before submitting it. */
        @WithDefault("PT2M")
        Duration grace();

        /**
         * A due window is planned once no event for it has arrived for this long, so that a window still being
         * filled (a backfill, a replay after an outage) goes up in one POST rather than in revisions.
         */
        @WithDefault("PT5S")
        Duration quiet();

        /**
         * How long a due window may wait for {@link #quiet()} before it is planned anyway, so a steady trickle of
         * late events cannot hold it back; one {@link #bucket()} when unset.
         */
        Optional<Duration> maxHold();

        /** How often the submitter runs. */
        @WithDefault("PT15S")
        Duration interval();

        /** Records sent at once; the shared rate limit still bounds the rate. */
        @WithDefault("4")
        int concurrency();

        /** Records claimed per submitter run. */
        @WithDefault("500")
        int batchSize();

        /** Attempts after which a record that was never accepted is failed for an operator. */
        @WithDefault("20")
        int maxAttempts();

        /** First retry delay; doubles per attempt, with full jitter. */
        @WithDefault("PT2S")
        Duration retryBase();

        /** Longest retry delay. */
        @WithDefault("PT10M")
        Duration retryMaxDelay();

        /** How long a sending claim lasts; a record still SENDING after it was interrupted mid-POST. */
        @WithDefault("PT2M")
        Duration lease();

        /**
         * How long after its organization's billing period ends a record may still be sent; after that the
         * period is taken as closed and the record is failed for an operator instead. Never applied to a period
         * the upstream has not confirmed.
         */
        @WithDefault("P1D")
        Duration closedPeriodGrace();

        /**
         * The objective for the time from an event's arrival to the confirmation of the record that bills it: the
         * alert {@code VendorUsageBillingSlow} fires when the 99th percentile of the last hour exceeds it.
         */
        @WithDefault("PT3H")
        Duration billingDelayObjective();

        /**
         * Wait before asking again for an organization's billing period after the org detail could not be read;
         * it doubles with each failure, up to an hour. Meanwhile the period is assumed.
         */
        @WithDefault("PT1M")
        Duration periodRetry();
    }

    interface Ingest {
        /** Events older than this are rejected at ingest. */
        @WithDefault("P2D")
        Duration maxLateness();

        /** Bearer token the vendor app must present; ingest is open when neither this nor the file is set. */
        Optional<String> token();

        /** File holding the ingest bearer token. */
        Optional<Path> tokenFile();

        /**
         * Events that may wait for the outbox writer at once; a request that does not fit is refused with 503
         * and Retry-After instead of held in memory. At least one full request (1000 events).
         */
        @WithDefault("20000")
        int queueCapacity();

        /** Most events one group commit takes; concurrent requests beyond it wait for the next commit. */
        @WithDefault("5000")
        int groupMaxEvents();
    }

    interface Admin {
        /** Bearer token for the operator API; without one the operator API is off. */
        Optional<String> token();

        /** File holding the operator bearer token. */
        Optional<Path> tokenFile();
    }

    interface Reconciliation {
        /** Whether the reconciliation job runs; {@code POST /v1/reconciliation/run} works either way. */
        @WithDefault("true")
        boolean enabled();

        /** Org detail requests (billing periods) allowed per run, on top of the listing pages. */
        @WithDefault("100")
        int maxDetailCalls();

        /** Reports kept (with their rows); older runs keep only their summary. */
        @WithDefault("24")
        int historyReports();

        /** How often reconciliation runs. */
        @WithDefault("PT1H")
        Duration interval();

        /** Wait after start-up before the first run, so start-up and a restart's backlog go first. */
        @WithDefault("PT60S")
        Duration initialDelay();

        /** Regions to query; all regions with an API host when absent. */
        Optional<List<String>> regions();

        /** How long the upstream's read side may lag behind submissions. */
        @WithDefault("PT4H")
        Duration upstreamLag();
    }

    interface Sandbox {
        /** Serve a built-in fake of the upstream API (on in dev mode). */
        @WithDefault("false")
        boolean enabled();

        /**
         * Apps the sandbox bills by their peak in each org period (high-water-mark); it adds up every other app. The
         * sandbox's own setting, as Genesys bills by the app's definition and not by the agent's configuration: set
         * it like {@code agent.apps."<appId>".mode} to try such apps, or otherwise to see a mismatch in reconciliation.
         */
        Optional<java.util.Set<String>> highWaterMarkApps();
    }

    interface Outbox {
        /** Submitted events are deleted once they are this old. */
        @WithDefault("P7D")
        Duration retention();

        /** How often submitted events past retention are purged. */
        @WithDefault("PT1H")
        Duration purgeInterval();

        /** How often the backlog gauges are refreshed from the store. */
        @WithName("stats-interval")
        @WithDefault("PT10S")
        Duration statsInterval();
    }
}
