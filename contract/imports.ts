// CSV import of constituents (upload, column mapping, progress, error report) and CSV export
// of a constituent search.
import { z } from 'zod';
import { ZTimestamp, ZUuid } from './common.js';
import { ZConstituentListQuery } from './constituents.js';

export const IMPORT_STATUSES = ['uploading', 'queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export const IMPORT_ENCODINGS = ['utf8', 'utf16le', 'utf16be', 'latin1', 'windows-1252'] as const;
export const ZImportEncoding = z.enum(IMPORT_ENCODINGS);
export type ImportEncoding = z.infer<typeof ZImportEncoding>;

/** Fields a CSV column can fill, besides the patterned ones (email:work, externalId:voter_file, custom:ward_interest). */
export const IMPORT_FIELDS = [
  'givenName', 'familyName', 'preferredName', 'organisationName', 'kind', 'dateOfBirth', 'preferredLanguage', 'preferredChannel',
  'email', 'phone', 'line1', 'line2', 'locality', 'postcode', 'country', 'lat', 'lng', 'tags', 'ignore',
] as const;
export const EMAIL_TYPES = ['personal', 'work', 'other'] as const;
export const PHONE_TYPES = ['mobile', 'home', 'work', 'other'] as const;
const TARGET = new RegExp(
  `^(?:${IMPORT_FIELDS.join('|')}|email\\d|phone\\d|email:(?:${EMAIL_TYPES.join('|')})|phone:(?:${PHONE_TYPES.join('|')})` +
    '|externalId:[a-z][a-z0-9_-]{0,39}|custom:[a-z][a-z0-9_]{0,39})$',
);

export const ZImportTarget = z
  .string()
  .trim()
  .regex(TARGET, `must be one of ${IMPORT_FIELDS.join(', ')}, email2…email9, email:work, phone:mobile, phone:home, externalId:<system> or custom:<key>`);

/** A date format such as DD/MM/YYYY: DD, MM and YYYY once each, with one separator. */
export const ZDateFormat = z
  .string()
  .trim()
  .regex(/^(DD|MM|YYYY)([/.\- ])(DD|MM|YYYY)\2(DD|MM|YYYY)$/, 'must be DD, MM and YYYY with one separator, such as DD/MM/YYYY')
  .refine((f) => ['DD', 'MM', 'YYYY'].every((t) => f.split(/[/.\- ]/).includes(t)), 'must use each of DD, MM and YYYY once');

const ZSeparator = z.string().min(1).max(5).refine((s) => !/[\r\n"]/.test(s), 'must not contain quotes or line breaks');

/** How a file's columns become constituent fields (the map.json of `civitas import`). */
export const ZImportMapping = z.strictObject({
  /** CSV header name → field. */
  columns: z.record(z.string().min(1).max(200), ZImportTarget).refine((c) => Object.keys(c).length > 0, 'map at least one column'),
  /** Dates other than ISO (YYYY-MM-DD, always accepted). */
  dateFormat: ZDateFormat.optional(),
  tagSeparator: ZSeparator.default(';'),
  /** Between the values of a multiple-choice custom field. */
  choiceSeparator: ZSeparator.default(';'),
  /** What to do with file columns the mapping does not name. */
  unmapped: z.enum(['error', 'ignore']).default('error'),
  addressType: z.enum(['home', 'work', 'postal', 'other']).default('home'),
});
export type ImportMapping = z.output<typeof ZImportMapping>;
export type ImportMappingInput = z.input<typeof ZImportMapping>;

export const ZImport = z.object({
  id: ZUuid,
  kind: z.enum(['constituents', 'address_register']),
  fileName: z.string(),
  status: z.enum(IMPORT_STATUSES),
  source: z.enum(['upload', 'cli']),
  encoding: ZImportEncoding.nullable(),
  headers: z.array(z.string()),
  mapping: ZImportMapping.nullable(),
  totalBytes: z.number().int(),
  processedBytes: z.number().int(),
  rowsProcessed: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.number().int(),
  error: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: ZTimestamp,
  uploadedAt: ZTimestamp.nullable(),
  startedAt: ZTimestamp.nullable(),
  finishedAt: ZTimestamp.nullable(),
});
export type Import = z.infer<typeof ZImport>;

export const ZCreateImport = z.strictObject({ fileName: z.string().trim().min(1).max(255) });
export type CreateImport = z.input<typeof ZCreateImport>;

/** What the upload answers: the header row and a few rows, for the mapping step. */
export const ZImportUploaded = ZImport.extend({
  sample: z.array(z.array(z.string())),
  /** Set when the file is not valid UTF-8 and has no byte-order mark: choose an encoding at start. */
  encodingProblem: z.string().nullable(),
});
export type ImportUploaded = z.infer<typeof ZImportUploaded>;

export const ZStartImport = z.strictObject({
  mapping: ZImportMapping,
  /** Needed when the upload could not tell the encoding (encodingProblem). */
  encoding: ZImportEncoding.optional(),
});
export type StartImport = z.input<typeof ZStartImport>;

export const ZImportListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(20),
  cursor: z.string().max(500).optional(),
});

/** The filters of the constituent list, applied to an export. */
export const ZConstituentExportQuery = ZConstituentListQuery.omit({ limit: true, cursor: true });
export type ConstituentExportQuery = z.infer<typeof ZConstituentExportQuery>;

/** Columns of an exported CSV, in order. */
export const EXPORT_COLUMNS = [
  'id', 'kind', 'given_name', 'family_name', 'preferred_name', 'organisation_name', 'display_name',
  'primary_email', 'primary_phone', 'primary_address', 'postcode', 'ward', 'tags', 'external_ids',
] as const;
