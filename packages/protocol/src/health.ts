import { z } from 'zod';

export const HealthSchema = z.strictObject({ status: z.literal('ok') }).meta({ id: 'Health' });
export const ReadySchema = z
  .strictObject({ status: z.enum(['ready', 'unavailable']), reason: z.string().optional() })
  .meta({ id: 'Ready' });
