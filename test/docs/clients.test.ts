// docs/clients.md's codegen config, run as a frontend would run it (issue 12, item 8): the client
// preset with its scalar mapping, against schema.graphql and the example operations. Every custom
// scalar of the schema is mapped, so no operation type is `unknown`; the repo's own codegen.ts
// maps them the same way.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CodegenConfig, generate } from '@graphql-codegen/cli';
import { afterAll, describe, expect, it } from 'vitest';
import repoConfig from '../../codegen.js';
import { ROOT, removeTree } from '../production/checkout.js';

const MARKER = '<!-- test/docs/clients.test.ts runs this config';

/** One output of a codegen config: the client preset's folder and its settings. */
type Output = Exclude<CodegenConfig['generates'][string], unknown[]> & {
  config: { scalars: Record<string, string> };
};

/** The ```ts block after the marker, imported as the frontend's codegen.ts. */
async function docsConfig(dir: string): Promise<CodegenConfig> {
  const markdown = readFileSync(join(ROOT, 'docs/clients.md'), 'utf8');
  const after = markdown.slice(markdown.indexOf(MARKER));
  const block = /```ts\n([\s\S]*?)```/.exec(after)?.[1] ?? '';
  const file = join(dir, 'codegen.ts');
  writeFileSync(file, block);
  return ((await import(file)) as { default: CodegenConfig }).default;
}

/** The config's one output. */
function onlyOutput(config: CodegenConfig): Output {
  const outputs = Object.values(config.generates);
  expect(outputs).toHaveLength(1);
  return outputs[0] as unknown as Output;
}

/** The generated graphql.ts for `output` run against the gateway's schema and operations/. */
async function generateTypes(output: Output): Promise<string> {
  const files = await generate(
    {
      schema: join(ROOT, 'schema.graphql'),
      documents: [join(ROOT, 'operations/**/*.graphql')],
      generates: { [join(scratch, 'gql/')]: output },
      silent: true,
    },
    false,
  );
  const typesFile = (files as Array<{ filename: string; content: string }>).find((file) =>
    file.filename.endsWith('graphql.ts'),
  );
  return typesFile?.content ?? '';
}

/** Lines typing a field `unknown` (the preset's own `Exact<…unknown…>` helper aside). */
function unknownFields(types: string): string[] {
  return types.split('\n').filter((line) => /: unknown\b/.test(line) && !line.includes('Exact<'));
}

const scratch = mkdtempSync(join(tmpdir(), 'clients-doc-'));
afterAll(() => removeTree(scratch));

describe('docs/clients.md: the codegen client preset for frontends', () => {
  const customScalars = [
    ...readFileSync(join(ROOT, 'schema.graphql'), 'utf8').matchAll(/^scalar (\w+)/gm),
  ].map((match) => match[1]);

  it('maps every custom scalar of schema.graphql, as the repo’s codegen.ts does', async () => {
    const documented = onlyOutput(await docsConfig(scratch)).config.scalars;
    expect(Object.keys(documented).sort()).toEqual(customScalars.sort());
    const repo = repoConfig.generates['test/generated/'] as unknown as Output;
    expect(repo.config.scalars).toEqual(documented);
  });

  it('types Date, Currency, NonNegativeInt and the other scalars, none unknown', async () => {
    const types = await generateTypes(onlyOutput(await docsConfig(scratch)));
    expect(types).toContain('export type ShopPerformanceQuery');
    expect(unknownFields(types)).toEqual([]);
    // shopPerformance: startDate is a Date, gmv.currency a Currency, orders a NonNegativeInt.
    expect(types).toMatch(/startDate: string, endDate: string, orders: number/);
    expect(types).toMatch(/gmv: \{ amount: string, currency: string \}/);
  }, 60_000);

  it('leaves them unknown without the mapping (what a bare client preset gives)', async () => {
    const { preset } = onlyOutput(await docsConfig(scratch));
    const types = await generateTypes({ preset, config: { scalars: {} } } as Output);
    expect(unknownFields(types).length).toBeGreaterThan(0);
  }, 60_000);
});
