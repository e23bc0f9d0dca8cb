// Matches API-host paths against route patterns with `:name` segments.
import type { RouteDefinition } from './route-types.js';

export type RouteMatch =
  | { kind: 'found'; route: RouteDefinition; params: Record<string, string> }
  | { kind: 'wrong_method'; allowed: string[] }
  | { kind: 'not_found' };

interface CompiledRoute {
  route: RouteDefinition;
  segments: string[];
}

export interface Router {
  match(method: string, path: string): RouteMatch;
}

export function createRouter(routes: readonly RouteDefinition[]): Router {
  const compiled: CompiledRoute[] = routes.map((route) => ({
    route,
    segments: route.pattern.split('/'),
  }));
  const seen = new Set<string>();
  for (const { route } of compiled) {
    const key = `${route.method} ${route.pattern.replace(/:[^/]+/g, ':')}`;
    if (seen.has(key))
      throw new Error(`Duplicate emulator route: ${route.method} ${route.pattern}`);
    seen.add(key);
  }

  return {
    match(method, path) {
      const pathSegments = path.split('/');
      const allowed: string[] = [];
      // Literal segments win over parameters, so `/x/search` is not taken as `/x/:id`.
      let best: { route: RouteDefinition; params: Record<string, string>; score: number } | null =
        null;
      for (const { route, segments } of compiled) {
        const matched = matchSegments(segments, pathSegments);
        if (!matched) continue;
        if (route.method !== method) {
          allowed.push(route.method);
          continue;
        }
        if (!best || matched.score > best.score) best = { route, ...matched };
      }
      if (best) return { kind: 'found', route: best.route, params: best.params };
      if (allowed.length > 0) return { kind: 'wrong_method', allowed: [...new Set(allowed)] };
      return { kind: 'not_found' };
    },
  };
}

/**
 * Matches path segments against pattern segments (`:name` takes any non-empty segment, decoded);
 * the score counts literal segments, so the most literal pattern can win.
 */
export function matchSegments(
  pattern: readonly string[],
  path: readonly string[],
): { params: Record<string, string>; score: number } | null {
  if (pattern.length !== path.length) return null;
  const params: Record<string, string> = {};
  let score = 0;
  for (let i = 0; i < pattern.length; i += 1) {
    const want = pattern[i] as string;
    const got = path[i] as string;
    if (want.startsWith(':')) {
      if (got === '') return null;
      let decoded: string;
      try {
        decoded = decodeURIComponent(got);
      } catch {
        return null;
      }
      params[want.slice(1)] = decoded;
    } else if (want === got) {
      score += 1;
    } else {
      return null;
    }
  }
  return { params, score };
}
