package io.vendorusage.agent.web;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.security.SecurityRequirement;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import io.vendorusage.agent.http.ApiDocs;

/**
 * Adds the token answers to every operation from its security requirement, so no resource repeats them: {@code 401}
 * to each operation behind a token, {@code 403} (operator API off) to those behind the admin token. Run once when
 * the document is built at package time, so the running agent only serves it.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class TokenAnswersFilter implements OASFilter {

    @Override
    public Operation filterOperation(Operation operation) {
        if (operation.getSecurity() == null || operation.getSecurity().isEmpty()) {
            return operation;
        }
        operation.getResponses().addAPIResponse("401",
                OASFactory.createAPIResponse().ref(ApiDocs.UNAUTHORIZED));
        boolean admin = operation.getSecurity().stream().map(SecurityRequirement::getSchemes)
                .anyMatch(schemes -> schemes != null && schemes.containsKey(ApiDocs.ADMIN_TOKEN));
        if (admin) {
            operation.getResponses().addAPIResponse("403", OASFactory.createAPIResponse().ref(ApiDocs.FORBIDDEN));
        }
        return operation;
    }
}
