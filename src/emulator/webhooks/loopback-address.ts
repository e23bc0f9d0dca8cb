// The addresses the emulator will post to: plain http on a loopback host, so nothing it sends
// leaves the machine.

const LOOPBACK_HOSTNAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The URL to post to, or null when `address` is not `http:` on a loopback host. */
export function loopbackHttpUrl(address: string): URL | null {
  try {
    const url = new URL(address);
    return url.protocol === 'http:' && LOOPBACK_HOSTNAMES.has(url.hostname) ? url : null;
  } catch {
    return null;
  }
}
