package io.vendorusage.agent.store;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One transaction at a time on a SQLite file, in arrival order. SQLite has a single write lock per database;
 * transactions that meet on it either fail ({@code SQLITE_BUSY}, when one that read first wants to write) or
 * poll for it in growing sleeps. Here a transaction waits instead in a fair queue in the process, from the moment
 * its connection leaves auto-commit until it returns to it or closes, so the store sees one transaction at a
 * time and none of them fails for another. Reads outside transactions (auto-commit) do not queue: in WAL mode
 * they read a snapshot beside the writer.
 *
 * <p>A transaction that waits longer than {@code waitMillis} gets an {@link SQLException} (the agent answers 503
 * and its jobs retry), never an endless wait. A semaphore, not a lock: a transaction may end on another thread
 * than the one that began it (a transaction timeout).
 */
final class WriteLock {

    private static final Map<Path, Semaphore> LOCKS = new ConcurrentHashMap<>();

    private WriteLock() {
    }

    /** @return the connection, wrapped so that its transactions take the file's turn */
    static Connection wrap(Connection connection, Path file, long waitMillis) {
        Semaphore turn = LOCKS.computeIfAbsent(file, f -> new Semaphore(1, true));
        return (Connection) Proxy.newProxyInstance(WriteLock.class.getClassLoader(), new Class<?>[] {Connection.class},
                new Handler(connection, turn, waitMillis));
    }

    private static final class Handler implements InvocationHandler {
        private final Connection connection;
        private final Semaphore turn;
        private final long waitMillis;
        private final AtomicBoolean holding = new AtomicBoolean();

        Handler(Connection connection, Semaphore turn, long waitMillis) {
            this.connection = connection;
            this.turn = turn;
            this.waitMillis = waitMillis;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "setAutoCommit":
                    boolean autoCommit = (Boolean) args[0];
                    if (!autoCommit && !holding.get()) {
                        take();
                        try {
                            connection.setAutoCommit(false);
                        } catch (SQLException | RuntimeException e) {
                            release();
                            throw e;
                        }
                        return null;
                    }
                    try {
                        connection.setAutoCommit(autoCommit);
                    } finally {
                        if (autoCommit) {
                            release();
                        }
                    }
                    return null;
                case "close":
                    try {
                        connection.close();
                    } finally {
                        release();
                    }
                    return null;
                case "unwrap":
                    return ((Class<?>) args[0]).isInstance(proxy) ? proxy : connection.unwrap((Class<?>) args[0]);
                case "isWrapperFor":
                    return ((Class<?>) args[0]).isInstance(proxy) || connection.isWrapperFor((Class<?>) args[0]);
                default:
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
            }
        }

        private void take() throws SQLException {
            try {
                if (!turn.tryAcquire(waitMillis, TimeUnit.MILLISECONDS)) {
                    throw new SQLException("the store is busy: no turn to write within " + waitMillis
                            + " ms (another transaction holds it)", "08001");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while waiting for the store's write turn", "08001", e);
            }
            holding.set(true);
        }

        private void release() {
            if (holding.compareAndSet(true, false)) {
                turn.release();
            }
        }
    }
}
