import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { IntakeResponder } from './intake.responder';

/** TradeTracker server-to-server calls (SPEC §6). */
@ApiTags('conversions in')
@Controller('receivers/tradetracker')
export class TradetrackerController {
  constructor(private readonly responder: IntakeResponder) {}

  @Get()
  get(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.responder.answer(req, reply, 'tradetracker');
  }

  @Get(':networkId')
  getFor(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Param('networkId') networkId: string): Promise<void> {
    return this.responder.answer(req, reply, 'tradetracker', networkId);
  }
}
