// The v1 HTTP contract as types and constants, imported by the connector AND the add-in so the
// two cannot drift apart. Keep this file free of Node-only imports: it is bundled into the pane.

export const FORMATS = ['none', 'basic', 'standard', 'detail', 'expanded'] as const;
export type Format = (typeof FORMATS)[number];
/** Formats a caller can ask for (a `none` grant means no access at all). */
export type DataFormat = Exclude<Format, 'none'>;

export function isFormat(value: unknown): value is Format {
  return typeof value === 'string' && (FORMATS as readonly string[]).includes(value);
}

export function formatRank(format: Format): number {
  return FORMATS.indexOf(format);
}

/** Every data format up to and including `highest`, lowest first. */
export function formatsUpTo(highest: Format): DataFormat[] {
  return FORMATS.slice(1, formatRank(highest) + 1) as DataFormat[];
}

export const DEFAULT_FORMAT: DataFormat = 'basic';
export const DEFAULT_PAGE_LIMIT = 1000;
export const MAX_PAGE_LIMIT = 10000;

export const TOKEN_PREFIX = 'sgt_';
export const KEY_PREFIX = 'sgk_';
export const TOKEN_HEADER = 'X-Api-Token';
export const KEY_HEADER = 'X-Api-Key';
export const ADMIN_KEY_HEADER = 'X-Admin-Key';

export const ERROR_STATUS = {
  invalid_request: 400,
  credentials_in_query: 400,
  missing_credentials: 401,
  invalid_credentials: 401,
  credentials_revoked: 401,
  credentials_expired: 401,
  user_inactive: 403,
  ip_not_allowed: 403,
  https_required: 403,
  forbidden: 403,
  no_access: 403,
  tier_not_granted: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  internal_error: 500,
  not_ready: 503,
} as const;
export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

export type ColumnType = 'string' | 'number' | 'boolean' | 'date' | 'coded' | 'table';

export interface Column {
  name: string;
  type: ColumnType;
  /** Present on `type: "table"` columns (sub-resources, from `detail` up). */
  columns?: Column[];
}

/** A coded field broken out at `expanded`. */
export interface CodedValue {
  Code: string;
  DisplayAs: string;
}

export type CellValue = string | number | boolean | null | CodedValue | Row[];
export type Row = Record<string, CellValue>;

export interface TablePage {
  table: string;
  format: DataFormat;
  columns: Column[];
  rows: Row[];
  nextCursor: string | null;
}

export interface SingleRow {
  table: string;
  format: DataFormat;
  columns: Column[];
  row: Row;
}

export interface TableSummary {
  id: string;
  title: string;
  section: string;
  maxFormat: DataFormat;
  formats: DataFormat[];
}

export interface TableList {
  tables: TableSummary[];
}

export type UserKind = 'portal' | 'api';
export const ROLES = ['system-admin', 'portal-admin', 'member'] as const;
export type Role = (typeof ROLES)[number];

export interface MeResponse {
  user: { id: string; username: string; name: string; email: string; kind: UserKind; roles: Role[] };
  organizations: { id: string; name: string; kind: 'provider' | 'client'; parent: string | null }[];
  teams: { id: string; name: string }[];
  credential: {
    id: string;
    token: string;
    name: string;
    createdAt: string;
    expiresAt: string | null;
    lastUsedAt: string | null;
  };
  endpoint: string;
}
