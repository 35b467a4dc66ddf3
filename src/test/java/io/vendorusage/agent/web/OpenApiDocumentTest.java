package io.vendorusage.agent.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.ws.rs.Path;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vendorusage.agent.http.ApiDocs;
import io.vendorusage.agent.testsupport.TestEvents;

/**
 * The OpenAPI document on the management port describes every resource method of the ingest and operator API
 * (with its token and its problem answers), and every request example in it is accepted by the API itself.
 */
@Tag("store-independent")
@QuarkusTest
class OpenApiDocumentTest {

    private static final Set<String> VERBS = Set.of("GET", "POST", "PUT", "DELETE", "PATCH");

    @TestHTTPResource(value = "/openapi", management = true)
    URL openapi;

    @TestHTTPResource(value = "/swagger-ui/", management = true)
    URL swaggerUi;

    private JsonNode document() throws Exception {
        String json = given().queryParam("format", "json").get(openapi).then().statusCode(200).extract().asString();
        return new ObjectMapper().readTree(json);
    }

    /** Every @GET/@POST... method of a class with @Path under the agent's packages, the sandbox aside. */
    private static List<String[]> resourceMethods() {
        List<String[]> found = new ArrayList<>();
        for (JavaClass type : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.vendorusage.agent")) {
            if (!type.isAnnotatedWith(Path.class) || type.isInterface() || type.getPackageName().contains("sandbox")) {
                continue;
            }
            String base = type.getAnnotationOfType(Path.class).value();
            for (JavaMethod method : type.getMethods()) {
                for (String verb : VERBS) {
                    if (!method.isAnnotatedWith("jakarta.ws.rs." + verb)) {
                        continue;
                    }
                    String path = base + (method.isAnnotatedWith(Path.class)
                            ? "/" + method.getAnnotationOfType(Path.class).value() : "");
                    boolean hidden = method.isAnnotatedWith(Operation.class)
                            && method.getAnnotationOfType(Operation.class).hidden();
                    found.add(new String[] { path.replaceAll("/+", "/"), verb.toLowerCase(Locale.ROOT),
                            type.getSimpleName() + "." + method.getName(), String.valueOf(hidden) });
                }
            }
        }
        return found;
    }

    @Test
    void everyResourceMethodIsAnOperationWithItsTokenAndProblems() throws Exception {
        JsonNode doc = document();
        List<String[]> methods = resourceMethods();
        assertTrue(methods.size() >= 10, "only " + methods.size() + " resource methods found");
        for (String[] m : methods) {
            JsonNode operation = doc.path("paths").path(m[0]).path(m[1]);
            assertFalse(operation.isMissingNode(), m[2] + ": " + m[1].toUpperCase(Locale.ROOT) + " " + m[0]
                    + " is not in the document");
            if (Boolean.parseBoolean(m[3])) {
                continue; // another content type of a documented operation
            }
            assertTrue(operation.hasNonNull("operationId") && operation.hasNonNull("summary"), m[2]);
            String scheme = m[0].startsWith("/v1/usage-events") ? ApiDocs.INGEST_TOKEN : ApiDocs.ADMIN_TOKEN;
            assertTrue(operation.path("security").get(0).has(scheme), m[2] + " needs " + scheme);
            JsonNode responses = operation.path("responses");
            assertTrue(responses.has("401"), m[2] + " documents its 401");
            responses.fieldNames().forEachRemaining(code -> {
                if (code.startsWith("4") || code.startsWith("5")) {
                    JsonNode answer = responses.get(code);
                    JsonNode resolved = answer.has("$ref") ? doc.at("/components/responses/"
                            + answer.get("$ref").asText().substring("#/components/responses/".length())) : answer;
                    assertNotNull(resolved.path("content").get("application/problem+json"),
                            m[2] + " " + code + " is a problem document");
                }
            });
        }
        JsonNode schemes = doc.path("components").path("securitySchemes");
        assertEquals("bearer", schemes.path(ApiDocs.INGEST_TOKEN).path("scheme").asText());
        assertEquals("bearer", schemes.path(ApiDocs.ADMIN_TOKEN).path("scheme").asText());
    }

    @Test
    void everyRequestExampleIsAcceptedByTheApi() throws Exception {
        JsonNode doc = document();
        int posted = 0;
        for (Map.Entry<String, JsonNode> path : iterable(doc.path("paths"))) {
            for (Map.Entry<String, JsonNode> operation : iterable(path.getValue())) {
                boolean admin = operation.getValue().path("security").get(0).has(ApiDocs.ADMIN_TOKEN);
                for (Map.Entry<String, JsonNode> content : iterable(operation.getValue().path("requestBody")
                        .path("content"))) {
                    for (Map.Entry<String, JsonNode> example : iterable(content.getValue().path("examples"))) {
                        int status = given().header("Authorization", "Bearer "
                                + (admin ? TestEvents.ADMIN_TOKEN : TestEvents.INGEST_TOKEN))
                                .contentType(content.getKey()).body(example.getValue().get("value").toString())
                                .request(operation.getKey(), path.getKey()).then().extract().statusCode();
                        assertTrue(status >= 200 && status < 300, operation.getKey() + " " + path.getKey() + " "
                                + content.getKey() + " example '" + example.getKey() + "' answered " + status);
                        posted++;
                    }
                }
            }
        }
        assertTrue(posted >= 4, "the JSON and CloudEvents examples, one and batch: " + posted);
    }

    @Test
    void swaggerUiIsServedOnTheManagementPort() {
        String page = given().get(swaggerUi).then().statusCode(200).extract().asString();
        assertTrue(page.contains("swagger-ui"), page);
    }

    private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode node) {
        return node::fields;
    }
}
