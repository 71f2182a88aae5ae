package org.greenwave.app.dashboard;

import java.nio.charset.StandardCharsets;

/** What an {@link ApiHandler} answers: a status, a content type and a body. */
public record ApiResponse(int status, String contentType, byte[] body) {
    /** A JSON document. */
    public static ApiResponse json(int status, String json) {
        return new ApiResponse(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    /** Plain text. */
    public static ApiResponse text(int status, String text) {
        return new ApiResponse(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    /** 200 with {@code {"ok":true}}. */
    public static ApiResponse ok() {
        return json(200, "{\"ok\":true}");
    }
}
