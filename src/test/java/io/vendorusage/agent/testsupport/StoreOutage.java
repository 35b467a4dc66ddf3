package io.vendorusage.agent.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.h2.tools.Server;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A store that a test can take down and bring back. On H2 it is a real H2 TCP server on loopback that
 * the agent reaches over JDBC; on PostgreSQL it is the CI's server, stopped and started with the
 * commands in {@code VENDORUSAGE_TEST_PG_STOP} and {@code VENDORUSAGE_TEST_PG_START}.
 */
public class StoreOutage implements QuarkusTestResourceLifecycleManager {

    private static volatile Server h2;
    private static volatile int port;

    public static boolean isPostgresql() {
        return "postgresql".equals(System.getProperty("quarkus.datasource.db-kind"));
    }

    /** @return whether this store can be taken down from a test here */
    public static boolean available() {
        return !isPostgresql() || (System.getenv("VENDORUSAGE_TEST_PG_STOP") != null
                && System.getenv("VENDORUSAGE_TEST_PG_START") != null);
    }

    @Override
    public Map<String, String> start() {
        if (isPostgresql()) {
            return Map.of();
        }
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        startStore();
        return Map.of("quarkus.datasource.jdbc.url", "jdbc:h2:tcp://127.0.0.1:" + port
                + "/outage;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
    }

    @Override
    public void stop() {
        if (h2 != null) {
            h2.stop();
        }
    }

    /** Takes the store down; connections already open break. */
    public static void stopStore() {
        if (isPostgresql()) {
            run(System.getenv("VENDORUSAGE_TEST_PG_STOP"));
        } else {
            h2.stop();
            h2.shutdown();
        }
    }

    /** Brings the store back with its data. */
    public static void startStore() {
        if (isPostgresql()) {
            run(System.getenv("VENDORUSAGE_TEST_PG_START"));
            return;
        }
        Path dir = Path.of("target", "store-outage").toAbsolutePath();
        try {
            h2 = Server.createTcpServer("-tcpPort", String.valueOf(port), "-baseDir", dir.toString(), "-ifNotExists")
                    .start();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot start the H2 TCP server", e);
        }
    }

    private static void run(String command) {
        try {
            Process p = new ProcessBuilder("bash", "-c", command).inheritIO().start();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("store command failed: " + command);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
