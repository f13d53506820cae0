import { z } from 'zod';

/**
 * The least a Bot Framework activity must carry for the bot to act and answer: checked before
 * botbuilder sees the body, so a malformed one gets a 400 that says what is missing.
 */
export const activityShape = z.looseObject({
  type: z.string().min(1),
  serviceUrl: z.string().regex(/^https?:\/\//, 'must be an http(s) URL'),
  conversation: z.looseObject({ id: z.string().min(1) }),
  from: z.looseObject({ id: z.string().min(1) }).optional(),
});

/** Null when the body looks like an activity, else a sentence saying what is wrong. */
export function activityProblem(body: unknown): string | null {
  const r = activityShape.safeParse(body);
  if (r.success) return null;
  const i = r.error.issues[0];
  return `Not a Bot Framework activity: ${i?.path.join('.') || 'body'} ${i?.message ?? 'is invalid'}.`;
}
