package io.vendorusage.agent.testsupport;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.WireMockServer;


/**
 * WireMock as the upstream over HTTPS only, with a certificate from a CA of its own (made here with the
 * JDK's keytool). With {@code trust=true} the agent gets a trust store holding that certificate (PKCS12, or the PEM
 * certificate with {@code format=pem}); without,
 * it has only the JVM's default CAs and must refuse the connection.
 */
public class GenesysTlsWireMock extends WireMockResource {

    private boolean trust;
    private boolean pem;

    @Override
    public void init(Map<String, String> initArgs) {
        trust = Boolean.parseBoolean(initArgs.getOrDefault("trust", "true"));
        pem = "pem".equals(initArgs.getOrDefault("format", "p12"));
    }

    @Override
    public Map<String, String> start() {
        try {
            Path dir = Files.createTempDirectory("vu-tls");
            Path keystore = dir.resolve("server.p12");
            Path cert = dir.resolve("server.crt");
            Path truststore = dir.resolve("trust.p12");
            keytool("-genkeypair", "-alias", "upstream", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                    "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12", "-keystore",
                    keystore.toString(), "-storepass", "server-pass", "-keypass", "server-pass");
            keytool("-exportcert", "-rfc", "-alias", "upstream", "-keystore", keystore.toString(), "-storepass",
                    "server-pass", "-file", cert.toString());
            keytool("-importcert", "-noprompt", "-alias", "upstream", "-file", cert.toString(), "-storetype",
                    "PKCS12", "-keystore", truststore.toString(), "-storepass", "trust-pass");
            server = new WireMockServer(options().httpDisabled(true).dynamicHttpsPort().bindAddress("127.0.0.1")
                    .keystorePath(keystore.toString()).keystorePassword("server-pass").keyManagerPassword("server-pass")
                    .keystoreType("PKCS12"));
            server.start();
            String url = "https://127.0.0.1:" + server.httpsPort();
            Map<String, String> config = upstreamAt(url);
            if (trust) {
                // the CA goes in the TLS registry's configuration "genesys", as a user would add theirs
                if (pem) {
                    config.put("quarkus.tls.genesys.trust-store.pem.certs", cert.toString());
                } else {
                    config.put("quarkus.tls.genesys.trust-store.p12.path", truststore.toString());
                    config.put("quarkus.tls.genesys.trust-store.p12.password", "trust-pass");
                }
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
}
