/** Every list the API and the tab serve, as lists.bench.ts measures them: [name, path]. */
export const LISTS: [string, string][] = [
  ['GET /api/tickets (first page)', '/api/tickets'],
  ['GET /api/tickets?page=20 (deep page)', '/api/tickets?page=20'],
  ['GET /api/tickets?state=needs_triage', '/api/tickets?state=needs_triage'],
  ['GET /api/tickets?state=resolved (history)', '/api/tickets?state=resolved'],
  ['GET /api/tickets?state=owned,approved_unassigned', '/api/tickets?state=owned,approved_unassigned'],
  ['GET /api/queue', '/api/queue'],
  ['GET /api/backlog', '/api/backlog'],
  ['GET /api/people', '/api/people'],
  ['GET /api/insights', '/api/insights'],
  ['GET /api/rota', '/api/rota'],
  ['GET /api/me (demo people)', '/api/me'],
  ['GET /api/targets?q=dev', '/api/targets?q=dev'],
  ['GET /api/settings/areas', '/api/settings/areas'],
  ['GET /api/settings/leads', '/api/settings/leads'],
  ['GET /api/settings/mappings', '/api/settings/mappings'],
  ['GET /api/settings/days-off', '/api/settings/days-off'],
];

