import { z } from 'zod';
import type { RouteContract } from './api.js';
import { ERROR_STATUS } from './codes.js';
import { ErrorBodySchema } from './errors.js';

type JsonObject = Record<string, unknown>;

/** Named schemas (those with a `.meta({ id })`), collected into `components.schemas`. */
type Components = Record<string, unknown>;

function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value && typeof value === 'object') {
    const out: JsonObject = {};
    for (const [key, inner] of Object.entries(value)) {
      out[key] =
        key === '$ref' && typeof inner === 'string'
          ? inner.replace('#/$defs/', '#/components/schemas/')
          : rewriteRefs(inner);
    }
    return out;
  }
  return value;
}

function schemaOf(schema: z.ZodType, io: 'input' | 'output', components: Components): JsonObject {
  const json = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
    reused: 'inline',
    override: ({ jsonSchema }) => {
      delete (jsonSchema as JsonObject).$schema;
    },
  }) as JsonObject;
  delete json.$schema;
  const defs = (json.$defs ?? {}) as Record<string, unknown>;
  delete json.$defs;
  for (const [name, def] of Object.entries(defs)) {
    // An input schema and an output schema may share an id; keep them apart.
    const key = io === 'input' && name in components && components[name] !== def ? `${name}Input` : name;
    components[key] = rewriteRefs(def);
  }
  return rewriteRefs(json) as JsonObject;
}

function queryParameters(schema: z.ZodType, components: Components): JsonObject[] {
  const json = schemaOf(schema, 'input', components);
  const properties = (json.properties ?? {}) as Record<string, JsonObject>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: 'query',
    required: required.has(name),
    ...(property.type === 'array' ? { explode: true, style: 'form' } : {}),
    schema: property,
  }));
}

function pathParameters(path: string): JsonObject[] {
  return [...path.matchAll(/:([A-Za-z]+)/g)].map((match) => ({
    name: match[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
}

function securityOf(auth: NonNullable<RouteContract['auth']>): JsonObject[] {
  if (auth === 'editToken') return [{ editToken: [] }];
  if (auth === 'editTokenOptional') return [{}, { editToken: [] }];
  return [{ session: [] }, { apiToken: [] }];
}

/**
 * Builds the OpenAPI 3.1 document from the route contracts, so the document
 * cannot drift from what the server validates.
 *
 * @example
 * const doc = buildOpenApiDocument(publicRoutes, { title: 'Hiwar', version: '0.1.0' })
 */
export function buildOpenApiDocument(
  routes: Record<string, RouteContract>,
  info: { title: string; version: string; description?: string },
): JsonObject {
  const paths: Record<string, JsonObject> = {};
  const components: Components = {};
  for (const [operationId, route] of Object.entries(routes)) {
    const path = route.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const parameters = [
      ...pathParameters(route.path),
      ...(route.query ? queryParameters(route.query, components) : []),
      ...Object.entries(route.headers ?? {}).map(([name, header]) => ({
        name,
        in: 'header',
        required: header.required ?? false,
        description: header.description,
        schema: { type: 'string' },
      })),
    ];
    const responses: JsonObject = {};
    for (const [status, response] of Object.entries(route.responses)) {
      responses[status] = {
        description: response.description,
        ...(response.schema
          ? {
              content: {
                [response.contentType ?? 'application/json']: {
                  schema: schemaOf(response.schema, 'output', components),
                },
              },
            }
          : response.contentType
            ? { content: { [response.contentType]: {} } }
            : {}),
      };
    }
    const byStatus = new Map<number, string[]>();
    for (const code of route.errors) {
      const status = ERROR_STATUS[code];
      byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
    }
    for (const [status, codes] of byStatus) {
      if (responses[status]) continue;
      responses[status] = {
        description: `Error: ${codes.join(', ')}`,
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      };
    }
    const operation: JsonObject = {
      operationId,
      summary: route.summary,
      tags: route.tags,
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(route.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: schemaOf(route.body, 'input', components) } },
            },
          }
        : {}),
      ...(route.auth ? { security: securityOf(route.auth) } : {}),
      responses,
    };
    paths[path] = { ...(paths[path] ?? {}), [route.method]: operation };
  }
  schemaOf(ErrorBodySchema, 'output', components); // registers components.schemas.Error
  return {
    openapi: '3.1.0',
    info,
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        editToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'The edit token returned once when the comment was created',
        },
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'hiwar_session',
          description:
            'Set by `POST /api/v1/admin/login` (named `__Host-hiwar_session` behind HTTPS); writes must carry a same-origin `Origin`',
        },
        apiToken: { type: 'http', scheme: 'bearer', description: 'A personal API token from the dashboard' },
      },
    },
  };
}
