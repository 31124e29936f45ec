import { useQuery } from '@tanstack/react-query';

/** An event type a webhook may subscribe to, with what it means. */
export interface EventKind {
  type: string;
  summary: string;
}

interface OpenApiDocument {
  paths?: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: unknown }> } }>>;
  webhooks?: Record<string, { post?: { summary?: string } }>;
}

/**
 * The event types a webhook may subscribe to, read from the API's own OpenAPI document: the enum of `event_types` in
 * the body of `POST /webhooks` (the catalogue without the test event), each with its summary from the document's
 * `webhooks` section. The API owns the catalogue; the app restates none of it.
 */
export function subscribableEvents(document: OpenApiDocument): EventKind[] {
  const schema = document.paths?.['/webhooks']?.post?.requestBody?.content?.['application/json']?.schema as
    { properties?: { event_types?: { items?: { enum?: unknown[] } } } } | undefined;
  const types = schema?.properties?.event_types?.items?.enum ?? [];
  return types
    .filter((type): type is string => typeof type === 'string')
    .map((type) => ({ type, summary: document.webhooks?.[type]?.post?.summary ?? '' }));
}

/** The catalogue, fetched once per session (it changes only with the API's version). */
export function useEventCatalogue() {
  return useQuery({
    queryKey: ['openapi', 'subscribable-events'],
    queryFn: async ({ signal }) => {
      const response = await fetch('/openapi.json', { signal });
      if (!response.ok) throw new Error(`The API's event catalogue did not load (HTTP ${response.status})`);
      return subscribableEvents((await response.json()) as OpenApiDocument);
    },
    staleTime: Infinity,
  });
}
