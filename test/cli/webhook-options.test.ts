// The command line of `npm run webhooks`, read before anything starts (the CLI itself runs as a
// child process in webhooks.test.ts).
import { describe, expect, it } from 'vitest';
import { GATEWAY_EVENT_TYPES, readWebhookTask } from '../../src/cli/webhook-options.js';

const URL_A = 'https://hooks.example.com/webhooks/tiktok';

describe('npm run webhooks options', () => {
  it('sets the topics the gateway consumes by default, on every shop', () => {
    expect(readWebhookTask(['--url', URL_A])).toEqual({
      kind: 'change',
      shopId: undefined,
      changes: {
        set: GATEWAY_EVENT_TYPES.map((eventType) => ({ eventType, address: URL_A })),
        delete: [],
      },
    });
    // §8 types 1, 3–7, 11, 12, 15, 16 and 37; 27 has no Event API name.
    expect(GATEWAY_EVENT_TYPES).toHaveLength(11);
  });

  it('takes --events (spaces and empty names ignored), --shop, --delete and --list', () => {
    expect(
      readWebhookTask([
        '--url',
        URL_A,
        '--events',
        'PACKAGE_UPDATE, ,ORDER_STATUS_CHANGE',
        '--shop',
        '42',
      ]),
    ).toEqual({
      kind: 'change',
      shopId: '42',
      changes: {
        set: [
          { eventType: 'PACKAGE_UPDATE', address: URL_A },
          { eventType: 'ORDER_STATUS_CHANGE', address: URL_A },
        ],
        delete: [],
      },
    });
    expect(readWebhookTask(['--delete', '--events', 'PACKAGE_UPDATE'])).toEqual({
      kind: 'change',
      shopId: undefined,
      changes: { set: [], delete: ['PACKAGE_UPDATE'] },
    });
    expect(readWebhookTask(['--delete'])).toMatchObject({
      changes: { set: [], delete: [...GATEWAY_EVENT_TYPES] },
    });
    expect(readWebhookTask(['--list', '--shop', '42'])).toEqual({ kind: 'list', shopId: '42' });
    expect(readWebhookTask(['--help'])).toEqual({ kind: 'help' });
  });

  it.each([
    [[], /^give --url/],
    [['--url', 'http://hooks.example.com/x'], /^--url: not https/],
    [['--url', 'https://203.0.113.7/x'], /^--url: an IP address/],
    [['--url', 'https://hooks.example.com:8443/x'], /^--url: names a port/],
    [['--url', `https://hooks.example.com/${'a'.repeat(240)}`], /^--url: 266 characters/],
    [
      ['--url', URL_A, '--events', 'ORDER_STATUS_CHANGE,NOPE'],
      /^--events: NOPE is not an event type/,
    ],
    [
      ['--url', URL_A, '--events', 'PACKAGE_UPDATE,PACKAGE_UPDATE'],
      /^--events: PACKAGE_UPDATE is listed twice/,
    ],
    [['--url', URL_A, '--events', ','], /^--events: name at least one event type/],
    [['--delete', '--url', URL_A], /^--delete takes no --url/],
    [['--list', '--events', 'PACKAGE_UPDATE'], /^--list takes only --shop, not --events/],
    [['--bogus'], /Unknown option '--bogus'/],
    [['--url'], /argument missing/],
  ])('refuses %j', (args, message) => {
    const task = readWebhookTask(args);
    expect(task.kind).toBe('invalid');
    expect(task.kind === 'invalid' && task.message).toMatch(message);
  });
});
