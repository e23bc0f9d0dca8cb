// Fault injection for API-host requests: latency, errors, 429s, drops, malformed and stalled
// replies and any chosen TikTok code, from a deterministic script first and then seeded random
// rates. Also the webhook knobs: dropped, duplicated, reordered and delayed deliveries.
import type { FaultConfig, FaultKind, UnknownEnumField, WebhookFaultKind } from './types.js';
import { DEFAULT_UNKNOWN_ENUM_VALUE, UNKNOWN_ENUM_FIELDS } from './unknown-enums.js';

export const FAULT_KINDS: readonly FaultKind[] = [
  'error',
  'rate_limit',
  'drop',
  'malformed',
  'stall',
  'code',
];

/** Rate options in the order they are rolled: one draw falls into at most one of them. */
const RATE_KEYS = {
  error: 'errorRate',
  rate_limit: 'rateLimitRate',
  drop: 'dropRate',
  malformed: 'malformedRate',
  stall: 'stallRate',
  code: 'codeRate',
} as const satisfies Record<FaultKind, keyof FaultConfig>;

/** Webhook rate options, rolled like RATE_KEYS with a draw of their own. */
const WEBHOOK_RATE_KEYS = {
  drop: 'webhookDropRate',
  duplicate: 'webhookDuplicateRate',
  reorder: 'webhookReorderRate',
} as const satisfies Record<WebhookFaultKind, keyof FaultConfig>;

/** Options in ms, each a number >= 0. */
const MS_KEYS = ['latencyMs', 'latencyJitterMs', 'webhookDelayMs', 'webhookReorderWindowMs'];

/** Default for `webhookReorderWindowMs`, ms. */
export const DEFAULT_REORDER_WINDOW_MS = 1_000;

const ERROR_STATUSES = new Set([500, 502, 503, 504]);

const KNOWN_KEYS = new Set<string>([
  'latencyMs',
  'latencyJitterMs',
  'errorStatus',
  'retryAfterSeconds',
  'script',
  'pathPrefixes',
  'shopIds',
  'unknownEnums',
  'unknownEnumValue',
  'codeAnswer',
  'productsWithoutStatus',
  'handleFirst',
  'webhookRetryScale',
  ...MS_KEYS,
  ...Object.values(RATE_KEYS),
  ...Object.values(WEBHOOK_RATE_KEYS),
]);

/** What an enum value looks like on the wire (§6.1, §6.6). */
const ENUM_VALUE = /^[A-Z][A-Z0-9_]*$/;

export interface FaultDecision {
  /** Delay before answering, ms. */
  latencyMs: number;
  kind: FaultKind | null;
}

/** What happens to one webhook delivery. */
export interface WebhookFaultDecision {
  kind: WebhookFaultKind | null;
  /** Wait before the first attempt, ms. */
  delayMs: number;
  /** For `reorder`: how long the first held delivery waits, ms. */
  holdMs: number;
}

export interface FaultInjector {
  /** The active configuration, with what remains of the script. */
  get(): FaultConfig;
  /** Replaces the configuration and re-seeds the random source, so runs repeat. */
  set(config: FaultConfig): void;
  /** Decides for one request; null when the filters exclude it. */
  decide(target: FaultTarget): FaultDecision | null;
  /** The `unknownEnums` fields a clean answer to this request gets, and the value they carry. */
  unknownEnums(target: FaultTarget): { fields: UnknownEnumField[]; value: string } | null;
  /** Decides for one webhook delivery, from a random source apart from the requests' one. */
  decideWebhook(): WebhookFaultDecision;
}

/** The request a fault is decided for. */
export interface FaultTarget {
  path: string;
  shopId: string | null;
}

export type FaultValidation = { ok: true; config: FaultConfig } | { ok: false; reason: string };

/** Checks a FaultConfig from code or JSON; unknown keys are rejected so typos are not ignored. */
export function validateFaultConfig(value: unknown): FaultValidation {
  if (!isPlainObject(value)) return { ok: false, reason: 'faults must be a JSON object' };
  for (const key of Object.keys(value)) {
    if (!KNOWN_KEYS.has(key)) return { ok: false, reason: `unknown fault option '${key}'` };
  }
  const config = value as Record<string, unknown>;
  for (const key of MS_KEYS) {
    const ms = config[key];
    if (ms !== undefined && !(typeof ms === 'number' && Number.isFinite(ms) && ms >= 0)) {
      return { ok: false, reason: `${key} must be a number of ms >= 0` };
    }
  }
  for (const keys of [Object.values(RATE_KEYS), Object.values(WEBHOOK_RATE_KEYS)]) {
    const problem = checkRates(config, keys);
    if (problem) return { ok: false, reason: problem };
  }
  const retryScale = config.webhookRetryScale;
  if (
    retryScale !== undefined &&
    !(typeof retryScale === 'number' && retryScale > 0 && retryScale <= 1)
  ) {
    return { ok: false, reason: 'webhookRetryScale must be a number > 0 and <= 1' };
  }
  const status = config.errorStatus;
  if (status !== undefined && !(typeof status === 'number' && ERROR_STATUSES.has(status))) {
    return { ok: false, reason: 'errorStatus must be 500, 502, 503 or 504' };
  }
  const retryAfter = config.retryAfterSeconds;
  if (retryAfter !== undefined && !(Number.isInteger(retryAfter) && (retryAfter as number) >= 1)) {
    return { ok: false, reason: 'retryAfterSeconds must be an integer >= 1' };
  }
  for (const key of ['pathPrefixes', 'shopIds', 'productsWithoutStatus']) {
    const list = config[key];
    if (list !== undefined && !(Array.isArray(list) && list.every((s) => typeof s === 'string'))) {
      return { ok: false, reason: `${key} must be an array of strings` };
    }
  }
  const unknownEnums = config.unknownEnums;
  if (
    unknownEnums !== undefined &&
    !(
      Array.isArray(unknownEnums) &&
      unknownEnums.every((field) => UNKNOWN_ENUM_FIELDS.includes(field as UnknownEnumField))
    )
  ) {
    return { ok: false, reason: `unknownEnums entries are ${UNKNOWN_ENUM_FIELDS.join('|')}` };
  }
  const unknownEnumValue = config.unknownEnumValue;
  if (
    unknownEnumValue !== undefined &&
    !(typeof unknownEnumValue === 'string' && ENUM_VALUE.test(unknownEnumValue))
  ) {
    return { ok: false, reason: 'unknownEnumValue must be upper-case letters, digits and _' };
  }
  const codeProblem = checkCodeAnswer(config);
  if (codeProblem) return { ok: false, reason: codeProblem };
  if (config.handleFirst !== undefined && typeof config.handleFirst !== 'boolean') {
    return { ok: false, reason: 'handleFirst must be true or false' };
  }
  const script = config.script;
  if (script !== undefined) {
    if (!Array.isArray(script)) return { ok: false, reason: 'script must be an array' };
    for (const step of script) {
      if (
        !isPlainObject(step) ||
        !FAULT_KINDS.includes(step.kind as FaultKind) ||
        !Number.isInteger(step.count) ||
        (step.count as number) < 1 ||
        Object.keys(step).some((key) => key !== 'kind' && key !== 'count')
      ) {
        return {
          ok: false,
          reason: `script entries are { kind: ${FAULT_KINDS.join('|')}, count: integer >= 1 }`,
        };
      }
    }
  }
  return { ok: true, config: copyConfig(value as FaultConfig) };
}

/** @param seed Seeds the random source; the same seed and config give the same fault sequence. */
export function createFaultInjector(seed: number, initial: FaultConfig = {}): FaultInjector {
  let config: FaultConfig = {};
  let random = createPrng(seed);
  // Its own stream, so webhook rolls do not shift with the API traffic, nor the reverse.
  let webhookRandom = createPrng(seed ^ 0x3eb400c);

  function set(next: FaultConfig): void {
    const checked = validateFaultConfig(next);
    if (!checked.ok) throw new RangeError(`Invalid fault config: ${checked.reason}`);
    config = checked.config;
    random = createPrng(seed);
    webhookRandom = createPrng(seed ^ 0x3eb400c);
  }

  function isTargeted(path: string, shopId: string | null): boolean {
    if (config.pathPrefixes && !config.pathPrefixes.some((prefix) => path.startsWith(prefix))) {
      return false;
    }
    if (config.shopIds && (shopId === null || !config.shopIds.includes(shopId))) return false;
    return true;
  }

  function nextScripted(): FaultKind | null {
    const step = config.script?.[0];
    if (!step) return null;
    step.count -= 1;
    if (step.count <= 0) config.script?.shift();
    return step.kind;
  }

  /** One draw falls into at most one of the kinds' rates. */
  function rolled<K extends string>(draw: number, keys: Record<K, keyof FaultConfig>): K | null {
    let threshold = 0;
    for (const [kind, key] of Object.entries(keys) as Array<[K, keyof FaultConfig]>) {
      threshold += (config[key] as number | undefined) ?? 0;
      if (draw < threshold) return kind;
    }
    return null;
  }

  function latency(): number {
    const base = config.latencyMs ?? 0;
    const jitter = config.latencyJitterMs ?? 0;
    if (jitter === 0) return base;
    return Math.max(0, base + (random() * 2 - 1) * jitter);
  }

  set(initial);
  return {
    get: () => copyConfig(config),
    set,
    decide({ path, shopId }) {
      if (!isTargeted(path, shopId)) return null;
      const kind = nextScripted() ?? rolled(random(), RATE_KEYS);
      return { kind, latencyMs: latency() };
    },
    unknownEnums({ path, shopId }) {
      if (!config.unknownEnums?.length || !isTargeted(path, shopId)) return null;
      return {
        fields: [...config.unknownEnums],
        value: config.unknownEnumValue ?? DEFAULT_UNKNOWN_ENUM_VALUE,
      };
    },
    decideWebhook() {
      return {
        kind: rolled(webhookRandom(), WEBHOOK_RATE_KEYS),
        delayMs: config.webhookDelayMs ?? 0,
        holdMs: config.webhookReorderWindowMs ?? DEFAULT_REORDER_WINDOW_MS,
      };
    },
  };
}

/** The problem with a group of rates that share one draw, or undefined. */
function checkRates(config: Record<string, unknown>, keys: readonly string[]): string | undefined {
  let sum = 0;
  for (const key of keys) {
    const rate = config[key];
    if (rate === undefined) continue;
    if (!(typeof rate === 'number' && rate >= 0 && rate <= 1)) {
      return `${key} must be a number between 0 and 1`;
    }
    sum += rate;
  }
  return sum > 1 + 1e-9 ? `${keys.join(' + ')} add up to more than 1` : undefined;
}

/** Longest injected message: TikTok's messages are a sentence or two. */
const MAX_CODE_MESSAGE_CHARS = 300;

/** The problem with `codeAnswer`, or undefined; it must be there when a `code` fault can occur. */
function checkCodeAnswer(config: Record<string, unknown>): string | undefined {
  const answer = config.codeAnswer;
  const script = Array.isArray(config.script) ? config.script : [];
  const isUsed =
    (typeof config.codeRate === 'number' && config.codeRate > 0) ||
    script.some((step) => isPlainObject(step) && step.kind === 'code');
  if (answer === undefined) return isUsed ? 'code faults need a codeAnswer' : undefined;
  const rule = 'codeAnswer is { status: 400..599, code: non-zero integer, message?: string }';
  if (!isPlainObject(answer)) return rule;
  const { status, code, message } = answer;
  const isValid =
    Object.keys(answer).every((key) => ['status', 'code', 'message'].includes(key)) &&
    Number.isInteger(status) &&
    (status as number) >= 400 &&
    (status as number) <= 599 &&
    Number.isSafeInteger(code) &&
    code !== 0 &&
    (message === undefined ||
      (typeof message === 'string' && message.length <= MAX_CODE_MESSAGE_CHARS));
  return isValid ? undefined : rule;
}

function copyConfig(config: FaultConfig): FaultConfig {
  const copy: FaultConfig = { ...config };
  if (config.codeAnswer) copy.codeAnswer = { ...config.codeAnswer };
  if (config.script) copy.script = config.script.map((step) => ({ ...step }));
  if (config.pathPrefixes) copy.pathPrefixes = [...config.pathPrefixes];
  if (config.shopIds) copy.shopIds = [...config.shopIds];
  if (config.unknownEnums) copy.unknownEnums = [...config.unknownEnums];
  if (config.productsWithoutStatus) copy.productsWithoutStatus = [...config.productsWithoutStatus];
  return copy;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** mulberry32: small, fast and seedable; quality is plenty for fault rolls. */
function createPrng(seed: number): () => number {
  let state = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
