import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainException } from '../../../common/domain.exception';
import { mintId } from '../../../common/ids';
import { Page, parsePageRequest, toPage } from '../../../common/paging';
import { IntakeService } from '../intake/intake.service';
import { NOT_REPLAYABLE_CODES, replayAnswerOf } from '../intake/intake.outcome';
import { PostbackLogRepository, StoredPostback } from './postback-log.repository';
import { replayCallOf } from './replay.call';

const OUTCOMES = ['accepted', 'updated', 'duplicate', 'unattributed', 'rejected'];

export function toPostbackView(r: StoredPostback) {
  return {
    id: r.id,
    createdAt: r.created_at.toISOString(),
    status: r.outcome,
    code: r.code,
    reason: r.reason,
    notes: r.notes,
    endpoint: r.endpoint,
    /** `upload` for a row of POST /conversions/upload (SPEC §3), else `network`. */
    source: r.endpoint === 'upload' ? 'upload' : 'network',
    method: r.method,
    url: r.url,
    headers: r.headers,
    body: r.body,
    ip: r.ip,
    affiliateNetworkId: r.affiliate_network_id,
    conversionId: r.conversion_id,
    replayOf: r.replay_of,
    replayedBy: r.replayed_by,
    replayable: whyNotReplayable(r) === null,
  };
}

export type PostbackView = ReturnType<typeof toPostbackView>;

function whyNotReplayable(r: StoredPostback): string | null {
  if (r.outcome !== 'rejected' && r.outcome !== 'unattributed') return `a call that was ${r.outcome} has nothing to replay`;
  if (r.code !== null && NOT_REPLAYABLE_CODES.includes(r.code))
    return `a call refused with ${r.code} is not replayed (a replay skips the token and address checks; a body over the limit was not kept; a rate-limited sender sends again)`;
  if (r.replayed_by !== null) return `the call was replayed already, as ${r.replayed_by}`;
  return null;
}

/** The inbound log (SPEC §6, §8): list, look at, and replay a call after a mapping fix. */
@Injectable()
export class PostbackLogService {
  constructor(
    private readonly db: DataSource,
    private readonly entries: PostbackLogRepository,
    private readonly intake: IntakeService,
  ) {}

  async list(query: Record<string, unknown>): Promise<Page<PostbackView>> {
    const page = parsePageRequest(query);
    const status = query.status;
    if (status !== undefined && status !== '' && (typeof status !== 'string' || !OUTCOMES.includes(status))) {
      throw DomainException.field('status', `must be one of ${OUTCOMES.join(', ')}`);
    }
    const rows = await this.entries.listEntries(page, typeof status === 'string' && status !== '' ? status : null);
    return toPage(rows, page.limit, (r) => ({ createdAt: r.created_at, id: r.id }), toPostbackView);
  }

  async get(id: string): Promise<PostbackView> {
    return toPostbackView(await this.find(id));
  }

  /** Runs the logged call again, skipping the token check; the original names its replay. */
  async replay(id: string): Promise<Record<string, unknown>> {
    const entry = await this.find(id);
    const refusal = whyNotReplayable(entry);
    if (refusal) throw new DomainException('NOT_REPLAYABLE', refusal);
    const replayId = mintId();
    if (!(await this.entries.markReplayed(this.db, id, replayId))) {
      throw new DomainException('NOT_REPLAYABLE', 'the call is being replayed or was replayed already');
    }
    try {
      const outcome = await this.intake.receive(replayCallOf(entry, replayId));
      return { ...replayAnswerOf(outcome), postbackId: replayId, replayOf: id };
    } catch (err) {
      await this.entries.unmarkReplayed(id, replayId);
      throw err;
    }
  }

  private async find(id: string): Promise<StoredPostback> {
    const entry = await this.entries.findEntry(id);
    if (!entry) throw DomainException.notFound('postback', id);
    return entry;
  }
}
