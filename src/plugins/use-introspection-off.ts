// INTROSPECTION_ENABLED=false (issue 12; the default of a production service): `__schema` and
// `__type` fail validation, so nothing runs (GRAPHQL_VALIDATION_FAILED, `extensions.reason`
// INTROSPECTION_DISABLED). `__typename` stays: clients need it to read unions.
import type { ValidationRule } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';

const INTROSPECTION_FIELDS = new Set(['__schema', '__type']);

const noIntrospection: ValidationRule = (context) => ({
  Field(node) {
    if (!INTROSPECTION_FIELDS.has(node.name.value)) return;
    context.reportError(
      createGraphQLError(
        `Introspection is turned off on this gateway (INTROSPECTION_ENABLED): ` +
          `"${node.name.value}" is not available.`,
        {
          nodes: [node],
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED', reason: 'INTROSPECTION_DISABLED' },
        },
      ),
    );
  },
});

export function useIntrospectionOff(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(noIntrospection);
    },
  };
}
