package io.vendorusage.agent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures;

/**
 * The package graph, as the README draws it: configuration and shared plumbing at the bottom, then the features in
 * the order an event travels them, the status aggregate and the problem mapping on top. A package may use only
 * packages listed before it; no package cycle.
 */
@Tag("store-independent")
class ArchitectureTest {

    /** Bottom first. Each package may depend on those before it, never on those after it. */
    static final List<String> LAYERS = List.of(
            "config", "http", "store", "observability", "security", "notify",
            "upstream", "outbox", "submission", "reconciliation", "ingest", "audit",
            "sandbox", "ops", "web");

    private static final String BASE = "io.vendorusage.agent";

    private static final JavaClasses AGENT = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(BASE);

    @Test
    void everyPackageIsALayer() {
        AGENT.stream().map(c -> c.getPackageName()).filter(p -> !p.equals(BASE)).distinct().forEach(p -> {
            String top = p.substring(BASE.length() + 1).split("\\.")[0];
            if (!LAYERS.contains(top)) {
                throw new AssertionError("package " + p + " is in no layer of ArchitectureTest.LAYERS");
            }
        });
    }

    @Test
    void lowerLayersNeverUseHigherOnes() {
        Architectures.LayeredArchitecture layers = Architectures.layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (String layer : LAYERS) {
            layers = layers.layer(layer).definedBy(BASE + "." + layer + "..");
        }
        for (int i = 0; i < LAYERS.size(); i++) {
            String[] lower = LAYERS.subList(0, i).toArray(String[]::new);
            layers = lower.length == 0 ? layers.whereLayer(LAYERS.get(i)).mayNotAccessAnyLayer()
                    : layers.whereLayer(LAYERS.get(i)).mayOnlyAccessLayers(lower);
        }
        layers.check(AGENT);
    }

    @Test
    void noPackageCycle() {
        slices().matching(BASE + ".(*)..").should().beFreeOfCycles().check(AGENT);
    }

    @Test
    void featuresSpeakNoHttpBelowTheirResources() {
        // domain code throws its own exceptions; only resources, the token filter and the ingest parser refuse
        // with HTTP problems, and web/ProblemMappers turns everything else into answers
        noClasses().that().resideInAnyPackage(BASE + ".outbox..", BASE + ".store..", BASE + ".upstream..",
                BASE + ".observability..", BASE + ".config..")
                .should().dependOnClassesThat().resideInAPackage(BASE + ".http..")
                .check(AGENT);
    }
}
