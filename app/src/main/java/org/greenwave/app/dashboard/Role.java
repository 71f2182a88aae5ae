package org.greenwave.app.dashboard;

import java.util.Locale;

/** What a dashboard user may do; each role may do everything the roles before it may. */
public enum Role {
    /** Sees the dashboard, the API and the audit log. */
    VIEWER,
    /** Also acts on signals and alerts. */
    OPERATOR,
    /** Also does what changes the deployment (keys, settings). */
    ADMIN;

    /** Whether this role may do what {@code required} may. */
    public boolean covers(Role required) {
        return compareTo(required) >= 0;
    }

    /** The role's name as written in the users file and shown: {@code viewer}, {@code operator}, {@code admin}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The role named {@code s} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the known roles
     */
    public static Role parse(String s) {
        for (Role r : values()) {
            if (r.label().equalsIgnoreCase(s.strip())) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role '" + s + "'; roles are viewer, operator, admin");
    }
}
