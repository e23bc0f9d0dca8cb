// GraphiQL served entirely from the gateway's own origin (issue 12): Yoga's default page loads its
// scripts, styles and workers from a public CDN and stays at "Loading…" with no internet. Here the
// page is small HTML naming files under /graphiql/, and those files are the GraphiQL bundle that
// @graphql-yoga/render-graphiql ships in the npm package (loaded on the first asset request, so a
// gateway whose GraphiQL is never opened never holds its 9 MB). The page's Content-Security-Policy
// lets it load and connect to nothing but its own origin.
import { createHash } from 'node:crypto';
import { type GraphiQLOptions, type Plugin, shouldRenderGraphiQL } from 'graphql-yoga';

/** Where the page's files are served (GET, exact paths). */
export const GRAPHIQL_ASSETS_PATH = '/graphiql';

// Monaco asks for a worker by label; each is one file of the bundle.
const WORKER_FILES = {
  editorWorkerService: 'editor.worker.js',
  json: 'json.worker.js',
  graphql: 'graphql.worker.js',
} as const;

const ASSET_NAMES = [
  'graphiql.js',
  'graphiql.css',
  'start.js',
  'favicon.ico',
  ...Object.values(WORKER_FILES),
];

// Runs after the bundle: the workers from this origin, then the options the page carries as data.
const START_SCRIPT = `(() => {
  const workers = ${JSON.stringify(
    Object.fromEntries(
      Object.entries(WORKER_FILES).map(([label, file]) => [
        label,
        `${GRAPHIQL_ASSETS_PATH}/${file}`,
      ]),
    ),
  )};
  self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: (_moduleId, label) => workers[label] };
  const options = JSON.parse(document.getElementById('graphiql-options').textContent);
  YogaGraphiQL.renderYogaGraphiQL(document.getElementById('root'), options);
})();
`;

// Monaco and GraphiQL add <style> elements and data: images and fonts at run time.
const PAGE_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "worker-src 'self'",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

interface Asset {
  body: Uint8Array<ArrayBuffer>;
  contentType: string;
  etag: string;
}

export interface SelfHostedGraphiQL {
  /** Yoga's `renderGraphiQL`: the page for the options of one request. */
  render(options: GraphiQLOptions): string;
  /** The page's files, by exact path, for the front door's GET routes. */
  routes: Record<string, (request: Request) => Promise<Response>>;
  /** Adds the page's security headers to every GraphiQL page Yoga answers. */
  plugin: Plugin;
}

/** `graphqlPath`: where the page is served (its responses get the page's headers). */
export function createSelfHostedGraphiQL(graphqlPath: string): SelfHostedGraphiQL {
  let loading: Promise<Map<string, Asset>> | undefined;
  const assets = () => {
    loading ??= loadAssets();
    return loading;
  };
  const serve = (name: string) => async (request: Request) => {
    const asset = (await assets()).get(name) as Asset;
    const headers = {
      etag: asset.etag,
      // Revalidated on each load (a 304 while the package is unchanged).
      'cache-control': 'no-cache',
    };
    if (request.headers.get('if-none-match') === asset.etag) {
      return new Response(null, { status: 304, headers });
    }
    return new Response(asset.body, {
      status: 200,
      headers: {
        ...headers,
        'content-type': asset.contentType,
        'content-length': String(asset.body.byteLength),
        'x-content-type-options': 'nosniff',
      },
    });
  };
  return {
    render: renderPage,
    routes: Object.fromEntries(
      ASSET_NAMES.map((name) => [`${GRAPHIQL_ASSETS_PATH}/${name}`, serve(name)]),
    ),
    plugin: {
      onResponse({ request, response }) {
        const isPage =
          shouldRenderGraphiQL(request) &&
          new URL(request.url).pathname === graphqlPath &&
          response.headers.get('content-type')?.startsWith('text/html');
        if (!isPage) return;
        response.headers.set('content-security-policy', PAGE_POLICY);
        // It may carry the sandbox's development key: never kept by a cache.
        response.headers.set('cache-control', 'no-store');
        response.headers.set('x-content-type-options', 'nosniff');
      },
    },
  };
}

function renderPage(options: GraphiQLOptions): string {
  const title = escapeHtml(options.title ?? 'GraphiQL');
  // A data block, not a script: `<` escaped so no text in it can close the element.
  const data = JSON.stringify(options).replace(/</g, '\\u003c');
  const asset = (name: string) => `${GRAPHIQL_ASSETS_PATH}/${name}`;
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${title}</title>
    <link rel="icon" href="${asset('favicon.ico')}" />
    <link rel="stylesheet" href="${asset('graphiql.css')}" />
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>GraphiQL needs JavaScript.</noscript>
    <div id="root">Loading GraphiQL…</div>
    <script type="application/json" id="graphiql-options">${data}</script>
    <script src="${asset('graphiql.js')}"></script>
    <script src="${asset('start.js')}"></script>
  </body>
</html>
`;
}

async function loadAssets(): Promise<Map<string, Asset>> {
  const bundle = await import('@graphql-yoga/render-graphiql/graphiql');
  const text = (content: string) => new TextEncoder().encode(content);
  const javascript = 'text/javascript; charset=utf-8';
  const favicon = bundle.favicon.replace(/^data:image\/x-icon;base64,/, '');
  const entries: Array<[string, Uint8Array<ArrayBuffer>, string]> = [
    ['graphiql.js', text(bundle.js), javascript],
    ['graphiql.css', text(bundle.css), 'text/css; charset=utf-8'],
    ['start.js', text(START_SCRIPT), javascript],
    ['favicon.ico', Uint8Array.from(atob(favicon), (c) => c.charCodeAt(0)), 'image/x-icon'],
    [WORKER_FILES.editorWorkerService, text(bundle.editorWorkerService), javascript],
    [WORKER_FILES.json, text(bundle.jsonWorker), javascript],
    [WORKER_FILES.graphql, text(bundle.graphqlWorker), javascript],
  ];
  return new Map(
    entries.map(([name, body, contentType]) => [
      name,
      {
        body,
        contentType,
        etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
      },
    ]),
  );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
