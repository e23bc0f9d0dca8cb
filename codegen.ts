// graphql-codegen: typed documents for operations/*.graphql against the committed schema.graphql.
// `npm run codegen` writes test/generated/; tests execute these documents through the gateway.
// It also writes the persisted-operations manifest (`persistedDocuments`: sha256 of each
// normalised document), moved to operations/persisted-documents.json, where the gateway reads it
// at run time from src/ and dist/ alike (PERSISTED_OPERATIONS).
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['operations/**/*.graphql'],
  // ESM with NodeNext resolution: relative imports need their `.js` extension.
  importExtension: '.js',
  generates: {
    'test/generated/': {
      preset: 'client',
      presetConfig: {
        fragmentMasking: false,
        gqlTagName: 'graphql',
        persistedDocuments: { hashAlgorithm: 'sha256' },
      },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        // Every custom scalar of schema.graphql, as docs/clients.md gives them to frontends; a
        // new scalar without a mapping fails codegen instead of turning into `unknown`.
        strictScalars: true,
        scalars: {
          Currency: 'string',
          Date: 'string',
          DateTime: 'string',
          // Only TikTokEvent.data, always an object.
          JSON: 'Record<string, unknown>',
          NonNegativeInt: 'number',
          URL: 'string',
        },
      },
    },
  },
  hooks: {
    afterAllFileWrite: [
      `node -e "require('node:fs').renameSync('test/generated/persisted-documents.json', 'operations/persisted-documents.json')"`,
    ],
  },
};

export default config;
