package org.greenwave.core.audit;

/**
 * One line of the {@link AuditLog}.
 *
 * @param seq    1 for the first line of a log, one more for each line after it
 * @param timeMs wall time of the record, milliseconds since the epoch (UTC)
 * @param actor  who did it: a user's name, or {@code engine} / {@code field:ID} for what the software did by itself
 * @param action what was done, a short dotted verb such as {@code signal.mode} or {@code login.failed}
 * @param target what it was done to, such as {@code signal:J1}; empty when nothing in particular
 * @param detail free text or a small JSON document, kept verbatim; empty when none
 * @param prev   SHA-256 (hex) of the previous line's bytes; 64 zeros on the first line
 * @param hash   SHA-256 (hex) of this line's bytes, which the next line carries as its {@code prev}
 */
public record AuditEntry(long seq, long timeMs, String actor, String action, String target, String detail,
                         String prev, String hash) {
}
