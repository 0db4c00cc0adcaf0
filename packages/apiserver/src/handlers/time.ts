/**
 * Timestamps as the server writes them: RFC 3339 with second precision (`metav1.Time`).
 *
 * Start with {@link nowTimestamp}.
 */
export function nowTimestamp(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}
