package io.vendorusage.agent.observability;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

import org.jboss.logmanager.ExtLogRecord;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * Formats a log record as one JSON object on one line: timestamp, level, logger, thread, message and,
 * when there is one, the exception with its stack trace.
 */
final class JsonLogFormatter extends Formatter {

    private final JsonStringEncoder encoder = JsonStringEncoder.getInstance();

    @Override
    public String format(LogRecord record) {
        StringBuilder json = new StringBuilder(256).append('{');
        field(json, "timestamp", Instant.ofEpochMilli(record.getMillis()).toString()).append(',');
        field(json, "level", record.getLevel().getName()).append(',');
        field(json, "logger", record.getLoggerName()).append(',');
        boolean ext = record instanceof ExtLogRecord;
        field(json, "thread", ext ? ((ExtLogRecord) record).getThreadName() : Thread.currentThread().getName())
                .append(',');
        field(json, "message", ext ? ((ExtLogRecord) record).getFormattedMessage() : formatMessage(record));
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            json.append(',');
            field(json, "exception", trace.toString());
        }
        return json.append("}\n").toString();
    }

    private StringBuilder field(StringBuilder json, String name, String value) {
        json.append('"').append(name).append("\":");
        if (value == null) {
            return json.append("null");
        }
        return json.append('"').append(encoder.quoteAsString(value)).append('"');
    }
}
