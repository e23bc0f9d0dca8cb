// The slice of a pino logger the auth modules use. Fields name sellers and shops, never tokens.

export interface AuthLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

export const silentLogger: AuthLogger = {
  info() {},
  warn() {},
};
