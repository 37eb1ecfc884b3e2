import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { IntakeResponder } from './intake.responder';

/** Tradedoubler Conversions API receivers (SPEC §6): GET query, or JSON / XML / custom bodies. */
@ApiTags('conversions in')
@Controller('receivers/tradedoubler')
export class TradedoublerController {
  constructor(private readonly responder: IntakeResponder) {}

  @Get()
  get(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.responder.answer(req, reply, 'tradedoubler');
  }

  @Post()
  post(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.responder.answer(req, reply, 'tradedoubler');
  }

  @Get(':networkId')
  getFor(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Param('networkId') networkId: string): Promise<void> {
    return this.responder.answer(req, reply, 'tradedoubler', networkId);
  }

  @Post(':networkId')
  postFor(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Param('networkId') networkId: string): Promise<void> {
    return this.responder.answer(req, reply, 'tradedoubler', networkId);
  }
}
