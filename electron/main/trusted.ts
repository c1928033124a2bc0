/** The app's own origin: pages are served from this custom scheme, never from file:// or the web. */
export const APP_ORIGIN = 'app://coffer';
export const APP_URL = `${APP_ORIGIN}/index.html`;

/** True only for a URL of the app's own pages; hostile look-alikes (userinfo, other hosts, schemes) fail. */
export function isTrustedUrl(url: string | undefined | null): boolean {
  if (!url) return false;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return u.protocol === 'app:' && u.host === 'coffer' && u.username === '' && u.password === '' && u.port === '';
}
