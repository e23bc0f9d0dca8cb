// Where a seller's browser may be sent back to (issue 10, OAUTH_REDIRECT_URIS): the allowlist an
// OAuth state is signed against, and the callback's check that a state was made for it.

/** The setup guide's development redirect, allowed by default (OAUTH_REDIRECT_URI's default). */
export const SETUP_GUIDE_REDIRECT_URI = 'http://localhost:8000/callback';

/** Names of this machine: loopback redirects are matched across them (RFC 8252 sections 7.3 and 8.3). */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** `text` when it is an absolute http(s) URL without credentials or fragment; else undefined. */
export function parseRedirectUri(text: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  const isHttp = url.protocol === 'http:' || url.protocol === 'https:';
  if (!isHttp || url.username !== '' || url.password !== '' || text.includes('#')) {
    return undefined;
  }
  return url;
}

const isLoopback = (url: URL) => url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);

/**
 * Whether `candidate` is the redirect `allowed` names: the same URL, except that a loopback http
 * URL matches on any port and under any loopback name, since a local listener (`npm run oauth`)
 * takes whatever port is free (RFC 8252 section 7.3).
 */
export function isSameRedirect(allowed: URL, candidate: URL): boolean {
  if (isLoopback(allowed) && isLoopback(candidate)) {
    return allowed.pathname === candidate.pathname && allowed.search === candidate.search;
  }
  return allowed.href === candidate.href;
}

/** Whether `uri` is an absolute http(s) URL that one of `allowed` names. */
export function isAllowedRedirect(allowed: readonly string[], uri: string): boolean {
  const candidate = parseRedirectUri(uri);
  if (!candidate) return false;
  return allowed.some((entry) => {
    const allowedUrl = parseRedirectUri(entry);
    return allowedUrl !== undefined && isSameRedirect(allowedUrl, candidate);
  });
}

/**
 * Whether a state signed for `signed` belongs to the callback that `received` it: the same host
 * and path. Scheme and port are not compared (a proxy in front may end TLS and map ports), and
 * loopback names count as one host.
 */
export function isRedirectOf(signed: string, received: string): boolean {
  const signedUrl = parseRedirectUri(signed);
  const receivedUrl = parseRedirectUri(received);
  if (!signedUrl || !receivedUrl || signedUrl.pathname !== receivedUrl.pathname) return false;
  return (
    signedUrl.hostname === receivedUrl.hostname ||
    (LOOPBACK_HOSTS.has(signedUrl.hostname) && LOOPBACK_HOSTS.has(receivedUrl.hostname))
  );
}

/** This gateway's own callback URL, as it listens (HOST, PORT, OAUTH_CALLBACK_PATH). */
export function gatewayCallbackUrl(host: string, port: number, callbackPath: string): string {
  const hostForUrl = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `http://${hostForUrl}:${port}${callbackPath}`;
}
