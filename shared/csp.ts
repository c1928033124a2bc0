/** Strict CSP for the app's own pages: no inline script, no remote anything. Sent as a header by both doors. */
const DIRECTIVES = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
];

export const CONTENT_SECURITY_POLICY = [...DIRECTIVES, "frame-ancestors 'none'"].join('; ');

/**
 * The same policy in the page itself (renderer/index.html, kept equal by a test), for a page loaded
 * by anything other than the two doors and for scanners that read the HTML. A `<meta>` policy
 * cannot hold `frame-ancestors` (browsers ignore it there and say so).
 */
export const META_CONTENT_SECURITY_POLICY = DIRECTIVES.join('; ');
