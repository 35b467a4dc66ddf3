package io.vendorusage.agent.testsupport;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * WireMock as the upstream over HTTPS only, with a certificate from a CA of its own (made here with the
 * JDK's keytool). With {@code trust=true} the agent gets a trust store holding that certificate; without,
 * it has only the JVM's default CAs and must refuse the connection.
 */
public class GenesysTlsWireMock implements QuarkusTestResourceLifecycleManager {

    private WireMockServer server;
    private boolean trust;

    @Override
    public void init(Map<String, String> initArgs) {
        trust = Boolean.parseBoolean(initArgs.getOrDefault("trust", "true"));
    }

    @Override
    public Map<String, String> start() {
        try {
            Path dir = Files.createTempDirectory("vu-tls");
            Path server = dir.resolve("server.p12");
            Path cert = dir.resolve("server.crt");
            Path truststore = dir.resolve("trust.p12");
            keytool("-genkeypair", "-alias", "upstream", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                    "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12", "-keystore",
                    server.toString(), "-storepass", "server-pass", "-keypass", "server-pass");
            keytool("-exportcert", "-rfc", "-alias", "upstream", "-keystore", server.toString(), "-storepass",
                    "server-pass", "-file", cert.toString());
            keytool("-importcert", "-noprompt", "-alias", "upstream", "-file", cert.toString(), "-storetype",
                    "PKCS12", "-keystore", truststore.toString(), "-storepass", "trust-pass");
            this.server = new WireMockServer(options().httpDisabled(true).dynamicHttpsPort().bindAddress("127.0.0.1")
                    .keystorePath(server.toString()).keystorePassword("server-pass").keyManagerPassword("server-pass")
                    .keystoreType("PKCS12"));
            this.server.start();
            String url = "https://127.0.0.1:" + this.server.httpsPort();
            Map<String, String> config = new HashMap<>(Map.of("agent.genesys.api-url", url,
                    "agent.genesys.login-url", url,
                    "agent.genesys.client-id", GenesysWireMock.CLIENT_ID,
                    "agent.genesys.client-secret", GenesysWireMock.CLIENT_SECRET));
            if (trust) {
                config.put("agent.genesys.trust-store", truststore.toString());
                config.put("agent.genesys.trust-store-password", "trust-pass");
            }
            return config;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void keytool(String... args) throws IOException {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("keytool failed: " + new String(p.getInputStream().readAllBytes()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(server,
                new TestInjector.AnnotatedAndMatchesType(InjectWireMock.class, WireMockServer.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
