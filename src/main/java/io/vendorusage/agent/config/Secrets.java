package io.vendorusage.agent.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Resolves a secret given either inline or as a file. Only property names ever appear in messages,
 * never values.
 */
public final class Secrets {

    private Secrets() {
    }

    /**
     * @param property the inline property name, used in messages
     * @param inline the inline value
     * @param file the file holding the value, which wins when both are set
     * @return the secret, trimmed, or empty when neither is set
     * @throws IllegalStateException naming the property when the file cannot be read or is empty
     */
    public static Optional<String> resolve(String property, Optional<String> inline, Optional<Path> file) {
        if (file.isPresent()) {
            String value;
            try {
                value = Files.readString(file.get(), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new IllegalStateException(property + "-file: cannot read " + file.get() + " ("
                        + e.getClass().getSimpleName() + ")");
            }
            if (value.isEmpty()) {
                throw new IllegalStateException(property + "-file: " + file.get() + " is empty");
            }
            return Optional.of(value);
        }
        return inline.map(String::strip).filter(v -> !v.isEmpty());
    }
}
