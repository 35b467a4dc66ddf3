package io.vendorusage.agent.observability;

import java.util.logging.Handler;
import java.util.logging.Logger;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.quarkus.runtime.StartupEvent;
import io.vendorusage.agent.config.AgentConfig;

/**
 * Switches console logging to one JSON object per line when {@code agent.log.json=true}. It takes effect
 * as the application starts; the few lines Quarkus prints before that keep the text format.
 */
@Singleton
public class JsonLogging {

    void onStart(@Observes @Priority(1) StartupEvent event, AgentConfig config) {
        if (!config.log().json()) {
            return;
        }
        JsonLogFormatter formatter = new JsonLogFormatter();
        for (Handler handler : Logger.getLogger("").getHandlers()) {
            setOnConsoleHandlers(handler, formatter);
        }
    }

    /** Quarkus wraps its console handler (async, delayed): walk the wrappers down to it. */
    private static void setOnConsoleHandlers(Handler handler, JsonLogFormatter formatter) {
        if (handler instanceof org.jboss.logmanager.handlers.ConsoleHandler) {
            handler.setFormatter(formatter);
        }
        if (handler instanceof org.jboss.logmanager.ExtHandler ext) {
            for (Handler child : ext.getHandlers()) {
                setOnConsoleHandlers(child, formatter);
            }
        }
    }
}
