import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { deleteOrArchive, idExists } from '../../common/crud';
import { CampaignEntity } from './campaign.entity';

export interface SourceParamsRow {
  id: string;
  click_id_param: string | null;
  cost_param: string | null;
  params: { param: string }[];
}

/** The campaign queries beyond TypeORM's own: what a campaign names, and whether it is in use. */
@Injectable()
export class CampaignRepository {
  constructor(@InjectRepository(CampaignEntity) private readonly repo: Repository<CampaignEntity>) {}

  exists(table: 'traffic_sources' | 'offers' | 'landing_pages', id: string): Promise<boolean> {
    return idExists(this.repo.manager, table, id);
  }

  /** The offer a link belongs to; null when no such link. */
  async offerOfLink(linkId: string): Promise<string | null> {
    const [link] = await this.repo.manager.query(`SELECT offer_id FROM offer_links WHERE id = $1`, [linkId]);
    return link?.offer_id ?? null;
  }

  sourceParams(ids: string[]): Promise<SourceParamsRow[]> {
    return this.repo.manager.query(`SELECT id, click_id_param, cost_param, params FROM traffic_sources WHERE id = ANY($1)`, [ids]);
  }

  /** A campaign with visits is archived, else deleted. */
  removeOrArchive(id: string): Promise<'deleted' | 'archived'> {
    return deleteOrArchive(this.repo, id, `EXISTS (SELECT 1 FROM visits WHERE campaign_id = $1)`);
  }
}
