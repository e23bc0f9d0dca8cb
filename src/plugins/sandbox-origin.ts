// Who may load the GraphiQL page with the sandbox's development key in it (issue 10): any web page
// the user visited could read it before, since GraphiQL answered every origin. The key-bearing page
// is served only while the gateway listens on loopback, and only to a request from its own origin
// under a loopback name (a DNS-rebound name such as `evil.example` resolving to 127.0.0.1 is
// refused); others get the page without the key. No GraphiQL page is ever shared cross-origin
// (use-cors-allowlist.ts).

/** `localhost`, 127.0.0.0/8 and ::1, bracketed or not. */
export function isLoopbackHost(host: string): boolean {
  return (
    host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host)
  );
}

/**
 * A request from this gateway's own origin, addressed to a loopback name. Browsers send `Origin`
 * on cross-origin reads and `Sec-Fetch-Site` on everything (absent from scripts and older
 * browsers, which still need the same origin to read the page).
 */
export function isOwnLoopbackOrigin(request: Request): boolean {
  const url = new URL(request.url);
  const origin = request.headers.get('origin');
  const site = request.headers.get('sec-fetch-site');
  return (
    isLoopbackHost(url.hostname) &&
    (origin === null || origin === url.origin) &&
    (site === null || site === 'same-origin' || site === 'none')
  );
}
