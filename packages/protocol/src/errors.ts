import { z } from 'zod';
import { ERROR_CODES, FIELD_REASONS } from './codes.js';

export const ErrorBodySchema = z
  .strictObject({
    error: z.strictObject({
      code: z.enum(ERROR_CODES as [string, ...string[]]),
      message: z.string(),
      details: z
        .object({ fields: z.record(z.string(), z.enum(FIELD_REASONS)).optional() })
        .catchall(z.unknown())
        .optional(),
    }),
  })
  .meta({ id: 'Error' });
