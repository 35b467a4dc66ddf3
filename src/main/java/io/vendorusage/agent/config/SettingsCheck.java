package io.vendorusage.agent.config;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.runtime.Startup;

/**
 * Rules that join several settings, checked at start-up so a bad combination stops the agent with a line
 * naming the property (single values are checked by the constraints on {@link AgentConfig}).
 */
@Startup
@ApplicationScoped
public class SettingsCheck {

    public SettingsCheck(AgentConfig config) {
        Duration longestPost = config.genesys().connectTimeout().plus(config.genesys().requestTimeout());
        if (config.submission().lease().compareTo(longestPost) <= 0) {
            // a record whose lease runs out is taken for abandoned and held as uncertain; a sender still
            // waiting for its answer then could have its POST billed after reconciliation judged it unbilled
            throw new IllegalStateException("agent.submission.lease: " + config.submission().lease()
                    + " must be longer than agent.genesys.connect-timeout + agent.genesys.request-timeout ("
                    + longestPost + "), the longest a POST can stay in flight");
        }
    }
}
