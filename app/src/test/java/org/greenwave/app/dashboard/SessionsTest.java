package org.greenwave.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class SessionsTest {
    final AtomicLong now = new AtomicLong(1_000_000);
    final Sessions sessions = new Sessions(now::get, 1000, 5000, 3);

    @Test
    void aSessionHasRandomIdAndCsrfTokenAndIsFoundByItsId() {
        Sessions.Session a = sessions.create("olga", Role.OPERATOR);
        Sessions.Session b = sessions.create("olga", Role.OPERATOR);
        assertThat(a.id).isNotEqualTo(b.id).hasSize(43);
        assertThat(a.csrf()).isNotEqualTo(a.id).isNotEqualTo(b.csrf());
        assertThat(sessions.get(a.id)).isSameAs(a);
        assertThat(sessions.get("guess")).isNull();
        assertThat(sessions.get(null)).isNull();
        assertThat(a.csrfMatches(a.csrf())).isTrue();
        assertThat(a.csrfMatches(b.csrf())).isFalse();
        assertThat(a.csrfMatches(null)).isFalse();
        assertThat(a.csrfMatches("")).isFalse();
    }

    @Test
    void aSessionEndsWhenIdleOrTooOldOrLoggedOut() {
        Sessions.Session a = sessions.create("olga", Role.OPERATOR);
        now.addAndGet(999);
        assertThat(sessions.get(a.id)).isNotNull();
        now.addAndGet(999);
        assertThat(sessions.get(a.id)).as("seen 999 ms ago").isNotNull();
        now.addAndGet(1000);
        assertThat(sessions.get(a.id)).as("idle 1000 ms").isNull();

        Sessions.Session b = sessions.create("olga", Role.OPERATOR);
        for (int i = 0; i < 5; i++) {
            now.addAndGet(900);
            sessions.get(b.id);
        }
        now.addAndGet(600);
        assertThat(sessions.get(b.id)).as("5000 ms after log-in, though active").isNull();

        Sessions.Session c = sessions.create("vic", Role.VIEWER);
        assertThat(sessions.end(c.id)).isTrue();
        assertThat(sessions.get(c.id)).isNull();
        assertThat(sessions.end(c.id)).isFalse();
    }

    @Test
    void theLeastRecentlyUsedSessionEndsBeyondTheLimitAndAUsersSessionsEndTogether() {
        Sessions.Session a = sessions.create("a", Role.VIEWER);
        Sessions.Session b = sessions.create("b", Role.VIEWER);
        Sessions.Session c = sessions.create("b", Role.VIEWER);
        sessions.get(a.id);
        sessions.create("d", Role.VIEWER);
        assertThat(sessions.get(b.id)).isNull();
        assertThat(sessions.get(a.id)).isNotNull();
        assertThat(sessions.endAll("b")).isEqualTo(1);
        assertThat(sessions.get(c.id)).isNull();
        assertThat(sessions.size()).isEqualTo(2);
    }
}
