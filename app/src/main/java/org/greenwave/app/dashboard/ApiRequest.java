package org.greenwave.app.dashboard;

import java.util.Map;

/**
 * An authenticated API request.
 *
 * @param user   the user's name (the actor to record in the audit log)
 * @param role   the user's role now
 * @param method {@code GET} or {@code POST}
 * @param path   the values of the pattern's {@code {name}} segments, by name (URL-decoded)
 * @param params the query string's parameters and, for a form post, the form's fields (a field wins over a query
 *               parameter of the same name); the first value of each
 * @param body   the request body as text (at most {@link DashboardServer#MAX_BODY_BYTES}), empty for none
 * @param remote the client's address
 */
public record ApiRequest(String user, Role role, String method, Map<String, String> path, Map<String, String> params,
                         String body, String remote) {
    /** Path value {@code name}; the pattern guarantees it is there. */
    public String path(String name) {
        return path.get(name);
    }

    /**
     * Parameter {@code name}.
     *
     * @throws IllegalArgumentException (answered 400) when it is absent or empty
     */
    public String required(String name) {
        String v = params.get(name);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException("parameter '" + name + "' is required");
        }
        return v;
    }
}
