package org.greenwave.app.dashboard;

/**
 * Answers an authenticated API request registered with {@link DashboardServer#action} or {@link
 * DashboardServer#query}. Runs on one of the server's request threads; the user's session, role and (for actions)
 * CSRF token have been checked before it is called.
 *
 * <p>An {@link IllegalArgumentException} it throws is answered 400 with its message (bad input from the client), an
 * {@link IllegalStateException} 409 (not possible now); anything else 500, logged.
 */
@FunctionalInterface
public interface ApiHandler {
    ApiResponse handle(ApiRequest request) throws Exception;
}
