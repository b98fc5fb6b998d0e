/**
 * Limits checked before execution, each answering QUERY_TOO_COMPLEX:
 * - tokens: graphql-js's own `maxTokens` parse option. The parser stops counting there, so no
 *   document can make it (or a recursive validation rule) overflow the stack. graphql-armor's
 *   Apollo token plugin is not used: it re-parses inside a plugin hook, where a rejection
 *   becomes a 500.
 * - depth (fragments followed and flattened), aliases, directives: graphql-armor validation rules.
 * - cost: graphql-query-complexity with the request's variables; a list field costs its page
 *   size (`first`, capped at the page maximum so an oversized `first` gets its precise
 *   BAD_USER_INPUT from argument validation) times its selection; every other field costs 1.
 */
import { ApolloArmor } from "@escape.tech/graphql-armor";
import type { GraphQLArmorRejectCallback } from "@escape.tech/graphql-armor-types";
import type { ApolloServerPlugin } from "@apollo/server";
import { visit, type DocumentNode, type GraphQLFormattedError, type GraphQLSchema, type ParseOptions, type ValidationRule } from "graphql";
import { getComplexity, simpleEstimator, type ComplexityEstimator } from "graphql-query-complexity";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "../shared/connection";
import { ErrorCode, QueryTooComplexError } from "../shared/errors";

export interface QueryLimitSettings {
  maxQueryDepth: number;
  maxQueryAliases: number;
  maxQueryDirectives: number;
  maxQueryTokens: number;
  maxQueryCost: number;
}

export interface QueryLimits {
  parseOptions: ParseOptions;
  validationRules: ValidationRule[];
  plugins: ApolloServerPlugin[];
}

// Armor reports "Syntax Error: …" as BAD_USER_INPUT by default; these limits have their own code.
const reject: GraphQLArmorRejectCallback = (context, error) => {
  context?.reportError(new QueryTooComplexError(error.message.replace(/^Syntax Error: /, "")));
};
const armorRule = (n: number) => ({ n, exposeLimits: true, propagateOnRejection: false, onReject: [reject] });

/** A field with a `first` argument returns a page of up to `first` items. */
const pageEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
  if (!field.args.some((a) => a.name === "first")) return undefined;
  const first = typeof args.first === "number" ? args.first : DEFAULT_PAGE_SIZE;
  return 1 + Math.min(Math.max(first, 0), MAX_PAGE_SIZE) * childComplexity;
};

/** The cost of the operation a request runs; null when its variables do not coerce (execution reports that). */
export function queryCost(schema: GraphQLSchema, document: Parameters<typeof getComplexity>[0]["query"], variables: Record<string, unknown> | undefined, operationName: string | undefined | null): number | null {
  try {
    return getComplexity({
      schema,
      query: document,
      variables,
      operationName: operationName ?? undefined,
      estimators: [pageEstimator, simpleEstimator({ defaultComplexity: 1 })],
    });
  } catch {
    return null;
  }
}

/** Variables the cost can depend on: those in `first` arguments and in directives (@skip, @include). */
function costVariables(document: DocumentNode): string[] {
  const names = new Set<string>();
  const collect = (node: Parameters<typeof visit>[0]) =>
    visit(node, { Variable: (variable) => void names.add(variable.name.value) });
  visit(document, {
    Argument(argument) {
      if (argument.name.value === "first") collect(argument.value);
    },
    Directive(directive) {
      if (directive.name.value !== "deprecated") collect(directive);
    },
    // Variable definitions are declarations, not uses.
    VariableDefinition: () => false,
  });
  return [...names].sort();
}

/**
 * Costs per parsed document (Apollo reuses the DocumentNode of a known query text), keyed by the
 * operation and the values of the variables the cost depends on: a page asked for many ids is
 * costed once. Bounded per document.
 */
const MAX_COSTS_PER_DOCUMENT = 64;
const costCache = new WeakMap<DocumentNode, { variables: string[]; costs: Map<string, number | null> }>();

function cachedQueryCost(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown> | undefined, operationName: string | undefined | null): number | null {
  let entry = costCache.get(document);
  if (!entry) costCache.set(document, (entry = { variables: costVariables(document), costs: new Map() }));
  // An omitted variable (its default applies) must not share a key with an explicit null.
  const key = JSON.stringify([operationName ?? null, ...entry.variables.map((name) => (variables && name in variables ? variables[name] : "\u0000omitted"))]);
  let cost = entry.costs.get(key);
  if (cost === undefined) {
    cost = queryCost(schema, document, variables, operationName);
    if (entry.costs.size >= MAX_COSTS_PER_DOCUMENT) entry.costs.clear();
    entry.costs.set(key, cost);
  }
  return cost;
}

export function queryLimits(settings: QueryLimitSettings): QueryLimits {
  const armor = new ApolloArmor({
    maxDepth: { ...armorRule(settings.maxQueryDepth), flattenFragments: true },
    maxAliases: armorRule(settings.maxQueryAliases),
    maxDirectives: armorRule(settings.maxQueryDirectives),
    maxTokens: { enabled: false },
    costLimit: { enabled: false },
    // Suggestions are hidden from unauthenticated callers only (schema-disclosure.ts).
    blockFieldSuggestion: { enabled: false },
  }).protect();
  const costPlugin: ApolloServerPlugin = {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request, operationName }) {
          const cost = cachedQueryCost(schema, document, request.variables, operationName);
          if (cost !== null && cost > settings.maxQueryCost) {
            throw new QueryTooComplexError(`Query cost ${cost} exceeds the limit of ${settings.maxQueryCost}; ask for smaller pages or fewer nested lists.`, {
              cost,
              maxCost: settings.maxQueryCost,
            });
          }
        },
      };
    },
  };
  return {
    parseOptions: { maxTokens: settings.maxQueryTokens },
    validationRules: armor.validationRules,
    plugins: [...armor.plugins, costPlugin],
  };
}

/** graphql-js reports the token limit as a parse failure ("more that" in 16.x); it is a complexity limit. */
export function tokenLimitError(formatted: GraphQLFormattedError): GraphQLFormattedError | null {
  if (formatted.extensions?.code !== "GRAPHQL_PARSE_FAILED") return null;
  const match = /Document contains more tha[nt] (\d+) tokens/.exec(formatted.message);
  if (!match) return null;
  return { message: `Token limit of ${match[1]} exceeded.`, locations: formatted.locations, extensions: { code: ErrorCode.QUERY_TOO_COMPLEX } };
}
