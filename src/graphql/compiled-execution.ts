/**
 * Executes operations, compiling the hot ones with graphql-jit.
 *
 * graphql-js interprets the document for every object of every request: it collects fields,
 * builds argument objects and a resolve info per field, and checks each value's type as it
 * goes. graphql-jit does that work once per document, compiling it into a function, and each
 * request then only runs the resolvers. On our shapes that cut the gateway's CPU per request
 * (bench/RESULTS.md, "Compiled execution").
 *
 * Compiling costs far more than one execution (most of all for a wide tree of fragments, which
 * graphql-js runs quickly and anyone may send without credentials), so a document is
 * compiled only once it has run COMPILE_AFTER_EXECUTIONS times, as Mercurius does, and only
 * while its fields, fragments spread out, number at most MAX_COMPILED_FIELDS. Anything else
 * is executed by graphql-js: one-off and hostile documents cost what they did before.
 *
 * Apollo Server takes a custom executor through its gateway interface: the schema is handed
 * over as the gateway's, and Apollo still parses, validates, runs every plugin hook and
 * formats errors as before. Only execution changes.
 *
 * graphql-jit's one rule for resolvers: a field without a resolver is read as a plain value,
 * so a field whose value may be a promise or a function needs a resolver (type-graphql's
 * `simple: false`), as Connection.totalCount and PageInfo.hasNextPage have.
 */
import type { ApolloServerOptions } from "@apollo/server";
import { compileQuery, isCompiledQuery, type CompiledQuery } from "graphql-jit";
import {
  GraphQLError,
  Kind,
  execute,
  getVariableValues,
  type DocumentNode,
  type ExecutionResult,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";

type Gateway = NonNullable<ApolloServerOptions<object>["gateway"]>;
type GatewayRequest = Parameters<NonNullable<Awaited<ReturnType<Gateway["load"]>>["executor"]>>[0];

/** Compiling time grows with the fields of the spread-out document (measured: bench/RESULTS.md). */
export const MAX_COMPILED_FIELDS = 1000;

export interface ExecutionOptions {
  /** Executions of a document before it is compiled (0: on its first); null: never compile. */
  compileAfter: number | null;
}

/** What one operation of one document has come to: still counting its runs, compiled, or never to be. */
type OperationState = { runs: number } | { compiled: CompiledQuery } | { interpreted: true };

/** Fields of the operation with fragments spread, counted until `limit` is passed. */
export function spreadFieldCount(document: DocumentNode, operation: OperationDefinitionNode, limit: number): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  let count = 0;
  const walk = (selectionSet: SelectionSetNode, depth: number): void => {
    // Validation has refused fragment cycles; the depth bound is for documents that skipped it.
    if (depth > 64) count = limit + 1;
    for (const selection of selectionSet.selections) {
      if (count > limit) return;
      if (selection.kind === Kind.FIELD) {
        count++;
        if (selection.selectionSet) walk(selection.selectionSet, depth + 1);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet, depth + 1);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (fragment) walk(fragment.selectionSet, depth + 1);
      }
    }
  };
  walk(operation.selectionSet, 0);
  return count;
}

/**
 * graphql-jit's errors as graphql-js makes them: Apollo reads `extensions.code` of every error,
 * and graphql-jit leaves `extensions` undefined unless the original error had some.
 */
function asGraphQLError(error: GraphQLError): GraphQLError {
  const converted = new GraphQLError(error.message, { path: error.path, originalError: error.originalError ?? undefined, extensions: error.extensions });
  (converted as { locations?: GraphQLError["locations"] }).locations = error.locations;
  return converted;
}

export class OperationExecutor {
  /** Per parsed document (Apollo keeps one DocumentNode per query text), per operation name. */
  readonly #states = new WeakMap<DocumentNode, Map<string, OperationState>>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly options: ExecutionOptions,
  ) {}

  /** Whether the operation now runs compiled (for tests and diagnostics). */
  isCompiled(document: DocumentNode, operationName: string | null | undefined): boolean {
    const state = this.#states.get(document)?.get(operationName ?? "");
    return state !== undefined && "compiled" in state;
  }

  async execute(request: GatewayRequest): Promise<ExecutionResult> {
    const { document, operation } = request;
    const variables = request.request.variables ?? {};
    if (!operation) {
      // Apollo found no operation for the name the client sent, and passes null as the resolved
      // name (which graphql-js would read as "the only operation" and run). graphql-js, given the
      // name as sent, reports why; Apollo answers that as OPERATION_RESOLUTION_FAILURE (400).
      return await execute({ schema: this.schema, document, contextValue: request.context, variableValues: variables, operationName: request.request.operationName });
    }
    const compiled = this.compiledForm(document, operation, request.operationName);
    if (!compiled) {
      return await execute({ schema: this.schema, document, contextValue: request.context, variableValues: variables, operationName: request.operationName });
    }
    const result = await compiled.query(undefined, request.context, variables);
    if (!result.errors) return result;
    // Errors and no data: the variables did not coerce. graphql-js's own errors for them are
    // what Apollo answers as BAD_USER_INPUT (400), with graphql-js's messages.
    if (!("data" in result)) {
      const coerced = getVariableValues(this.schema, operation.variableDefinitions ?? [], variables);
      if (coerced.errors) return { errors: coerced.errors };
    }
    return { ...result, errors: result.errors.map(asGraphQLError) };
  }

  /** The compiled operation once it has earned it; counts this run otherwise. */
  private compiledForm(document: DocumentNode, operation: OperationDefinitionNode, operationName: string | null | undefined): CompiledQuery | null {
    if (this.options.compileAfter === null) return null;
    let operations = this.#states.get(document);
    if (!operations) this.#states.set(document, (operations = new Map()));
    const key = operationName ?? "";
    const state = operations.get(key) ?? { runs: 0 };
    if ("compiled" in state) return state.compiled;
    if ("interpreted" in state) return null;
    if (state.runs < this.options.compileAfter) {
      operations.set(key, { runs: state.runs + 1 });
      return null;
    }
    const next: OperationState = spreadFieldCount(document, operation, MAX_COMPILED_FIELDS) > MAX_COMPILED_FIELDS ? { interpreted: true } : this.compile(document, operationName);
    operations.set(key, next);
    return "compiled" in next ? next.compiled : null;
  }

  private compile(document: DocumentNode, operationName: string | null | undefined): OperationState {
    const compiled = compileQuery(this.schema, document, operationName ?? undefined);
    // A document graphql-jit cannot compile is executed as before.
    return isCompiledQuery(compiled) ? { compiled } : { interpreted: true };
  }

  /** The executor as Apollo Server's gateway: it serves `schema` and runs operations above. */
  asGateway(): Gateway {
    return {
      load: async () => ({ executor: (request) => this.execute(request) }),
      onSchemaLoadOrUpdate: (callback) => {
        callback({ apiSchema: this.schema, coreSupergraphSdl: "" });
        return () => {};
      },
      stop: async () => {},
    };
  }
}
