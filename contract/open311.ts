// Open311 GeoReport v2 administration: which case categories an office publishes as
// services (with their attributes), and the API keys integrators post reports with.
import { z } from 'zod';
import { ZTimestamp, ZUuid } from './common.js';

export const OPEN311_DATATYPES = ['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'] as const;
export const ZOpen311Datatype = z.enum(OPEN311_DATATYPES);
export type Open311Datatype = z.infer<typeof ZOpen311Datatype>;

const ZCode = z.string().trim().min(1).max(100).regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, 'letters, digits, _ . - only (it becomes a form field name)');

export const ZOpen311AttributeValue = z.strictObject({
  key: z.string().trim().min(1).max(100),
  name: z.string().trim().min(1).max(200),
});

export const ZOpen311Attribute = z.strictObject({
  code: ZCode,
  datatype: ZOpen311Datatype,
  required: z.boolean().default(false),
  /** Whether the client should ask the resident (false: informational text only). */
  variable: z.boolean().default(true),
  order: z.number().int().min(0).max(10_000).default(0),
  description: z.string().trim().min(1).max(500),
  datatypeDescription: z.string().trim().max(500).nullable().default(null),
  values: z.array(ZOpen311AttributeValue).max(200).default([]),
}).superRefine((a, ctx) => {
  const isList = a.datatype === 'singlevaluelist' || a.datatype === 'multivaluelist';
  if (isList && a.values.length === 0) ctx.addIssue({ code: 'custom', path: ['values'], message: `a ${a.datatype} needs values` });
  if (!isList && a.values.length) ctx.addIssue({ code: 'custom', path: ['values'], message: `only list datatypes take values` });
  const keys = a.values.map((v) => v.key);
  if (new Set(keys).size !== keys.length) ctx.addIssue({ code: 'custom', path: ['values'], message: 'value keys must be unique' });
});
export type Open311Attribute = z.infer<typeof ZOpen311Attribute>;

export const ZOpen311ServiceInput = z.strictObject({
  serviceCode: z.string().trim().min(1).max(100).regex(/^[^\p{Cc},]+$/u, 'must not contain commas (clients filter by a comma list of codes) or control characters'),
  description: z.string().trim().max(1000).default(''),
  keywords: z.array(z.string().trim().min(1).max(60).regex(/^[^,]+$/, 'must not contain commas')).max(30).default([]),
  group: z.string().trim().min(1).max(100).nullable().default(null),
  attributes: z.array(ZOpen311Attribute).max(50).default([]).refine((as) => new Set(as.map((a) => a.code.toLowerCase())).size === as.length, 'attribute codes must be unique'),
});
export type Open311ServiceInput = z.input<typeof ZOpen311ServiceInput>;

export const ZOpen311Service = z.object({
  categoryId: ZUuid,
  categoryName: z.string(),
  serviceCode: z.string(),
  description: z.string(),
  keywords: z.array(z.string()),
  group: z.string().nullable(),
  attributes: z.array(ZOpen311Attribute),
  updatedAt: ZTimestamp,
});
export type Open311Service = z.infer<typeof ZOpen311Service>;

export const ZCreateOpen311Key = z.strictObject({ name: z.string().trim().min(1).max(120) });

export const ZOpen311Key = z.object({
  id: ZUuid,
  name: z.string(),
  prefix: z.string(),
  createdAt: ZTimestamp,
  lastUsedAt: ZTimestamp.nullable(),
  revokedAt: ZTimestamp.nullable(),
});
export type Open311Key = z.infer<typeof ZOpen311Key>;
