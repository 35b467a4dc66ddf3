package io.vendorusage.agent.config;

import jakarta.enterprise.context.ApplicationScoped;

/** Each app's billing mode as configured ({@code agent.apps."<appId>".mode}); {@code sum} for apps not listed. */
@ApplicationScoped
public class AppModes {

    private final AgentConfig config;

    public AppModes(AgentConfig config) {
        this.config = config;
    }

    public AppMode of(String appId) {
        AgentConfig.App app = config.apps().get(appId);
        return app == null ? AppMode.SUM : app.mode();
    }
}
