import { z } from 'zod';
import type { ReferenceRepository } from '../../store/reference-repository.js';

/** The invoke response body for `application/search` (dynamic typeahead of an Input.ChoiceSet). */
export type SearchBody =
  | { statusCode: 200; type: 'application/vnd.microsoft.search.searchResponse'; value: { results: { title: string; value: string }[] } }
  | { statusCode: 400; type: 'application/vnd.microsoft.error'; value: { code: string; message: string } };

const searchValue = z.object({
  queryText: z.string().max(200).default(''),
  dataset: z.string().max(100),
  queryOptions: z.object({ skip: z.coerce.number().int().min(0).max(1000).default(0), top: z.coerce.number().int().min(1).max(50).default(15) }).default({ skip: 0, top: 15 }),
});

/**
 * Answers the Reassign form's typeahead from LGD's reference data: support groups by title and
 * analysts by name, title or e-mail. Values are "group:<key>" / "user:<key>".
 */
export async function searchTargets(value: unknown, reference: Pick<ReferenceRepository, 'searchGroups' | 'searchAnalysts'>): Promise<SearchBody> {
  const v = searchValue.safeParse(value);
  if (!v.success || v.data.dataset !== 'lgd.targets') {
    return { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadSearch', message: 'Unknown search.' } };
  }
  const { queryText, queryOptions } = v.data;
  const limit = queryOptions.skip + queryOptions.top;
  const [groups, analysts] = await Promise.all([reference.searchGroups(queryText, limit), reference.searchAnalysts(queryText, limit)]);
  const results = [
    ...groups.map((g) => ({ title: `Group: ${g.title}`, value: `group:${g._id}` })),
    ...analysts.map((a) => ({ title: `${a.title}${a.email ? ` (${a.email})` : ''}`, value: `user:${a._id}` })),
  ].slice(queryOptions.skip, limit);
  return { statusCode: 200, type: 'application/vnd.microsoft.search.searchResponse', value: { results } };
}
