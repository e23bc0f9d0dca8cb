// Drives the emulator's authorize page the way a browser would: GET the page, POST its form.

export interface AuthorizePage {
  status: number;
  html: string;
  /** Hidden form fields, by name. */
  hidden: Record<string, string>;
  /** open_id values of the seller radio buttons. */
  sellerOpenIds: string[];
  action: string;
}

export async function openAuthorizePage(url: string): Promise<AuthorizePage> {
  const response = await fetch(url);
  const html = await response.text();
  const hidden: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    hidden[unescapeHtml(match[1]!)] = unescapeHtml(match[2]!);
  }
  const sellerOpenIds = [
    ...html.matchAll(/<input type="radio" name="open_id" value="([^"]+)"/g),
  ].map((match) => unescapeHtml(match[1]!));
  const action = unescapeHtml(/<form method="post" action="([^"]+)"/.exec(html)?.[1] ?? '');
  return { status: response.status, html, hidden, sellerOpenIds, action };
}

/** Posts the page's form with a decision; returns the status and Location header. */
export async function submitAuthorizePage(
  baseUrl: string,
  page: AuthorizePage,
  fields: Record<string, string>,
): Promise<{ status: number; location: string | null }> {
  const response = await fetch(new URL(page.action, baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...page.hidden, ...fields }).toString(),
    redirect: 'manual',
  });
  await response.arrayBuffer();
  return { status: response.status, location: response.headers.get('location') };
}

function unescapeHtml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
