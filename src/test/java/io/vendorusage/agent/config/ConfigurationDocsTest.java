package io.vendorusage.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * The configuration table in {@code docs/configuration.md} lists exactly the properties {@link AgentConfig}
 * declares, with the same defaults, so the documentation cannot drift from the code.
 */
@Tag("store-independent")
class ConfigurationDocsTest {

    private static final Pattern ROW = Pattern.compile("^\\| `(agent\\.[^`]+)` \\| ([^|]*) \\|");
    private static final Pattern CODE = Pattern.compile("`([^`]*)`");

    @Test
    void tableListsEveryDeclaredPropertyWithItsDefault() throws IOException {
        Map<String, Optional<String>> declared = new TreeMap<>();
        collect("agent", AgentConfig.class, declared);
        Map<String, String> documented = documentedRows();

        var undocumented = new java.util.TreeSet<>(declared.keySet());
        undocumented.removeAll(documented.keySet());
        var unknown = new java.util.TreeSet<>(documented.keySet());
        unknown.removeAll(declared.keySet());
        assertTrue(undocumented.isEmpty() && unknown.isEmpty(), "docs/configuration.md lacks " + undocumented
                + " and lists properties AgentConfig does not declare: " + unknown);
        declared.forEach((property, fallback) -> fallback.ifPresent(value -> {
            Matcher code = CODE.matcher(documented.get(property));
            assertTrue(code.find() && code.group(1).equals(value),
                    property + ": the docs give '" + documented.get(property).trim() + "', the code `" + value + "`");
        }));
    }

    @Test
    void upstreamClientDefaultsInTheDocsAreThoseOfApplicationProperties() throws IOException {
        var shipped = new java.util.Properties();
        try (var in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            shipped.load(in);
        }
        Pattern row = Pattern.compile("^\\| `(quarkus\\.rest-client\\.genesys\\.[^`]+)` \\| `([^`]*)` \\|");
        int checked = 0;
        for (String line : Files.readAllLines(Path.of("docs/configuration.md"))) {
            Matcher m = row.matcher(line);
            if (m.find()) {
                assertEquals(m.group(2), shipped.getProperty(m.group(1)), m.group(1));
                checked++;
            }
        }
        assertEquals(2, checked, "the two timeouts of the upstream client are documented with their defaults");
    }

    @Test
    void walkerSeesNestedGroupsMapsAndRenamedProperties() {
        Map<String, Optional<String>> declared = new TreeMap<>();
        collect("agent", AgentConfig.class, declared);
        // a guard against a walker that finds nothing and so agrees with an empty table
        assertTrue(declared.containsKey("agent.apps.\"<appId>\".mode"), declared.keySet().toString());
        assertEquals(Optional.of("PT10S"), declared.get("agent.outbox.stats-interval"));
        assertEquals(Optional.of("./data"), declared.get("agent.data-dir"));
        assertTrue(declared.size() > 30, "only " + declared.size() + " properties found");
    }

    private static void collect(String prefix, Class<?> group, Map<String, Optional<String>> out) {
        for (Method m : group.getMethods()) {
            if (m.isDefault() || java.lang.reflect.Modifier.isStatic(m.getModifiers()) || m.getParameterCount() > 0) {
                continue;
            }
            WithName renamed = m.getAnnotation(WithName.class);
            String name = prefix + "." + (renamed != null ? renamed.value() : kebab(m.getName()));
            Type type = m.getGenericReturnType();
            if (m.getReturnType() == Map.class) {
                Type value = ((ParameterizedType) type).getActualTypeArguments()[1];
                collect(name + ".\"<appId>\"", raw(value), out);
            } else if (isGroup(m.getReturnType())) {
                collect(name, m.getReturnType(), out);
            } else {
                WithDefault fallback = m.getAnnotation(WithDefault.class);
                out.put(name, Optional.ofNullable(fallback).map(WithDefault::value));
            }
        }
    }

    private static boolean isGroup(Class<?> type) {
        return type.isInterface() && type.getName().startsWith(AgentConfig.class.getName());
    }

    private static Class<?> raw(Type type) {
        return type instanceof ParameterizedType p ? (Class<?>) p.getRawType()
                : type instanceof Class<?> c ? c : (Class<?>) ((java.lang.reflect.AnnotatedType) type).getType();
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static Map<String, String> documentedRows() throws IOException {
        Map<String, String> rows = new TreeMap<>();
        for (String line : Files.readAllLines(Path.of("docs/configuration.md"))) {
            Matcher row = ROW.matcher(line);
            if (row.find()) {
                rows.put(row.group(1), row.group(2));
            }
        }
        return rows;
    }
}
