// A GraphQL-shaped error answer for the front door's own refusals (no data, one error with
// `extensions.code`), so a client reads a 401, 404 or 415 the way it reads any other error.

export function errorResponse(
  status: number,
  message: string,
  code: string,
  headers?: Record<string, string>,
): Response {
  return new Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}
