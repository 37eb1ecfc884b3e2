import { Controller, Get, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { DomainException } from '../../common/domain.exception';
import { ApiKeyGuard, presentedKey } from './api-key.guard';
import { ApiKeysService } from './api-keys.service';

class MeView {
  @ApiProperty({ enum: ['admin', 'read'] })
  scope: 'admin' | 'read';
  /** The key's name (`ADMIN_API_KEY` for the key from the environment). */
  name: string;
}

/** Who the presented key is: the dashboard disables write controls for a `read` key. */
@ApiTags('api-keys')
@ApiBearerAuth()
@UseGuards(ApiKeyGuard)
@Controller('api/v1/me')
export class MeController {
  constructor(private readonly keys: ApiKeysService) {}

  @Get()
  @ApiOkResponse({ type: MeView })
  async me(@Req() req: FastifyRequest): Promise<MeView> {
    const me = await this.keys.identify(presentedKey(req) ?? '');
    if (!me) throw new DomainException('UNAUTHORIZED', 'the API key is not valid');
    return me;
  }
}
