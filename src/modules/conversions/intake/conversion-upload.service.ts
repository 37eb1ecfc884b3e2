import { Injectable } from '@nestjs/common';
import { parse } from 'csv-parse';
import { Readable } from 'node:stream';
import { DomainException } from '../../../common/domain.exception';
import { UPLOAD_COLUMNS } from './adapters/upload.adapter';
import type { CallOrigin, IntakeCall } from './intake.call';
import type { IntakeOutcome } from './intake.outcome';
import { IntakeService } from './intake.service';

/** SPEC §3: at most this many rows per upload. */
export const UPLOAD_MAX_ROWS = 50_000;
/** Rows in the intake at once: enough for the conversion batcher to fill its transactions. */
const IN_FLIGHT = 256;

export type UploadRow = Record<string, unknown>;

export interface UploadAnswer {
  rows: number;
  accepted: number;
  updated: number;
  duplicate: number;
  unattributed: number;
  rejected: number;
  /** The rejected rows: `row` counts from 1, the first data row (after a CSV header). */
  errors: { row: number; code: string; message: string }[];
}

/**
 * `POST /api/v1/conversions/upload` (SPEC §3): CSV or a JSON array, each row through exactly the
 * intake of a postback (dedupe, statuses, history, outbox), logged with `endpoint: upload`.
 * The rows are read first, so a body that is not readable or holds too many rows changes nothing;
 * then they run in order, several at once, the rows of one transaction (or click) one after the
 * other so a `pending` then `approved` pair lands in that order.
 */
@Injectable()
export class ConversionUploadService {
  constructor(private readonly intake: IntakeService) {}

  async upload(body: unknown, contentType: string | undefined, origin: CallOrigin): Promise<UploadAnswer> {
    const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
    let rows: UploadRow[];
    if (type === 'text/csv') rows = await readCsv(typeof body === 'string' ? body : '');
    else if (type === 'application/json') rows = readJson(body);
    else throw new DomainException('UNSUPPORTED_MEDIA_TYPE', 'send the rows as text/csv (with a header row) or application/json (an array)');
    if (rows.length === 0) throw DomainException.field('body', 'the upload holds no rows');
    return this.run(rows, origin);
  }

  private async run(rows: UploadRow[], origin: CallOrigin): Promise<UploadAnswer> {
    const answer: UploadAnswer = { rows: rows.length, accepted: 0, updated: 0, duplicate: 0, unattributed: 0, rejected: 0, errors: [] };
    const outcomes: IntakeOutcome[] = new Array(rows.length);
    const lastOfKey = new Map<string, Promise<unknown>>();
    const running = new Set<Promise<unknown>>();
    for (let i = 0; i < rows.length; i++) {
      if (running.size >= IN_FLIGHT) await Promise.race(running);
      const key = keyOf(rows[i]);
      const before = key === null ? undefined : lastOfKey.get(key);
      const job = (async () => {
        if (before) await before;
        outcomes[i] = await this.intake.receive(this.callOf(rows[i], origin));
      })();
      const tracked = job.finally(() => running.delete(tracked));
      running.add(tracked);
      if (key !== null) lastOfKey.set(key, tracked);
    }
    await Promise.all(running);
    outcomes.forEach((o, i) => {
      if (o.kind === 'recorded') answer[o.status]++;
      else {
        answer.rejected++;
        answer.errors.push({ row: i + 1, code: o.code, message: o.message });
      }
    });
    return answer;
  }

  private callOf(row: UploadRow, origin: CallOrigin): IntakeCall {
    return {
      endpoint: 'upload',
      raw: { method: 'POST', url: '/api/v1/conversions/upload', query: {}, body: JSON.stringify(row), contentType: 'application/json', cookies: {} },
      pathNetworkId: null,
      origin,
      replayOf: null,
    };
  }
}

/** Rows naming the same transaction, else the same click, run one after the other. */
function keyOf(row: UploadRow): string | null {
  if (row === null || typeof row !== 'object' || Array.isArray(row)) return null;
  const tx = row.transactionId;
  if (typeof tx === 'string' && tx.trim() !== '') return `tx:${tx.trim()}`;
  if (typeof tx === 'number') return `tx:${tx}`;
  const click = row.clickId;
  return typeof click === 'string' && click.trim() !== '' ? `click:${click.trim()}` : null;
}

function tooMany(): DomainException {
  return new DomainException('PAYLOAD_TOO_LARGE', `an upload holds at most ${UPLOAD_MAX_ROWS.toLocaleString('en')} rows; split it`);
}

function readJson(body: unknown): UploadRow[] {
  if (!Array.isArray(body)) throw DomainException.field('body', 'a JSON upload is an array of rows such as {"clickId": "...", "status": "approved"}');
  if (body.length > UPLOAD_MAX_ROWS) throw tooMany();
  // A row that is not an object still goes to the intake, which logs and rejects it.
  return body as UploadRow[];
}

/** Parsed as a stream of records; the header names the columns (any order, `clickId` required). */
export async function readCsv(text: string): Promise<UploadRow[]> {
  const rows: UploadRow[] = [];
  const parser = Readable.from([text]).pipe(
    parse({
      bom: true,
      trim: true,
      skip_empty_lines: true,
      columns: (header: string[]) => checkHeader(header),
    }),
  );
  try {
    for await (const record of parser) {
      if (rows.length === UPLOAD_MAX_ROWS) {
        parser.destroy();
        throw tooMany();
      }
      rows.push(record as UploadRow);
    }
  } catch (e) {
    if (e instanceof DomainException) throw e;
    throw DomainException.field('body', `the CSV cannot be read: ${(e as Error).message}`);
  }
  return rows;
}

function checkHeader(header: string[]): string[] {
  const names = header.map((h) => h.trim());
  const unknown = names.filter((n) => !(UPLOAD_COLUMNS as readonly string[]).includes(n));
  if (unknown.length)
    throw DomainException.field('body', `unknown column ${unknown.map((n) => JSON.stringify(n)).join(', ')}; the columns are ${UPLOAD_COLUMNS.join(', ')}`);
  if (!names.includes('clickId')) throw DomainException.field('body', `the header row must name clickId; the columns are ${UPLOAD_COLUMNS.join(', ')}`);
  const twice = names.filter((n, i) => names.indexOf(n) !== i);
  if (twice.length) throw DomainException.field('body', `column ${JSON.stringify(twice[0])} appears twice in the header row`);
  return names;
}
