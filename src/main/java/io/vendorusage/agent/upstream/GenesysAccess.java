package io.vendorusage.agent.upstream;

import java.net.URI;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Startup;
import io.vendorusage.agent.config.AgentConfig;
import io.vendorusage.agent.config.Secrets;

/**
 * Where the upstream is and who the agent is to it: base URLs from the overrides, the sandbox or the
 * region table, and the client credentials. How the agent talks to it (timeouts, TLS trust) is the REST client's
 * configuration, {@code quarkus.rest-client.genesys.*} and {@code quarkus.tls.genesys.*}. Checked at start-up so a region without an API host stops
 * the agent naming {@code agent.genesys.region}.
 */
@Startup
@ApplicationScoped
public class GenesysAccess {

    /** Path under the agent's own port where the sandbox upstream answers. */
    public static final String SANDBOX_PATH = "/sandbox/genesys";
    static final String SANDBOX_CLIENT = "sandbox-client";

    private final AgentConfig config;
    private final Optional<URI> apiUrl;
    private final Optional<URI> loginUrl;
    private final Optional<Credentials> credentials;

    /** OAuth client credentials; {@link #toString()} never shows the secret. */
    public record Credentials(String clientId, String clientSecret) {
        @Override
        public String toString() {
            return "Credentials[clientId=" + clientId + ", clientSecret=redacted]";
        }
    }

    public GenesysAccess(AgentConfig config) {
        this.config = config;
        AgentConfig.Genesys g = config.genesys();
        Optional<String> host = Regions.apiHost(g.region());
        if (host.isEmpty() && (g.apiUrl().isEmpty() || g.loginUrl().isEmpty()) && !config.sandbox().enabled()) {
            throw new IllegalStateException("agent.genesys.region: " + g.region() + " has no API host"
                    + (Regions.FILTER_ONLY.contains(g.region()) ? " (it is a satellite region, valid only in"
                            + " agent.reconciliation.regions)" : "")
                    + "; use a region with one or set agent.genesys.api-url and agent.genesys.login-url");
        }
        this.apiUrl = g.apiUrl().or(() -> config.sandbox().enabled() ? Optional.empty()
                : host.map(h -> URI.create("https://" + h)));
        this.loginUrl = g.loginUrl().or(() -> config.sandbox().enabled() ? Optional.empty()
                : host.map(h -> URI.create("https://" + Regions.loginHost(h))));
        Optional<String> secret = Secrets.resolve("agent.genesys.client-secret", g.clientSecret(),
                g.clientSecretFile());
        if (g.clientId().isPresent() && secret.isPresent()) {
            this.credentials = Optional.of(new Credentials(g.clientId().get(), secret.get()));
        } else if (config.sandbox().enabled()) {
            this.credentials = Optional.of(new Credentials(SANDBOX_CLIENT, "sandbox-secret"));
        } else {
            this.credentials = Optional.empty();
        }
    }

    /** @return base URL of API calls ({@code <api-url>/api/v2/...}) */
    public URI apiUrl() {
        return apiUrl.orElseGet(this::sandboxUrl);
    }

    /** @return base URL of the token call ({@code <login-url>/oauth/token}) */
    public URI loginUrl() {
        return loginUrl.orElseGet(this::sandboxUrl);
    }

    /** @return the client credentials, empty when none are configured (nothing can be sent) */
    public Optional<Credentials> credentials() {
        return credentials;
    }

    public boolean sandbox() {
        return config.sandbox().enabled() && (apiUrl.isEmpty() || loginUrl.isEmpty());
    }

    /** The agent's own HTTP port is known only once it listens (tests use a random one), so resolve late. */
    private URI sandboxUrl() {
        var cfg = ConfigProvider.getConfig();
        String portProperty = LaunchMode.current() == LaunchMode.TEST ? "quarkus.http.test-port" : "quarkus.http.port";
        int port = cfg.getOptionalValue(portProperty, Integer.class).orElse(8080);
        return URI.create("http://127.0.0.1:" + port + SANDBOX_PATH);
    }
}
