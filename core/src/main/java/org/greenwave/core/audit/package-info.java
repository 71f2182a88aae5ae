/**
 * The audit log: an append-only, hash-chained record of what people and the software did to the signals (operator
 * actions, mode changes, fallbacks, key changes, log-ins), one JSON object a line, each line carrying the SHA-256 of
 * the line before it, so that a changed, removed or inserted line is found by {@link
 * org.greenwave.core.audit.AuditLog#verify(java.nio.file.Path)}.
 */
package org.greenwave.core.audit;
