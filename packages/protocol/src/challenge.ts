import { z } from 'zod';
import { SiteIdSchema } from './site.js';

/** Bounds of the challenge's pieces, checked before any work is done on them. */
export const CHALLENGE_LIMITS = {
  /** A form token is a few hundred characters; anything longer is not one. */
  formToken: 512,
  /** A proof is a decimal nonce. */
  proof: 20,
} as const;

export const ChallengeQuerySchema = z.object({ site: SiteIdSchema });
export type ChallengeQuery = z.infer<typeof ChallengeQuerySchema>;

/**
 * The proof-of-work puzzle: find a decimal nonce `proof` such that
 * SHA-256(UTF-8 of `formToken + ":" + proof`) starts with `difficulty` zero bits.
 * Its input is the form token itself, so a proof is single use with the token.
 */
export const ProofOfWorkSchema = z
  .strictObject({
    algorithm: z.literal('SHA-256'),
    difficulty: z.number().int().min(1).max(32).describe('Leading zero bits the hash must have'),
  })
  .meta({ id: 'ProofOfWork' });
export type ProofOfWork = z.infer<typeof ProofOfWorkSchema>;

export const ChallengeResponseSchema = z
  .strictObject({
    formToken: z
      .string()
      .max(CHALLENGE_LIMITS.formToken)
      .describe('Signed, short-lived and single use: send it as `formToken` when creating a comment'),
    expiresAt: z.string().describe('After this instant the token no longer counts'),
    pow: ProofOfWorkSchema.nullable().describe(
      'A puzzle to solve before posting (send the answer as `proof`), or null when the site asks for none now',
    ),
  })
  .meta({ id: 'ChallengeResponse' });
export type ChallengeResponse = z.infer<typeof ChallengeResponseSchema>;
